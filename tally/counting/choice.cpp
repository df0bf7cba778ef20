#include "tally/counting/choice.hpp"

#include <algorithm>
#include <stdexcept>

namespace haal::tally {

ChoiceCount count_choice_var(const ContestMetadata& contest, std::span<const Selection> ballots) {
  validate_contest_metadata(contest);
  if (is_ranked(contest.kind)) throw std::invalid_argument("count_choice_var: contest is ranked");
  ChoiceCount result;
  result.option_votes.assign(contest.option_names.size(), 0);
  for (const auto& selection : ballots) {
    if (!result.census.record(contest, selection)) continue;
    for (const auto option : selection.options) ++result.option_votes[option];
    if (selection.write_in.has_value()) ++result.write_in_votes[*selection.write_in];
  }
  const auto highest = *std::max_element(result.option_votes.begin(), result.option_votes.end());
  if (highest > 0) {
    for (std::uint32_t option = 0; option < result.option_votes.size(); ++option) {
      if (result.option_votes[option] == highest) result.leaders.push_back(option);
    }
  }
  return result;
}

}  // namespace haal::tally
