#include "tally/counting/ballots.hpp"

namespace haal::tally {

bool BallotCensus::record(const ContestMetadata& contest, const Selection& selection) {
  ++total;
  if (const auto reason = find_invalid_reason(contest, selection)) {
    ++invalid;
    ++invalid_by_reason[static_cast<std::size_t>(*reason)];
    return false;
  }
  ++valid;
  if (selection.options.empty() && !selection.write_in.has_value()) ++blank;
  return true;
}

RankedBallots collect_rankings(const ContestMetadata& contest, std::span<const Selection> ballots) {
  RankedBallots result;
  for (const auto& selection : ballots) {
    if (result.census.record(contest, selection) && !selection.options.empty()) {
      ++result.rankings[selection.options];
    }
  }
  return result;
}

}  // namespace haal::tally
