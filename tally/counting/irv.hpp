// Instant-runoff voting: repeated elimination of the weakest option until one holds a majority of
// the continuing ballots. Every round is kept for publication (docs/counting.md, "IRV").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "tally/counting/ballots.hpp"
#include "tally/counting/contest.hpp"
#include "tally/counting/tie_break.hpp"

namespace haal::tally {

enum class IrvAction { kElect, kEliminate };

// Why a round ended the way it did.
enum class IrvReason {
  kMajority,       // elected: more than half of the continuing ballots
  kLowestVotes,    // eliminated: the only option with the fewest votes
  kPreviousRound,  // eliminated: tied lowest; keeping the fewest votes of each earlier round,
                   // latest first, leaves it alone
  kTieBreakOrder,  // eliminated: tied lowest, earlier rounds do not single one out; the least
                   // favoured of the remaining tied options in the published tie-break order
};

// Returns the JSON name: "majority", "lowest_votes", "previous_round", "tie_break_order".
const char* irv_reason_name(IrvReason reason);

struct IrvRound {
  std::uint32_t number = 0;  // 1-based
  // (option, votes) for every continuing option, ascending option index.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> tallies;
  std::uint64_t continuing_ballots = 0;  // ballots counting for a continuing option
  std::uint64_t exhausted_ballots = 0;   // valid non-blank ballots with no continuing option left
  IrvAction action = IrvAction::kEliminate;
  std::uint32_t option = 0;  // elected or eliminated
  IrvReason reason = IrvReason::kLowestVotes;
  std::vector<std::uint32_t> tied_options;  // options tied at the lowest tally (>= 2) or empty
  std::optional<std::uint32_t> tie_decided_in_round;  // set when reason == kPreviousRound
};

struct IrvCount {
  BallotCensus census;
  std::vector<IrvRound> rounds;         // empty when no valid ballot ranks any option
  std::optional<std::uint32_t> winner;  // the option elected in the last round
};

// Counts a ranked contest by IRV. Order-independent. Variable time (public data).
// Throws std::invalid_argument when the metadata is invalid, the contest is not ranked, or
// `tie_break` does not cover the contest's options.
IrvCount count_irv_var(const ContestMetadata& contest, std::span<const Selection> ballots,
                       const TieBreakOrder& tie_break);

}  // namespace haal::tally
