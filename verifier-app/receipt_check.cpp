#include "verifier-app/receipt_check.hpp"

#include <algorithm>

#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"
#include "verifier-app/board_json.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

// RFC 9162 section 2.1.3.1 PATH(m, D[n]) over leaf hashes.
void audit_path(std::span<const Digest> leaves, std::size_t m, std::vector<Digest>& out) {
  if (leaves.size() <= 1) return;
  std::size_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;
  if (m < k) {
    audit_path(leaves.subspan(0, k), m, out);
    out.push_back(merkle_root(leaves.subspan(k)));
  } else {
    audit_path(leaves.subspan(k), m - k, out);
    out.push_back(merkle_root(leaves.subspan(0, k)));
  }
}

// The hash a receipt names: SHA-256 of the entry's canonical payload (the ballot, or the
// challenge record).
Digest payload_ballot_hash(const BoardRecordEntry& entry) {
  return crypto::canonical_json_hash(Json::parse(entry.payload));
}

// Returns the tracking code of a tracking hash: RFC 4648 base32 of its first 15 bytes (24
// characters) in six groups of four joined by '-' (docs/ballots.md section 7).
std::string tracking_code_text(const Digest& hash) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string code;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < 15; ++i) {
    buffer = (buffer << 8) | hash[i];
    bits += 8;
    while (bits >= 5) {
      if (!code.empty() && code.size() % 5 == 4) code.push_back('-');
      code.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return code;
}

}  // namespace

ReceiptStatus check_receipt_var(const Json& receipt, const RecordReader& record,
                                const VerifyOptions& options, Report& report) {
  ReceiptStatus status;
  status.status = "unknown";
  VerifierContext ctx;
  ctx.threads = base::worker_count(options.threads);
  ctx.progress = options.progress;
  BoardData board;
  check_record_index(record, ctx, report);
  check_parameters(record, ctx, report);
  check_board(record, ctx, board, report);

  const Stage stage = Stage::kBoard;
  const std::string r = "receipt";
  std::string kind;
  std::uint64_t index = 0;
  std::uint64_t timestamp = 0;
  Digest ballot_hash{};
  std::string receipt_code;
  InclusionProof proof;
  TreeHead head;
  try {
    if (!receipt.is_object()) throw FormatError(r, "must be a JSON object");
    crypto::reject_unknown_fields(receipt,
                                  {"kind", "board_index", "timestamp_ms", "ballot_hash",
                                   "tracking_code", "inclusion_proof", "signed_tree_head"},
                                  r);
    kind = crypto::require_string(receipt, "kind", r);
    if (kind != kKindBallot && kind != kKindChallenge)
      throw FormatError(r + ".kind", "must be \"ballot\" or \"challenge\"");
    index = crypto::require_uint(receipt, "board_index", r);
    timestamp = crypto::require_uint(receipt, "timestamp_ms", r);
    ballot_hash =
        digest_from_json(crypto::require_field(receipt, "ballot_hash", r), r + ".ballot_hash");
    receipt_code = crypto::require_string(receipt, "tracking_code", r);
    proof = inclusion_proof_from_json(crypto::require_field(receipt, "inclusion_proof", r),
                                      r + ".inclusion_proof");
    head = tree_head_from_json(crypto::require_field(receipt, "signed_tree_head", r),
                               r + ".signed_tree_head");
    report.pass(stage, "receipt is well formed", r);
  } catch (const std::exception& e) {
    report.fail(stage, "receipt is well formed", r, e.what());
    return status;
  }
  // The receipt as given to the voter: a signed head and an inclusion proof under it.
  if (head.log_id == ctx.manifest.election_id && !board.collector_key.empty() &&
      tree_head_signature_valid(head, board.collector_key)) {
    report.pass(stage, "receipt's tree head is signed by the collector", r + ".signed_tree_head");
  } else {
    report.fail(stage, "receipt's tree head is signed by the collector", r + ".signed_tree_head",
                "not a valid head of this election under context.json's collector_key");
    return status;
  }
  if (index >= board.entries.size()) {
    report.fail(stage, "the receipt's entry is on the final board", r + ".board_index",
                "entry " + std::to_string(index) + " does not exist: the board has " +
                    std::to_string(board.entries.size()) + " entries");
    return status;
  }
  const BoardRecordEntry& entry = board.entries[index];
  bool same = entry.kind == kind && entry.timestamp_ms == timestamp;
  try {
    same = same && payload_ballot_hash(entry) == ballot_hash;
  } catch (const std::exception&) {
    same = false;
  }
  if (!same) {
    report.fail(stage, "the receipt's entry is on the final board",
                "board/entries.jsonl line " + std::to_string(index + 1),
                "the entry at board index " + std::to_string(index) + " is not the receipt's " +
                    kind + " (kind, timestamp or ballot hash differ)");
    return status;
  }
  report.pass(stage, "the receipt's entry is on the final board",
              "board/entries.jsonl line " + std::to_string(index + 1));
  // The code the voter was shown commits to the entry's ciphertexts (docs/ballots.md 7):
  // base32 (A-Z2-7) of the tracking hash's first 15 bytes, six groups of four joined by '-'.
  try {
    if (tracking_code_text(tracking_hash_of(Json::parse(entry.payload))) != receipt_code) {
      report.fail(stage, "the receipt's tracking code is that of the entry's ciphertexts",
                  r + ".tracking_code",
                  "\"" + receipt_code + "\" is not the entry's tracking code");
      return status;
    }
    report.pass(stage, "the receipt's tracking code is that of the entry's ciphertexts",
                r + ".tracking_code");
  } catch (const std::exception& e) {
    report.fail(stage, "the receipt's tracking code is that of the entry's ciphertexts",
                r + ".tracking_code", e.what());
    return status;
  }
  if (proof.leaf_index == index && proof.tree_size == head.tree_size &&
      merkle_verify_inclusion(index, head.tree_size, entry.leaf_hash, proof.audit_path,
                              head.root_hash)) {
    report.pass(stage, "receipt's inclusion proof verifies under its head", r + ".inclusion_proof");
  } else {
    report.fail(stage, "receipt's inclusion proof verifies under its head", r + ".inclusion_proof",
                "RFC 9162 inclusion verification fails for leaf " + std::to_string(index) +
                    " in the receipt's tree of " + std::to_string(head.tree_size));
  }
  // The final board extends the receipt's head: the first tree_size entries hash to its root.
  if (head.tree_size <= board.leaf_hashes.size() &&
      merkle_root(std::span<const Digest>(board.leaf_hashes).subspan(0, head.tree_size)) ==
          head.root_hash) {
    report.pass(stage, "the final board is consistent with the receipt's head",
                r + ".signed_tree_head");
  } else {
    report.fail(
        stage, "the final board is consistent with the receipt's head", r + ".signed_tree_head",
        "the record's first " + std::to_string(head.tree_size) +
            " entries do not hash to the receipt's root: the collector rewrote or dropped entries");
    return status;
  }
  if (board.final_head_ok) {
    std::vector<Digest> path;
    audit_path(board.leaf_hashes, index, path);
    if (merkle_verify_inclusion(index, board.final_head->tree_size, entry.leaf_hash, path,
                                board.final_head->root_hash)) {
      status.on_board = true;
      report.pass(stage, "the receipt's entry is included under the final signed head",
                  "board/head.json");
    } else {
      report.fail(stage, "the receipt's entry is included under the final signed head",
                  "board/head.json", "inclusion verification fails");
    }
  }
  // The entry's fate, as cleanse/ records it (stage 5 of the full verification checks it).
  const Stage cleansing = Stage::kCleansing;
  try {
    const Json cast = record.read_json("cleanse/cast.json");
    for (const Json& b : cast.at("ballots")) {
      if (b.at("board_index").get<std::uint64_t>() == index) status.status = "counted";
    }
    if (status.status != "counted") {
      const Json excluded = record.read_json("cleanse/excluded.json");
      for (const Json& e : excluded.at("entries")) {
        if (e.at("board_index").get<std::uint64_t>() != index) continue;
        status.status = e.at("reason").get<std::string>();
        if (e.contains("superseded_by"))
          status.superseded_by = e.at("superseded_by").get<std::uint64_t>();
      }
    }
    if (status.status == "counted") {
      report.pass(cleansing, "your ballot is counted (cleanse/cast.json)",
                  "board index " + std::to_string(index));
    } else if (status.status == "superseded" && status.superseded_by) {
      // The superseding entry must be a later ballot of the same voter with a higher sequence.
      const std::uint64_t later = *status.superseded_by;
      const auto ballot_of = [&](std::size_t i) {
        return Json::parse(board.entries.at(i).payload);
      };
      const Json mine = ballot_of(index);
      const Json theirs = later < board.entries.size() && board.entries[later].kind == kKindBallot
                              ? ballot_of(later)
                              : Json();
      if (!theirs.is_object() || theirs.value("voter_id", "") != mine.value("voter_id", "") ||
          theirs.value("sequence", std::uint64_t{0}) <= mine.value("sequence", std::uint64_t{0})) {
        report.fail(
            cleansing, "your ballot is counted or superseded by your own later ballot",
            "cleanse/excluded.json",
            "board index " + std::to_string(later) + " is not a later ballot of the same voter");
        return status;
      }
      report.pass(cleansing,
                  "your ballot was superseded by your later ballot at board index " +
                      std::to_string(*status.superseded_by) + ", which is the one counted",
                  "cleanse/excluded.json");
    } else if (status.status == "challenged") {
      report.pass(cleansing, "your ballot was challenged (Benaloh): opened and never counted",
                  "cleanse/excluded.json");
    } else {
      report.fail(cleansing, "your ballot is counted or superseded", "cleanse/",
                  "status: " + status.status);
    }
  } catch (const std::exception& e) {
    report.fail(cleansing, "your ballot is counted or superseded", "cleanse/", e.what());
  }
  return status;
}

}  // namespace haal::verifier
