// Stage 3: the voter roll and the bulletin board (docs/board.md, docs/api.md): every entry
// decoded strictly, the Merkle root equal to the final signed tree head, the head's signature,
// the heads published during the election and their consistency proofs, the poll events.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "verifier-app/board_json.hpp"
#include "verifier-app/bulk_check.hpp"
#include "verifier-app/manifest_parser.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

using crypto::Bytes;
using crypto::FormatError;
using crypto::Json;

namespace {

constexpr Stage kStage = Stage::kBoard;
constexpr std::uint64_t kOfficialsWindowMs = 5 * 60 * 1000;
const std::string kEntries = "board/entries.jsonl";

std::string entry_location(std::size_t index) {
  return kEntries + " line " + std::to_string(index + 1) + " (entry " + std::to_string(index) + ")";
}

void check_roll(const RecordReader& record, VerifierContext& ctx, Report& report) {
  const std::string path = "roll.json";
  const std::string check = "voter roll is well formed (sorted ids, one key per voter)";
  try {
    const Json j = record.read_json(path);
    if (!j.is_object()) throw FormatError(path, "must be a JSON object");
    crypto::reject_unknown_fields(j, {"election_id", "voters"}, path);
    if (crypto::require_string(j, "election_id", path) != ctx.manifest.election_id) {
      throw FormatError(path + ".election_id", "is for another election");
    }
    const Json& voters = crypto::require_array(j, "voters", path);
    std::set<Bytes> keys;
    std::map<std::string, Bytes> roll;
    std::string previous;
    for (std::size_t i = 0; i < voters.size(); ++i) {
      const std::string p = path + ".voters[" + std::to_string(i) + "]";
      if (!voters[i].is_object()) throw FormatError(p, "must be a JSON object");
      crypto::reject_unknown_fields(voters[i], {"voter_id", "public_key"}, p);
      const std::string& id = crypto::require_string(voters[i], "voter_id", p);
      if (!is_valid_identifier(id)) throw FormatError(p + ".voter_id", "invalid voter id");
      if (i > 0 && !(previous < id))
        throw FormatError(p + ".voter_id", "voters must be strictly sorted by voter_id");
      previous = id;
      Bytes key = crypto::bytes_from_json(crypto::require_field(voters[i], "public_key", p),
                                          p + ".public_key", 32);
      crypto::require_ed25519_public_key(key, p + ".public_key");
      if (!keys.insert(key).second)
        throw FormatError(p + ".public_key", "credential already on the roll for another voter");
      roll.emplace(id, std::move(key));
    }
    ctx.roll = std::move(roll);
    report.pass(kStage, check + " (" + std::to_string(ctx.roll.size()) + " voters)", path);
  } catch (const std::exception& e) {
    report.fail(kStage, check, path, e.what());
  }
}

void read_entries(const RecordReader& record, const VerifierContext& ctx, BoardData& board,
                  Report& report) {
  BulkCheck decode(report, kStage, "board entries decode strictly, sequence = leaf index");
  std::vector<std::string> lines;
  std::size_t total = 0;
  base::Progress progress("stage 3: board/entries.jsonl (kB)", record.size(kEntries) / 1000,
                          ctx.progress);
  auto process = [&] {
    const std::size_t first = board.entries.size();
    board.entries.resize(first + lines.size());
    board.leaf_hashes.resize(first + lines.size());
    base::parallel_for(
        lines.size(), 512,
        [&](std::size_t begin, std::size_t end) {
          std::size_t bytes = 0;
          for (std::size_t k = begin; k < end; ++k) {
            const std::size_t index = first + k;
            bytes += lines[k].size();
            try {
              // Lines are canonical JSON (docs/verifier.md): parse, then require the canonical
              // form, which also excludes duplicate keys. Well-formed lines take the exact-layout
              // fast path; anything else goes through the parser, which names the error.
              std::optional<BoardEntry> fast = board_entry_from_canonical_line(lines[k]);
              if (!fast) {
                const Json j = Json::parse(lines[k], nullptr, false);
                if (j.is_discarded()) throw FormatError(entry_location(index), "invalid JSON");
                if (j.dump(-1, ' ', false, Json::error_handler_t::replace) != lines[k]) {
                  throw FormatError(entry_location(index),
                                    "the line is not the canonical JSON of the entry");
                }
                fast = board_entry_from_json(j, entry_location(index));
              }
              BoardEntry e = std::move(*fast);
              if (e.sequence != index) {
                throw FormatError(
                    entry_location(index) + ".sequence",
                    std::to_string(e.sequence) + " is not the leaf index " + std::to_string(index));
              }
              board.leaf_hashes[index] = merkle_leaf_hash(encode_board_leaf(e));
              BoardRecordEntry& out = board.entries[index];
              out.kind = std::move(e.kind);
              out.timestamp_ms = e.timestamp_ms;
              out.payload.assign(e.payload.begin(), e.payload.end());
              out.leaf_hash = board.leaf_hashes[index];
            } catch (const std::exception& ex) {
              decode.fail(index, entry_location(index), ex.what());
            }
          }
          progress.advance(bytes / 1000);
        },
        nullptr, ctx.threads);
    lines.clear();
  };
  record.for_each_line(kEntries, [&](std::size_t, std::string_view line) {
    lines.emplace_back(line);
    ++total;
    if (lines.size() == 65536) process();
    return true;
  });
  process();
  progress.finish();
  board.entries_read = decode.failures() == 0;
  decode.finish(total, "entries", kEntries);
}

void check_final_head(const RecordReader& record, const VerifierContext& ctx, BoardData& board,
                      Report& report) {
  const std::string path = "board/head.json";
  TreeHead head;
  try {
    head = tree_head_from_json(record.read_json(path), path);
  } catch (const std::exception& e) {
    report.fail(kStage, "final signed tree head is well formed", path, e.what());
    return;
  }
  board.final_head = head;
  bool ok = true;
  if (head.log_id != ctx.manifest.election_id) {
    ok = false;
    report.fail(kStage, "final tree head is for this election", path + ".log_id",
                "\"" + head.log_id + "\" is not the election id");
  }
  if (board.collector_key.empty() || !tree_head_signature_valid(head, board.collector_key)) {
    ok = false;
    report.fail(kStage, "final tree head's signature", path + ".signature",
                "not a valid Ed25519 signature by context.json's collector_key");
  } else {
    report.pass(kStage, "final tree head's signature", path + ".signature");
  }
  if (head.tree_size != board.entries.size()) {
    ok = false;
    report.fail(kStage, "final tree head covers every entry", path + ".tree_size",
                std::to_string(head.tree_size) + ", but " + kEntries + " has " +
                    std::to_string(board.entries.size()) + " entries");
  } else {
    report.pass(kStage,
                "final tree head covers every entry (" + std::to_string(head.tree_size) + ")",
                path + ".tree_size");
  }
  if (board.entries_read) {
    const Digest root = merkle_root(board.leaf_hashes);
    if (root != head.root_hash) {
      ok = false;
      report.fail(kStage, "Merkle root of the entries equals the final tree head",
                  path + ".root_hash",
                  "the entries give root " + crypto::to_hex(root) + ", the head says " +
                      crypto::to_hex(head.root_hash));
    } else {
      report.pass(kStage, "Merkle root of the entries equals the final tree head",
                  path + ".root_hash");
    }
  } else {
    ok = false;
  }
  board.final_head_ok = ok;
}

// board/heads/<size>.json: {"consistency_proof", "signed_tree_head"}.
void check_published_heads(const RecordReader& record, const VerifierContext& ctx,
                           const BoardData& board, Report& report) {
  const std::string check =
      "heads published during the election are signed and consistent with the final head";
  const std::vector<std::string> files = record.files_under("board/heads/");
  // One signature and one consistency proof per head; the heads are independent (a receipt's
  // head each, up to one per group commit): checked on all threads, reported in file order.
  std::vector<std::optional<std::pair<std::uint64_t, std::uint64_t>>> checked(files.size());
  std::vector<std::string> errors(files.size());
  const auto check_head = [&](std::size_t k) {
    const std::string& file = files[k];
    const Json j = record.read_json(file);
    if (!j.is_object()) throw FormatError(file, "must be a JSON object");
    crypto::reject_unknown_fields(j, {"consistency_proof", "signed_tree_head"}, file);
    const TreeHead head = tree_head_from_json(crypto::require_field(j, "signed_tree_head", file),
                                              file + ".signed_tree_head");
    const ConsistencyProof proof = consistency_proof_from_json(
        crypto::require_field(j, "consistency_proof", file), file + ".consistency_proof");
    if (file != "board/heads/" + std::to_string(head.tree_size) + ".json") {
      throw FormatError(
          file, "file name must be the head's tree_size (" + std::to_string(head.tree_size) + ")");
    }
    if (head.log_id != ctx.manifest.election_id)
      throw FormatError(file + ".signed_tree_head.log_id", "is not the election id");
    if (!tree_head_signature_valid(head, board.collector_key)) {
      throw FormatError(file + ".signed_tree_head.signature",
                        "not a valid signature by the collector key");
    }
    if (!board.final_head) throw FormatError(file, "no final head to check consistency against");
    if (proof.first_size != head.tree_size || proof.second_size != board.final_head->tree_size) {
      throw FormatError(file + ".consistency_proof",
                        "must prove size " + std::to_string(head.tree_size) + " -> " +
                            std::to_string(board.final_head->tree_size));
    }
    if (!merkle_verify_consistency(proof.first_size, proof.second_size, head.root_hash,
                                   board.final_head->root_hash, proof.path)) {
      throw FormatError(
          file + ".consistency_proof.path",
          "RFC 9162 consistency verification fails: the final board does not extend this head");
    }
    checked[k].emplace(head.tree_size, head.timestamp_ms);
  };
  base::Progress meter("published heads", files.size(), ctx.progress);
  base::parallel_for(
      files.size(), 64,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
          try {
            check_head(k);
          } catch (const std::exception& e) {
            errors[k] = e.what();
            if (errors[k].empty()) errors[k] = "unreadable";
          }
        }
      },
      &meter, ctx.threads);
  meter.finish();
  std::size_t failed = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> size_time;
  for (std::size_t k = 0; k < files.size(); ++k) {
    if (checked[k]) {
      size_time.push_back(*checked[k]);
    } else {
      ++failed;
      report.fail(kStage, check, files[k], errors[k]);
    }
  }
  std::sort(size_time.begin(), size_time.end());
  for (std::size_t i = 1; i < size_time.size(); ++i) {
    if (size_time[i].second < size_time[i - 1].second) {
      ++failed;
      report.fail(kStage, check, "board/heads/" + std::to_string(size_time[i].first) + ".json",
                  "signed before the smaller head " + std::to_string(size_time[i - 1].first));
    }
  }
  if (failed == 0)
    report.pass(kStage, check + " (" + std::to_string(files.size()) + " heads)", "board/heads/");
}

void check_poll_events(const RecordReader& record, const VerifierContext& ctx, BoardData& board,
                       Report& report) {
  // The officials' key is the one context.json pins (stage 1), never one the record supplies.
  const Bytes& officials_key = ctx.officials_key;
  // The roll the officials signed when opening the polls (docs/api.md section 6).
  std::string roll_hash;
  try {
    roll_hash = crypto::to_hex(crypto::canonical_json_hash(record.read_json("roll.json")));
  } catch (const std::exception& e) {
    report.fail(kStage, "roll.json is readable", "roll.json", e.what());
  }
  const std::string check = "poll events are signed requests of the officials";
  const std::string order = "ballots and challenges only between poll-open and poll-close";
  std::size_t failed = 0;
  std::size_t order_failed = 0;
  std::set<std::string> nonces;
  for (std::size_t i = 0; i < board.entries.size(); ++i) {
    const BoardRecordEntry& e = board.entries[i];
    const bool ballot = e.kind == kKindBallot || e.kind == kKindChallenge;
    if (ballot) {
      if (!board.poll_open_index || board.poll_close_index) {
        ++order_failed;
        if (order_failed <= 20) {
          report.fail(kStage, order, entry_location(i),
                      e.kind + " entry " +
                          (board.poll_close_index ? "after poll-close" : "before poll-open"));
        }
      }
      continue;
    }
    if (e.kind != kKindPollOpen && e.kind != kKindPollClose) {
      ++failed;
      report.fail(kStage, "entry kinds are ballot, challenge, poll-open, poll-close",
                  entry_location(i) + ".kind", "unknown kind \"" + e.kind + "\"");
      continue;
    }
    const std::string loc = entry_location(i) + ".payload";
    try {
      if (e.kind == kKindPollOpen) {
        if (board.poll_open_index)
          throw FormatError(loc, "second poll-open (first at entry " +
                                     std::to_string(*board.poll_open_index) + ")");
        board.poll_open_index = i;
      } else {
        if (!board.poll_open_index) throw FormatError(loc, "poll-close before poll-open");
        if (board.poll_close_index) throw FormatError(loc, "second poll-close");
        board.poll_close_index = i;
      }
      const Json j = parse_json_strict(e.payload, loc);
      if (!j.is_object()) throw FormatError(loc, "must be a JSON object");
      crypto::reject_unknown_fields(j, {"request", "signature"}, loc);
      const Json& request = crypto::require_field(j, "request", loc);
      if (!request.is_object()) throw FormatError(loc + ".request", "must be a JSON object");
      crypto::reject_unknown_fields(request,
                                    {"action", "election_id", "nonce", "timestamp_ms", "roll_hash"},
                                    loc + ".request");
      const std::string& action = crypto::require_string(request, "action", loc + ".request");
      const std::string expected = e.kind == kKindPollOpen ? "open-polls" : "close-polls";
      if (action != expected)
        throw FormatError(loc + ".request.action",
                          "must be \"" + expected + "\" for a " + e.kind + " entry");
      if (crypto::require_string(request, "election_id", loc + ".request") !=
          ctx.manifest.election_id) {
        throw FormatError(loc + ".request.election_id", "is for another election");
      }
      // Opening the polls fixes the roll under the officials' signature: roll.json must be it.
      if (e.kind == kKindPollOpen) {
        const std::string& signed_roll =
            crypto::require_string(request, "roll_hash", loc + ".request");
        if (signed_roll != roll_hash) {
          throw FormatError(loc + ".request.roll_hash",
                            "the officials opened the polls for roll " + signed_roll +
                                ", but roll.json hashes to " + roll_hash);
        }
      } else if (request.contains("roll_hash")) {
        throw FormatError(loc + ".request.roll_hash", "only the poll-open request names the roll");
      }
      const std::string& nonce = crypto::require_string(request, "nonce", loc + ".request");
      crypto::bytes_from_json(request["nonce"], loc + ".request.nonce", 16);
      if (!nonces.insert(nonce).second) throw FormatError(loc + ".request.nonce", "reused");
      const std::uint64_t ts = crypto::require_uint(request, "timestamp_ms", loc + ".request");
      const std::uint64_t distance =
          ts > e.timestamp_ms ? ts - e.timestamp_ms : e.timestamp_ms - ts;
      if (distance > kOfficialsWindowMs) {
        throw FormatError(
            loc + ".request.timestamp_ms",
            std::to_string(distance) + " ms from the entry's timestamp (limit 5 minutes)");
      }
      const Bytes signature = crypto::bytes_from_json(crypto::require_field(j, "signature", loc),
                                                      loc + ".signature", 64);
      // signed = lp("HAAL-V1-OFFICIALS-REQUEST") || canonical_json_bytes(request)
      Bytes input;
      crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-OFFICIALS-REQUEST"));
      const Bytes body = crypto::canonical_json_bytes(request);
      input.insert(input.end(), body.begin(), body.end());
      if (officials_key.empty() || !crypto::ed25519_verify(officials_key, input, signature)) {
        throw FormatError(loc + ".signature",
                          "not a valid signature by context.json's officials_key");
      }
    } catch (const std::exception& ex) {
      ++failed;
      report.fail(kStage, check, loc, ex.what());
    }
  }
  if (!board.poll_open_index) {
    ++failed;
    report.fail(kStage, check, kEntries, "no poll-open entry");
  }
  if (!board.poll_close_index) {
    ++failed;
    report.fail(kStage, check, kEntries, "no poll-close entry: the board was not closed");
  }
  if (failed == 0) report.pass(kStage, check, kEntries);
  if (order_failed > 20) {
    report.fail(kStage, order, kEntries,
                std::to_string(order_failed - 20) + " more entries out of the polling period");
  }
  if (order_failed == 0) report.pass(kStage, order, kEntries);
}

}  // namespace

void check_board(const RecordReader& record, VerifierContext& ctx, BoardData& board,
                 Report& report) {
  if (ctx.manifest.election_id.empty()) {
    report.fail(kStage, "roll and board", "board/", "skipped: stage 1 could not read the manifest");
    return;
  }
  check_roll(record, ctx, report);
  // The collector's key is the one context.json pins (stage 1), never one the record supplies.
  board.collector_key = ctx.collector_key;
  if (board.collector_key.empty()) {
    report.fail(kStage, "collector's tree-head key", "context.json.collector_key",
                "skipped: stage 1 could not read context.json");
  }
  try {
    read_entries(record, ctx, board, report);
  } catch (const std::exception& e) {
    report.fail(kStage, "board entries decode strictly, sequence = leaf index", kEntries, e.what());
  }
  check_final_head(record, ctx, board, report);
  check_published_heads(record, ctx, board, report);
  check_poll_events(record, ctx, board, report);
}

}  // namespace haal::verifier
