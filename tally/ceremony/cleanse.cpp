#include "tally/ceremony/cleanse.hpp"

#include <fstream>
#include <set>
#include <unordered_map>

#include "board/entry.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"
#include "election/ballot.hpp"
#include "election/benaloh.hpp"
#include "election/context.hpp"
#include "election/revoting.hpp"
#include "election/roll.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

std::vector<Json> read_board_entries(const fs::path& record_dir) {
  const fs::path file = record_dir / "board" / "entries.jsonl";
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TallyError(file.string() + ": cannot be read");
  std::vector<Json> out;
  std::string line;
  while (std::getline(in, line)) {
    const std::string where = file.string() + " line " + std::to_string(out.size() + 1);
    try {
      const board::BoardEntry e = board::entry_from_json(Json::parse(line), where);
      if (e.sequence != out.size()) throw TallyError("sequence " + std::to_string(e.sequence));
      out.push_back(Json{{"kind", e.kind},
                         {"timestamp_ms", e.timestamp_ms},
                         {"payload", std::string(e.payload.begin(), e.payload.end())}});
    } catch (const std::exception& e) {
      throw TallyError(where + ": " + e.what());
    }
  }
  return out;
}

namespace {

// One ballot or challenge entry after verification.
struct CheckedEntry {
  std::size_t board_index = 0;
  bool challenge = false;
  bool valid = false;
  std::string voter_id;
  std::uint64_t sequence = 0;
  crypto::Digest hash{};           // ballot_hash, or the challenge record's hash
  crypto::Digest tracking_hash{};  // over the ciphertexts (docs/ballots.md section 7)
};

}  // namespace

CleanseSummary cleanse_record(const fs::path& record_dir, std::ostream* progress_out) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const election::Roll roll = election::load_roll(record_dir, context.election_id());
  const std::vector<Json> entries = read_board_entries(record_dir);

  std::vector<CheckedEntry> checked;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& kind = entries[i]["kind"].get_ref<const std::string&>();
    if (kind == board::kKindBallot || kind == board::kKindChallenge) {
      CheckedEntry c;
      c.board_index = i;
      c.challenge = kind == board::kKindChallenge;
      checked.push_back(std::move(c));
    }
  }
  base::Progress progress("cleanse: verifying ballots", checked.size(), progress_out);
  base::parallel_for_each(
      checked.size(),
      [&](std::size_t k) {
        CheckedEntry& c = checked[k];
        const std::string& payload =
            entries[c.board_index]["payload"].get_ref<const std::string&>();
        try {
          const Json parsed = Json::parse(payload);
          // The board stores canonical JSON (docs/board.md); anything else is invalid, as
          // haal-verify's stage 4 says.
          const crypto::Bytes canonical = crypto::canonical_json_bytes(parsed);
          if (std::string_view(reinterpret_cast<const char*>(canonical.data()), canonical.size()) !=
              payload) {
            throw std::invalid_argument("payload is not canonical JSON");
          }
          if (c.challenge) {
            const election::OpenedChallenge opened =
                election::verify_challenge_var(context, parsed);
            c.hash = opened.hash;
            c.tracking_hash = opened.tracking_hash;
          } else {
            const election::VerifiedBallot b = election::verify_ballot_var(context, roll, parsed);
            c.voter_id = b.voter_id;
            c.sequence = b.sequence;
            c.hash = b.hash;
            c.tracking_hash = b.tracking_hash;
          }
          c.valid = true;
        } catch (const std::exception&) {
          c.valid = false;  // excluded as "invalid"; the verifier names the failing check
        }
      },
      &progress);
  progress.finish();

  // Ciphertexts opened by a valid challenge are spoiled (Benaloh): a cast ballot with the same
  // tracking hash is never counted.
  std::set<crypto::Digest> challenged;
  for (const CheckedEntry& c : checked) {
    if (c.challenge && c.valid) challenged.insert(c.tracking_hash);
  }
  std::vector<election::CastBallotEntry> cast;
  for (const CheckedEntry& c : checked) {
    if (!c.challenge && c.valid) {
      cast.push_back({c.voter_id, c.sequence, c.board_index, c.hash, c.tracking_hash});
    }
  }
  const std::vector<std::size_t> counted = election::counted_ballots(cast, challenged);
  std::unordered_map<std::string, std::size_t> counted_of_voter;  // voter -> board index
  std::set<std::size_t> counted_index;
  for (const std::size_t k : counted) {
    counted_of_voter[cast[k].voter_id] = cast[k].board_index;
    counted_index.insert(cast[k].board_index);
  }

  CleanseSummary summary;
  Json cast_list = Json::array();
  Json excluded = Json::array();
  for (const CheckedEntry& c : checked) {
    (c.challenge ? summary.challenges : summary.ballots) += 1;
    if (counted_index.count(c.board_index) != 0) {
      cast_list.push_back({{"board_index", c.board_index},
                           {"voter_id", c.voter_id},
                           {"sequence", c.sequence},
                           {"ballot_hash", crypto::to_hex(c.hash)}});
      continue;
    }
    Json e{{"board_index", c.board_index}, {"kind", c.challenge ? "challenge" : "ballot"}};
    if (c.challenge || (c.valid && challenged.count(c.tracking_hash) != 0)) {
      e["reason"] = "challenged";
    } else if (!c.valid) {
      e["reason"] = "invalid";
    } else {
      e["reason"] = "superseded";
      e["superseded_by"] = counted_of_voter.at(c.voter_id);
    }
    ++summary.excluded_by_reason[e["reason"].get<std::string>()];
    excluded.push_back(std::move(e));
  }
  summary.counted = cast_list.size();
  const std::string context_hash = crypto::to_hex(context.hash());
  write_record_json(record_dir / "cleanse" / "cast.json",
                    Json{{"format", "haal-cleanse-cast-v1"},
                         {"election_id", context.election_id()},
                         {"context_hash", context_hash},
                         {"ballots", std::move(cast_list)}});
  write_record_json(record_dir / "cleanse" / "excluded.json",
                    Json{{"format", "haal-cleanse-excluded-v1"},
                         {"election_id", context.election_id()},
                         {"context_hash", context_hash},
                         {"entries", std::move(excluded)}});
  return summary;
}

}  // namespace haal::tally
