#include "tally/counting/schulze.hpp"

#include <algorithm>
#include <stdexcept>

namespace haal::tally {

CountMatrix schulze_pairwise_var(
    std::uint32_t n, const std::map<std::vector<std::uint32_t>, std::uint64_t>& rankings) {
  CountMatrix d(n, std::vector<std::uint64_t>(n, 0));
  std::vector<bool> ranked(n);
  for (const auto& [ranking, count] : rankings) {
    std::fill(ranked.begin(), ranked.end(), false);
    for (std::size_t a = 0; a < ranking.size(); ++a) {
      for (std::size_t b = a + 1; b < ranking.size(); ++b) d[ranking[a]][ranking[b]] += count;
      ranked[ranking[a]] = true;
    }
    for (const auto above : ranking) {
      for (std::uint32_t below = 0; below < n; ++below) {
        if (!ranked[below]) d[above][below] += count;
      }
    }
  }
  return d;
}

CountMatrix schulze_strongest_paths_var(const CountMatrix& d) {
  const auto n = d.size();
  CountMatrix p(n, std::vector<std::uint64_t>(n, 0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i != j && d[i][j] > d[j][i]) p[i][j] = d[i][j];
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      for (std::size_t k = 0; k < n; ++k) {
        if (i != k && j != k) p[j][k] = std::max(p[j][k], std::min(p[j][i], p[i][k]));
      }
    }
  }
  return p;
}

SchulzeCount count_schulze_var(const ContestMetadata& contest, std::span<const Selection> ballots,
                               const TieBreakOrder& tie_break) {
  validate_contest_metadata(contest);
  if (contest.kind != ContestKind::kSchulze) {
    throw std::invalid_argument("count_schulze_var: not a Schulze contest");
  }
  const auto n = static_cast<std::uint32_t>(contest.option_names.size());
  if (tie_break.order().size() != n) {
    throw std::invalid_argument("count_schulze_var: tie-break order has " +
                                std::to_string(tie_break.order().size()) + " options, contest " +
                                std::to_string(n));
  }
  const auto collected = collect_rankings(contest, ballots);
  SchulzeCount result;
  result.census = collected.census;
  result.pairwise = schulze_pairwise_var(n, collected.rankings);
  result.strongest_paths = schulze_strongest_paths_var(result.pairwise);
  const auto& p = result.strongest_paths;

  // The relation "p[i,j] > p[j,i]" is a strict partial order (Schulze 2011, section 4.1), so
  // peeling off unbeaten options tier by tier always makes progress.
  std::vector<bool> placed(n, false);
  std::uint32_t remaining = n;
  while (remaining > 0) {
    std::vector<std::uint32_t> tier;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (placed[i]) continue;
      bool beaten = false;
      for (std::uint32_t j = 0; j < n && !beaten; ++j) {
        beaten = !placed[j] && j != i && p[j][i] > p[i][j];
      }
      if (!beaten) tier.push_back(i);
    }
    if (tier.empty()) throw std::logic_error("count_schulze_var: beat relation is not acyclic");
    for (const auto option : tier) placed[option] = true;
    remaining -= static_cast<std::uint32_t>(tier.size());
    std::vector<std::uint32_t> ordered = tier;
    std::sort(ordered.begin(), ordered.end(), [&](std::uint32_t a, std::uint32_t b) {
      return tie_break.position(a) < tie_break.position(b);
    });
    result.ranking.insert(result.ranking.end(), ordered.begin(), ordered.end());
    result.ranking_tiers.push_back(std::move(tier));
  }
  result.winners = result.ranking_tiers.front();
  return result;
}

}  // namespace haal::tally
