// The canonical results object of a contest and its byte-exact serialisation
// (docs/counting.md, "Results JSON"). An independent verifier recomputes it and compares bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "crypto/bytes.hpp"
#include "tally/counting/choice.hpp"
#include "tally/counting/contest.hpp"
#include "tally/counting/irv.hpp"
#include "tally/counting/schulze.hpp"

namespace haal::tally {

using Json = nlohmann::json;

// Identifies the layout below; bumped on any change to it.
inline constexpr std::string_view kContestResultsFormat = "haal-contest-results-v1";

// Returns the results object for one contest: counts the selections by the method its kind names.
// tie_break_seed is the public seed of the tie-break order (used and published for ranked kinds
// only). Order-independent in `ballots`. Variable time (public data).
// Throws std::invalid_argument when the metadata is invalid.
Json count_contest_var(const ContestMetadata& contest, std::span<const Selection> ballots,
                       crypto::ByteView tie_break_seed);

// The JSON members for each counting result (as placed in count_contest_var's object).
Json census_to_json(const BallotCensus& census);
Json choice_to_json(const ChoiceCount& count);
Json irv_to_json(const IrvCount& count);
Json schulze_to_json(const SchulzeCount& count);

// Identifies the election-level results.json layout.
inline constexpr std::string_view kElectionResultsFormat = "haal-results-v1";

// Returns the results.json object: {"contests": contest_results in the given (manifest) order,
// "election_id", "format"}. Throws std::invalid_argument when a contest id repeats or an entry
// is not a count_contest_var object.
Json election_results(std::string_view election_id, std::span<const Json> contest_results);

// Returns the canonical bytes of `results` as a string: crypto::canonical_json_bytes
// (docs/crypto.md section 3), no trailing newline. Throws crypto::FormatError on floats or invalid
// UTF-8 (neither occurs in count_contest_var's output: every string was checked).
std::string canonical_json(const Json& results);

}  // namespace haal::tally
