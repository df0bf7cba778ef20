// The Schulze method (M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
// Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011),
// section 2): pairwise preferences, strongest paths by winning votes, winners and ranking.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tally/counting/ballots.hpp"
#include "tally/counting/contest.hpp"
#include "tally/counting/tie_break.hpp"

namespace haal::tally {

using CountMatrix = std::vector<std::vector<std::uint64_t>>;

struct SchulzeCount {
  BallotCensus census;
  // pairwise[i][j] = d[i,j]: valid ballots ranking i above j (a ranked option is above every
  // unranked one; two unranked options are not compared). Diagonal 0.
  CountMatrix pairwise;
  // strongest_paths[i][j] = p[i,j]: strength of the strongest path from i to j, link strength
  // d[x,y] when d[x,y] > d[y,x] and 0 otherwise (winning votes). Diagonal 0.
  CountMatrix strongest_paths;
  // Potential winners: i with p[i,j] >= p[j,i] for every j, ascending. Several = a tie.
  std::vector<std::uint32_t> winners;
  // Successive winner sets: tier k holds the options not beaten (p[j,i] > p[i,j]) by any option
  // outside tiers 0..k-1; ascending within a tier. tiers[0] == winners.
  std::vector<std::vector<std::uint32_t>> ranking_tiers;
  // The tiers flattened, each tier ordered by the published tie-break order: a full ranking.
  std::vector<std::uint32_t> ranking;
};

// Returns d from grouped rankings (count, ranking) for n options. Variable time.
CountMatrix schulze_pairwise_var(
    std::uint32_t n, const std::map<std::vector<std::uint32_t>, std::uint64_t>& rankings);
// Returns p from d by the Floyd-Warshall-style widest-path algorithm of Schulze's section 2.3.
// Precondition: d is square. Variable time.
CountMatrix schulze_strongest_paths_var(const CountMatrix& d);

// Counts a ranked contest by Schulze. Order-independent. Variable time (public data).
// Throws std::invalid_argument when the metadata is invalid, the contest is not a Schulze contest,
// or `tie_break` does not cover the contest's options.
SchulzeCount count_schulze_var(const ContestMetadata& contest, std::span<const Selection> ballots,
                               const TieBreakOrder& tie_break);

}  // namespace haal::tally
