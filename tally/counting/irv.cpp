#include "tally/counting/irv.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace haal::tally {

namespace {

constexpr std::uint64_t kNotContinuing = std::numeric_limits<std::uint64_t>::max();

// Sets round.option/reason to the option eliminated among `candidates` (>= 2 options tied for
// fewest votes in this round): narrowed backwards through the earlier rounds
// (earlier_tallies[r] = tallies of round r + 1), then the least favoured in the tie-break order.
void break_elimination_tie(std::vector<std::uint32_t> candidates,
                           const std::vector<std::vector<std::uint64_t>>& earlier_tallies,
                           const TieBreakOrder& tie_break, IrvRound& round) {
  for (std::size_t r = earlier_tallies.size(); r-- > 0;) {
    const auto& tallies = earlier_tallies[r];
    std::uint64_t lowest = kNotContinuing;
    for (const auto option : candidates) lowest = std::min(lowest, tallies[option]);
    std::erase_if(candidates, [&](std::uint32_t option) { return tallies[option] != lowest; });
    if (candidates.size() == 1) {
      round.option = candidates.front();
      round.reason = IrvReason::kPreviousRound;
      round.tie_decided_in_round = static_cast<std::uint32_t>(r + 1);
      return;
    }
  }
  round.option = *std::max_element(candidates.begin(), candidates.end(),
                                   [&](std::uint32_t a, std::uint32_t b) {
                                     return tie_break.position(a) < tie_break.position(b);
                                   });
  round.reason = IrvReason::kTieBreakOrder;
}

}  // namespace

const char* irv_reason_name(IrvReason reason) {
  switch (reason) {
    case IrvReason::kMajority:
      return "majority";
    case IrvReason::kLowestVotes:
      return "lowest_votes";
    case IrvReason::kPreviousRound:
      return "previous_round";
    case IrvReason::kTieBreakOrder:
      return "tie_break_order";
  }
  throw std::invalid_argument("IRV reason out of range");
}

IrvCount count_irv_var(const ContestMetadata& contest, std::span<const Selection> ballots,
                       const TieBreakOrder& tie_break) {
  validate_contest_metadata(contest);
  if (contest.kind != ContestKind::kIrv)
    throw std::invalid_argument("count_irv_var: not an IRV contest");
  const auto n = static_cast<std::uint32_t>(contest.option_names.size());
  if (tie_break.order().size() != n) {
    throw std::invalid_argument("count_irv_var: tie-break order has " +
                                std::to_string(tie_break.order().size()) + " options, contest " +
                                std::to_string(n));
  }
  auto [census, rankings] = collect_rankings(contest, ballots);
  IrvCount result;
  result.census = census;
  if (rankings.empty()) return result;

  std::vector<bool> continuing(n, true);
  // tallies_by_round[r][option]: votes in round r + 1, kNotContinuing once eliminated.
  std::vector<std::vector<std::uint64_t>> tallies_by_round;
  while (true) {
    IrvRound round;
    round.number = static_cast<std::uint32_t>(tallies_by_round.size() + 1);
    std::vector<std::uint64_t> tallies(n, kNotContinuing);
    for (std::uint32_t option = 0; option < n; ++option) {
      if (continuing[option]) tallies[option] = 0;
    }
    // Each ranking counts for its most preferred continuing option, or is exhausted.
    for (const auto& [ranking, count] : rankings) {
      const auto top = std::find_if(ranking.begin(), ranking.end(),
                                    [&](std::uint32_t option) { return continuing[option]; });
      if (top == ranking.end()) {
        round.exhausted_ballots += count;
      } else {
        tallies[*top] += count;
        round.continuing_ballots += count;
      }
    }
    std::uint64_t lowest = kNotContinuing;
    for (std::uint32_t option = 0; option < n; ++option) {
      if (!continuing[option]) continue;
      round.tallies.emplace_back(option, tallies[option]);
      lowest = std::min(lowest, tallies[option]);
      // Strict majority of the continuing ballots: more votes than all other options together.
      if (tallies[option] > round.continuing_ballots - tallies[option]) {
        round.action = IrvAction::kElect;
        round.option = option;
        round.reason = IrvReason::kMajority;
      }
    }
    if (round.action == IrvAction::kEliminate) {
      std::vector<std::uint32_t> tied;
      for (const auto& [option, votes] : round.tallies) {
        if (votes == lowest) tied.push_back(option);
      }
      if (tied.size() == 1) {
        round.option = tied.front();
        round.reason = IrvReason::kLowestVotes;
      } else {
        round.tied_options = tied;
        break_elimination_tie(tied, tallies_by_round, tie_break, round);
      }
      continuing[round.option] = false;
    }
    tallies_by_round.push_back(std::move(tallies));
    result.rounds.push_back(std::move(round));
    if (result.rounds.back().action == IrvAction::kElect) {
      result.winner = result.rounds.back().option;
      return result;
    }
  }
}

}  // namespace haal::tally
