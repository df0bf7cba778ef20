// Stage 5: cleansing recomputed. Challenges are opened (Benaloh) and a cast ballot with the
// ciphertexts of a valid one (same tracking hash) is excluded; per
// voter the valid cast ballot with the highest (sequence, board index) counts; the result must
// be exactly cleanse/cast.json, and every other ballot or challenge entry must be in
// cleanse/excluded.json with the right reason (docs/verifier.md, stage 5).
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "crypto/base/parallel.hpp"
#include "crypto/elgamal.hpp"
#include "verifier-app/board_json.hpp"
#include "verifier-app/bulk_check.hpp"
#include "verifier-app/selection_codec.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

constexpr Stage kStage = Stage::kCleansing;

std::string entry_location(std::size_t board_index) {
  return "board/entries.jsonl line " + std::to_string(board_index + 1) + " (entry " +
         std::to_string(board_index) + ")";
}

// Returns "" when the challenge's openings re-encrypt to its ciphertexts, else the field and
// reason. contests[i] = {"contest_id","ciphertexts","choices","randomness":[scalar hex]} in
// manifest order (shape checked in stage 4); alpha_k = g^{r_k} and beta_k = m_k h^{r_k} with m
// the encoding of the choices.
std::string check_opening(const VerifierContext& ctx, const Json& challenge,
                          const CheckedBallot& b) {
  const crypto::Group& group = *ctx.group;
  const Json& contests = challenge.at("contests");
  for (std::size_t i = 0; i < contests.size(); ++i) {
    const ManifestContest& contest = ctx.manifest.contests[i];
    const std::string path = "contests[" + std::to_string(i) + "]";
    const Json& o = contests[i];
    std::vector<crypto::Scalar> randomness;
    ClaimedSelection selection;
    try {
      const Json& r = o.at("randomness");
      for (std::size_t k = 0; k < r.size(); ++k)
        randomness.push_back(
            crypto::scalar_from_json(group, r[k], path + ".randomness[" + std::to_string(k) + "]"));
      selection = selection_from_json(contest, o.at("choices"), path + ".choices");
    } catch (const std::exception& e) {
      return e.what();
    }
    const std::vector<crypto::Element> messages =
        encode_contest_selection_var(group, contest, selection);
    for (std::size_t k = 0; k < messages.size(); ++k) {
      const crypto::Ciphertext& actual = b.contests[i][k];
      if (!group.equal(group.exp_generator_var(randomness[k]), actual.alpha)) {
        return path + ".randomness[" + std::to_string(k) +
               "]: does not produce the ciphertext's alpha";
      }
      const crypto::Element beta =
          group.mul(messages[k], group.exp_var(ctx.public_key, randomness[k]));
      if (!group.equal(beta, actual.beta)) {
        return path + ".choices: element " + std::to_string(k) +
               " does not encrypt the claimed choices";
      }
    }
  }
  return "";
}

struct Expected {
  std::string reason;  // "" when counted; else "superseded" | "challenged" | "invalid"
  std::optional<std::size_t> superseded_by;
};

// The hour before the polls closed, in milliseconds.
constexpr std::uint64_t kLateWindowMs = 3'600'000;

// Notes how many voters replaced a ballot in the last hour before the polls closed (their counted
// ballot is that late and supersedes an earlier valid one). Not a check: re-voting is allowed,
// but a sudden rise is what someone casting with stolen voting keys would cause (issue 18).
// The close is the poll-close entry's time, or the last entry's on an unclosed board.
void report_late_revotes(const BoardData& board, const std::map<std::size_t, Expected>& expected,
                         Report& report) {
  if (board.entries.empty()) return;
  const std::uint64_t close_ms = board.poll_close_index
                                     ? board.entries[*board.poll_close_index].timestamp_ms
                                     : board.entries.back().timestamp_ms;
  const std::uint64_t from_ms = close_ms > kLateWindowMs ? close_ms - kLateWindowMs : 0;
  std::set<std::size_t> replacing_late;  // counted ballots, cast late, that replaced another
  std::size_t superseded = 0;
  for (const auto& [index, e] : expected) {
    if (e.reason != "superseded" || !e.superseded_by) continue;
    ++superseded;
    const std::uint64_t cast_ms = board.entries[*e.superseded_by].timestamp_ms;
    if (cast_ms >= from_ms && cast_ms <= close_ms) replacing_late.insert(*e.superseded_by);
  }
  std::size_t counted = 0;
  for (const auto& [index, e] : expected) counted += e.reason.empty() ? 1 : 0;
  report.note(kStage, "re-votes: " + std::to_string(replacing_late.size()) + " of " +
                          std::to_string(counted) +
                          " counted ballots replaced an earlier ballot of the same voter in the "
                          "hour before the polls closed (" +
                          std::to_string(superseded) +
                          " superseded ballots in all); a sudden rise can mean stolen voting keys");
}

// The counted set recomputed from stage 4's verdicts: what each ballot or challenge entry must be.
struct CountedSet {
  std::map<std::size_t, Expected> expected;              // board index -> expectation
  std::map<std::size_t, const CheckedBallot*> by_index;  // board index -> stage 4's ballot
  std::vector<std::size_t> counted;                      // board indices, in board order
};

// Benaloh openings of the challenges: checks each valid challenge's openings (in parallel) and
// returns the tracking hashes a valid challenge spoils.
std::set<Digest> check_openings(const VerifierContext& ctx, const BoardData& board,
                                const BallotData& ballots, Report& report) {
  std::set<Digest> challenged;
  BulkCheck opening(report, kStage,
                    "Benaloh openings of challenged ballots re-encrypt to their ciphertexts");
  std::vector<std::size_t> indices;
  for (std::size_t k = 0; k < ballots.ballots.size(); ++k) {
    const CheckedBallot& b = ballots.ballots[k];
    if (!b.challenge || !b.valid) continue;
    indices.push_back(k);
  }
  std::vector<char> opened(indices.size(), 0);
  base::parallel_for(
      indices.size(), 16,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t n = begin; n < end; ++n) {
          const CheckedBallot& b = ballots.ballots[indices[n]];
          const Json j = Json::parse(board.entries[b.board_index].payload);
          const std::string problem = check_opening(ctx, j, b);
          opened[n] = problem.empty() ? 1 : 0;
          if (!problem.empty()) {
            opening.fail(
                n,
                entry_location(b.board_index) + ".payload." + problem.substr(0, problem.find(':')),
                problem);
          }
        }
      },
      nullptr, ctx.threads);
  opening.finish(indices.size(), "challenges", "board/entries.jsonl");
  // Only a valid challenge (stage 4 and its opening) spoils the cast ballot with the same
  // tracking hash: a forged one must not let anyone exclude somebody else's ballot. The tally
  // applies the same rule.
  for (std::size_t n = 0; n < indices.size(); ++n) {
    if (opened[n] != 0) challenged.insert(ballots.ballots[indices[n]].tracking);
  }
  return challenged;
}

// The counted set: per voter, among valid cast ballots not challenged, the highest
// (sequence, board_index); every other entry challenged, invalid or superseded by it.
CountedSet recompute_counted_set(const BallotData& ballots, const std::set<Digest>& challenged) {
  CountedSet set;
  std::map<std::size_t, Expected>& expected = set.expected;
  std::unordered_map<std::string, std::size_t> latest;  // voter -> index into ballots
  for (std::size_t k = 0; k < ballots.ballots.size(); ++k) {
    const CheckedBallot& b = ballots.ballots[k];
    if (b.challenge) {
      expected[b.board_index] = Expected{"challenged", std::nullopt};
      continue;
    }
    if (!b.valid) {
      expected[b.board_index] = Expected{"invalid", std::nullopt};
      continue;
    }
    if (challenged.count(b.tracking) != 0) {
      expected[b.board_index] = Expected{"challenged", std::nullopt};
      continue;
    }
    expected[b.board_index] = Expected{"", std::nullopt};
    const auto [it, fresh] = latest.emplace(b.voter_id, k);
    if (fresh) continue;
    const CheckedBallot& current = ballots.ballots[it->second];
    if (std::pair(b.sequence, b.board_index) > std::pair(current.sequence, current.board_index)) {
      expected[current.board_index] = Expected{"superseded", b.board_index};
      it->second = k;
    } else {
      expected[b.board_index] = Expected{"superseded", current.board_index};
    }
  }
  for (const CheckedBallot& b : ballots.ballots) set.by_index[b.board_index] = &b;
  // Resolve chains: a superseded ballot points at the voter's counted ballot.
  for (auto& [index, e] : expected) {
    if (e.reason == "superseded") {
      e.superseded_by = ballots.ballots[latest.at(set.by_index.at(index)->voter_id)].board_index;
    }
  }
  for (const auto& [index, e] : expected) {
    if (e.reason.empty()) set.counted.push_back(index);
  }
  return set;
}

// cleanse/cast.json: exactly the counted ballots in board order. Returns true when it is.
bool check_cast_file(const RecordReader& record, const VerifierContext& ctx, const CountedSet& set,
                     Report& report) {
  const std::map<std::size_t, Expected>& expected = set.expected;
  const std::vector<std::size_t>& counted = set.counted;
  const std::string cast_path = "cleanse/cast.json";
  const std::string cast_check =
      "cleanse/cast.json lists exactly the last valid ballot of each voter, in board order";
  bool cast_ok = false;
  try {
    const Json j = record.read_json(cast_path);
    if (!j.is_object()) throw FormatError(cast_path, "must be a JSON object");
    crypto::reject_unknown_fields(j, {"format", "election_id", "context_hash", "ballots"},
                                  cast_path);
    if (crypto::require_string(j, "format", cast_path) != "haal-cleanse-cast-v1")
      throw FormatError(cast_path + ".format", "must be \"haal-cleanse-cast-v1\"");
    if (crypto::require_string(j, "election_id", cast_path) != ctx.manifest.election_id)
      throw FormatError(cast_path + ".election_id", "is for another election");
    if (crypto::require_string(j, "context_hash", cast_path) != crypto::to_hex(ctx.context_hash))
      throw FormatError(cast_path + ".context_hash", "is not this election's context hash");
    const Json& list = crypto::require_array(j, "ballots", cast_path);
    BulkCheck check(report, kStage, cast_check, 50);
    std::set<std::size_t> listed;
    std::size_t previous = 0;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string p = cast_path + ".ballots[" + std::to_string(k) + "]";
      try {
        if (!list[k].is_object()) throw FormatError(p, "must be a JSON object");
        crypto::reject_unknown_fields(list[k],
                                      {"board_index", "voter_id", "sequence", "ballot_hash"}, p);
        const std::uint64_t index = crypto::require_uint(list[k], "board_index", p);
        const std::string& voter = crypto::require_string(list[k], "voter_id", p);
        const std::uint64_t sequence = crypto::require_uint(list[k], "sequence", p);
        const Digest hash =
            digest_from_json(crypto::require_field(list[k], "ballot_hash", p), p + ".ballot_hash");
        if (k > 0 && index <= previous)
          throw FormatError(p + ".board_index", "not in increasing board order");
        previous = index;
        const auto it = expected.find(index);
        if (it == expected.end())
          throw FormatError(p + ".board_index",
                            "entry " + std::to_string(index) + " is not a ballot");
        const CheckedBallot& b = *set.by_index.at(index);
        if (b.voter_id != voter || b.sequence != sequence || b.hash != hash) {
          throw FormatError(p, "does not match the ballot at entry " + std::to_string(index) +
                                   " (voter \"" + b.voter_id + "\", sequence " +
                                   std::to_string(b.sequence) + ", hash " + crypto::to_hex(b.hash) +
                                   ")");
        }
        if (!it->second.reason.empty()) {
          throw FormatError(
              p, "entry " + std::to_string(index) + " must not be counted: " + it->second.reason +
                     (it->second.superseded_by ? " by the voter's ballot at entry " +
                                                     std::to_string(*it->second.superseded_by)
                                               : ""));
        }
        listed.insert(index);
      } catch (const std::exception& e) {
        check.fail(k, p, e.what());
      }
    }
    for (const std::size_t index : counted) {
      if (listed.count(index) == 0) {
        check.fail(list.size() + index, entry_location(index),
                   "voter \"" + set.by_index.at(index)->voter_id +
                       "\"'s last valid ballot is missing from " + cast_path);
      }
    }
    cast_ok = check.failures() == 0;
    check.finish(counted.size(), "counted ballots", cast_path);
  } catch (const std::exception& e) {
    report.fail(kStage, cast_check, cast_path, e.what());
  }
  return cast_ok;
}

// cleanse/excluded.json: every other ballot or challenge entry with its reason.
void check_excluded_file(const RecordReader& record, const VerifierContext& ctx,
                         const BoardData& board, const CountedSet& set, Report& report) {
  const std::map<std::size_t, Expected>& expected = set.expected;
  const std::string excluded_path = "cleanse/excluded.json";
  const std::string excluded_check =
      "cleanse/excluded.json lists every uncounted ballot and challenge with its reason";
  try {
    const Json j = record.read_json(excluded_path);
    if (!j.is_object()) throw FormatError(excluded_path, "must be a JSON object");
    crypto::reject_unknown_fields(j, {"format", "election_id", "context_hash", "entries"},
                                  excluded_path);
    if (crypto::require_string(j, "format", excluded_path) != "haal-cleanse-excluded-v1")
      throw FormatError(excluded_path + ".format", "must be \"haal-cleanse-excluded-v1\"");
    if (crypto::require_string(j, "election_id", excluded_path) != ctx.manifest.election_id)
      throw FormatError(excluded_path + ".election_id", "is for another election");
    if (crypto::require_string(j, "context_hash", excluded_path) !=
        crypto::to_hex(ctx.context_hash))
      throw FormatError(excluded_path + ".context_hash", "is not this election's context hash");
    const Json& list = crypto::require_array(j, "entries", excluded_path);
    BulkCheck check(report, kStage, excluded_check, 50);
    std::set<std::size_t> listed;
    std::size_t previous = 0;
    std::size_t uncounted = 0;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const std::string p = excluded_path + ".entries[" + std::to_string(k) + "]";
      try {
        if (!list[k].is_object()) throw FormatError(p, "must be a JSON object");
        crypto::reject_unknown_fields(list[k], {"board_index", "kind", "reason", "superseded_by"},
                                      p);
        const std::uint64_t index = crypto::require_uint(list[k], "board_index", p);
        const std::string& kind = crypto::require_string(list[k], "kind", p);
        const std::string& reason = crypto::require_string(list[k], "reason", p);
        if (k > 0 && index <= previous)
          throw FormatError(p + ".board_index", "not in increasing board order");
        previous = index;
        const auto it = expected.find(index);
        if (it == expected.end())
          throw FormatError(p + ".board_index",
                            "entry " + std::to_string(index) + " is not a ballot or challenge");
        if (kind != board.entries[index].kind)
          throw FormatError(
              p + ".kind", "entry " + std::to_string(index) + " is a " + board.entries[index].kind);
        if (it->second.reason.empty())
          throw FormatError(p, "entry " + std::to_string(index) +
                                   " is the voter's last valid ballot: it must be counted");
        if (reason != it->second.reason)
          throw FormatError(p + ".reason",
                            "\"" + reason + "\", but the entry is " + it->second.reason);
        if (it->second.superseded_by) {
          if (!list[k].contains("superseded_by") ||
              crypto::require_uint(list[k], "superseded_by", p) != *it->second.superseded_by) {
            throw FormatError(p + ".superseded_by", "must be " +
                                                        std::to_string(*it->second.superseded_by) +
                                                        " (the voter's counted ballot)");
          }
        } else if (list[k].contains("superseded_by")) {
          throw FormatError(p + ".superseded_by", "only for superseded ballots");
        }
        listed.insert(index);
      } catch (const std::exception& e) {
        check.fail(k, p, e.what());
      }
    }
    for (const auto& [index, e] : expected) {
      if (e.reason.empty()) continue;
      ++uncounted;
      if (listed.count(index) == 0) {
        check.fail(list.size() + index, entry_location(index),
                   "the " + e.reason + " entry is missing from " + excluded_path);
      }
    }
    check.finish(uncounted, "uncounted entries", excluded_path);
  } catch (const std::exception& e) {
    report.fail(kStage, excluded_check, excluded_path, e.what());
  }
}

}  // namespace

void check_cleansing(const RecordReader& record, VerifierContext& ctx, const BoardData& board,
                     const BallotData& ballots, Report& report) {
  if (!ballots.checked) {
    report.fail(kStage, "cleansing", "cleanse/", "skipped: stage 4 did not run");
    return;
  }
  const std::set<Digest> challenged = check_openings(ctx, board, ballots, report);
  const CountedSet set = recompute_counted_set(ballots, challenged);
  report_late_revotes(board, set.expected, report);
  const bool cast_ok = check_cast_file(record, ctx, set, report);
  check_excluded_file(record, ctx, board, set, report);

  // Hand the counted ballots to the mix stage, in cast.json (= board) order.
  ctx.cleansed.clear();
  for (const std::size_t index : set.counted) {
    const CheckedBallot& b = *set.by_index.at(index);
    ctx.cleansed.push_back(CleansedBallot{b.voter_id, b.board_index, b.hash, b.contests});
  }
  ctx.cleansed_ok = cast_ok;
}

}  // namespace haal::verifier
