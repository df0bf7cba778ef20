// Counting choice contests (plurality, approval, referendum): totals per option and per write-in.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "tally/counting/ballots.hpp"
#include "tally/counting/contest.hpp"

namespace haal::tally {

struct ChoiceCount {
  BallotCensus census;
  // option_votes[i]: valid ballots selecting option i.
  std::vector<std::uint64_t> option_votes;
  // Valid ballots naming each distinct write-in text, keyed by its exact bytes (no normalisation).
  std::map<std::string, std::uint64_t> write_in_votes;
  // Options with the highest total, ascending; empty when no option has a vote. Several = a tie.
  std::vector<std::uint32_t> leaders;
};

// Counts the selections of a choice contest. Order-independent. Variable time (public data).
// Throws std::invalid_argument when the metadata is invalid or the contest is ranked.
ChoiceCount count_choice_var(const ContestMetadata& contest, std::span<const Selection> ballots);

}  // namespace haal::tally
