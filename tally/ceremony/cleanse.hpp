// Step 2 of the tally ceremony: cleansing (docs/verifier.md, stage 5, gives the rule the
// verifier recomputes). Every ballot and challenge on the final board is verified again; per
// voter the last valid cast ballot counts (highest (sequence, board index)); challenged ballots,
// invalid entries and superseded ballots are excluded, each with its reason.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "tally/ceremony/record.hpp"

namespace haal::tally {

struct CleanseSummary {
  std::size_t ballots = 0;                                // ballot entries on the board
  std::size_t challenges = 0;                             // challenge entries
  std::size_t counted = 0;                                // in cleanse/cast.json
  std::map<std::string, std::size_t> excluded_by_reason;  // "challenged", "invalid", "superseded"
};

// Reads RECORD_DIR (manifest, context, roll, board/entries.jsonl), verifies every ballot
// (election::verify_ballot_text_var) and challenge (election::verify_challenge_var) on all cores,
// and writes cleanse/cast.json and cleanse/excluded.json. Deterministic: the same board gives
// the same files. Shows progress on `progress` when not null. Throws TallyError on an
// unreadable record.
CleanseSummary cleanse_record(const std::filesystem::path& record_dir, std::ostream* progress);

// Returns the entries of RECORD_DIR/board/entries.jsonl as parsed JSON objects, each checked
// ({"kind", "payload", "sequence" = line index, "timestamp_ms"}). Throws TallyError naming the
// line.
std::vector<Json> read_board_entries(const std::filesystem::path& record_dir);

}  // namespace haal::tally
