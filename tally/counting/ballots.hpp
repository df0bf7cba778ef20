// Sorting a contest's selections into valid, blank and invalid ballots: no ballot is dropped.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "tally/counting/contest.hpp"

namespace haal::tally {

// How many ballots were cast and how they were classified. total == valid + invalid;
// blank <= valid; the invalid_by_reason entries (indexed by InvalidReason) sum to invalid.
struct BallotCensus {
  std::uint64_t total = 0;
  std::uint64_t valid = 0;
  std::uint64_t blank = 0;
  std::uint64_t invalid = 0;
  std::array<std::uint64_t, kInvalidReasonCount> invalid_by_reason{};

  // Classifies one selection: counts it as invalid (returning false) or valid (returning true).
  bool record(const ContestMetadata& contest, const Selection& selection);
};

// The valid, non-blank rankings of a ranked contest, identical rankings grouped with their count.
struct RankedBallots {
  BallotCensus census;
  std::map<std::vector<std::uint32_t>, std::uint64_t> rankings;
};

// Classifies every selection of a ranked contest and groups the valid non-blank rankings.
// Precondition: contest passed validate_contest_metadata and is_ranked(contest.kind).
RankedBallots collect_rankings(const ContestMetadata& contest, std::span<const Selection> ballots);

}  // namespace haal::tally
