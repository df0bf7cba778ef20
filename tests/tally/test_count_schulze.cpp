// Schulze counts: the 45-voter example of Wikipedia's "Schulze method" article (by M. Schulze),
// the Tennessee example, truncated ballots and ties.
#include <catch2/catch.hpp>

#include "tally/counting/schulze.hpp"
#include "tally_test_support.hpp"

using namespace haal::tally;
using namespace haal::tally::test;

namespace {

SchulzeCount schulze(const ContestMetadata& contest, const std::vector<Selection>& ballots,
                     std::string_view seed_text = "") {
  const auto order = TieBreakOrder::from_seed_var(
      seed(seed_text), contest.id, static_cast<std::uint32_t>(contest.option_names.size()));
  return count_schulze_var(contest, ballots, order);
}

using Tiers = std::vector<std::vector<std::uint32_t>>;
using Options = std::vector<std::uint32_t>;

}  // namespace

// 45 voters, 5 candidates, no Condorcet winner (cycle A > C 26:19, C > B 29:16, B > A 25:20):
//   5 ACBED  5 ADECB  8 BEDAC  3 CABED  7 CAEBD  2 CBADE  7 DCEBA  8 EBADC
// d[A,B]: ballots with A before B: ACBED 5 + ADECB 5 + CABED 3 + CAEBD 7 = 20; d[B,A] = 45 - 20
// = 25, and likewise for every pair (all ballots are complete). The published matrices:
//   d      A  B  C  D  E          p      A  B  C  D  E
//   A      -  20 26 30 22         A      -  28 28 30 24
//   B      25 -  16 33 18         B      25 -  28 33 24
//   C      19 29 -  17 24         C      25 29 -  29 24
//   D      15 12 28 -  14         D      25 28 28 -  24
//   E      23 27 21 31 -          E      25 28 28 31 -
// E is the unique winner (p[E,X] > p[X,E] for all X); ranking E > A > C > B > D.
TEST_CASE("Schulze: the 45-voter example with a cycle elects E") {
  const auto contest = ranked_contest(ContestKind::kSchulze, "schulze45", 5, 5);
  std::vector<Selection> ballots;
  add(ballots, 5, letters("ACBED"));
  add(ballots, 5, letters("ADECB"));
  add(ballots, 8, letters("BEDAC"));
  add(ballots, 3, letters("CABED"));
  add(ballots, 7, letters("CAEBD"));
  add(ballots, 2, letters("CBADE"));
  add(ballots, 7, letters("DCEBA"));
  add(ballots, 8, letters("EBADC"));
  const auto count = schulze(contest, ballots);
  const CountMatrix d{{0, 20, 26, 30, 22},
                      {25, 0, 16, 33, 18},
                      {19, 29, 0, 17, 24},
                      {15, 12, 28, 0, 14},
                      {23, 27, 21, 31, 0}};
  const CountMatrix p{{0, 28, 28, 30, 24},
                      {25, 0, 28, 33, 24},
                      {25, 29, 0, 29, 24},
                      {25, 28, 28, 0, 24},
                      {25, 28, 28, 31, 0}};
  CHECK(count.pairwise == d);
  CHECK(count.strongest_paths == p);
  CHECK(count.winners == Options{4});
  CHECK(count.ranking_tiers == Tiers{{4}, {0}, {2}, {1}, {3}});
  CHECK(count.ranking == Options{4, 0, 2, 1, 3});
  CHECK(count.census.valid == 45);
}

// Tennessee (A Memphis, B Nashville, C Chattanooga, D Knoxville): 42 ABCD, 26 BCDA, 15 CDBA,
// 17 DCBA. Pairwise: B over A 58 (26+15+17) vs 42; C over A 58, D over A 58; B over C 68
// (42+26) vs 32; B over D 68 vs 32; C over D 83 (42+26+15) vs 17. B (Nashville) beats everyone.
// Every link is a win, so p: from B: p[B,A] = 58, p[B,C] = 68, p[B,D] = max(68, min(68, 83)) = 68;
// from C: p[C,A] = 58, p[C,D] = 83; from D: p[D,A] = 58; nothing reaches B, A reaches nothing.
// Ranking B > C > D > A (unlike IRV, which elects D).
TEST_CASE("Schulze: Tennessee elects the Condorcet winner Nashville") {
  const auto contest = ranked_contest(ContestKind::kSchulze, "tennessee", 4, 4);
  std::vector<Selection> ballots;
  add(ballots, 42, letters("ABCD"));
  add(ballots, 26, letters("BCDA"));
  add(ballots, 15, letters("CDBA"));
  add(ballots, 17, letters("DCBA"));
  const auto count = schulze(contest, ballots);
  CHECK(count.pairwise ==
        CountMatrix{{0, 42, 42, 42}, {58, 0, 68, 68}, {58, 32, 0, 83}, {58, 32, 17, 0}});
  CHECK(count.strongest_paths ==
        CountMatrix{{0, 0, 0, 0}, {58, 0, 68, 68}, {58, 0, 0, 83}, {58, 0, 0, 0}});
  CHECK(count.winners == Options{1});
  CHECK(count.ranking == Options{1, 2, 3, 0});
}

// Truncated rankings: a ranked option is above every unranked one; unranked ones are not compared.
//   1 A      1 B > C      1 blank
// d[A,B] = 1 (ballot "A"), d[A,C] = 1 ("A"), d[B,A] = 1 ("B > C": A unranked), d[B,C] = 1,
// d[C,A] = 1 ("B > C": C ranked, A not), d[C,B] = 0. B and C stay unordered on ballot "A".
TEST_CASE("Schulze: unranked options rank below ranked ones, ties among them not counted") {
  const auto contest = ranked_contest(ContestKind::kSchulze, "truncated", 3, 3);
  const std::vector<Selection> ballots{letters("A"), letters("BC"), letters("")};
  const auto count = schulze(contest, ballots);
  CHECK(count.pairwise == CountMatrix{{0, 1, 1}, {1, 0, 1}, {1, 0, 0}});
  // Only B > C is a win (1 vs 0): p[B,C] = 1, all else 0. A is tied with both; B beats C.
  CHECK(count.strongest_paths == CountMatrix{{0, 0, 0}, {0, 0, 1}, {0, 0, 0}});
  CHECK(count.winners == Options{0, 1});
  CHECK(count.ranking_tiers == Tiers{{0, 1}, {2}});
  CHECK(count.census.blank == 1);
}

// A perfect three-way cycle: 1 ABC, 1 BCA, 1 CAB. d[A,B] = d[B,C] = d[C,A] = 2, reverse 1.
// Every p is 2 (each option reaches each other through a 2-link), so nobody beats anybody:
// all three are potential winners and share the single tier. contest "cycle", seed "seed-2"
// -> order [1, 0, 2] (Python hashlib), which orders the full ranking B, A, C.
TEST_CASE("Schulze: a perfect cycle is a three-way tie, reported and ordered by lot") {
  const auto contest = ranked_contest(ContestKind::kSchulze, "cycle", 3, 3);
  const std::vector<Selection> ballots{letters("ABC"), letters("BCA"), letters("CAB")};
  const auto count = schulze(contest, ballots, "seed-2");
  CHECK(count.pairwise == CountMatrix{{0, 2, 1}, {1, 0, 2}, {2, 1, 0}});
  CHECK(count.strongest_paths == CountMatrix{{0, 2, 2}, {2, 0, 2}, {2, 2, 0}});
  CHECK(count.winners == Options{0, 1, 2});
  CHECK(count.ranking_tiers == Tiers{{0, 1, 2}});
  CHECK(count.ranking == Options{1, 0, 2});
}

// Two options, 2 AB and 2 BA: d[A,B] = d[B,A] = 2, no win, p all 0: A and B tie.
TEST_CASE("Schulze: an even split is a tie and no ballots at all ties everyone") {
  const auto contest = ranked_contest(ContestKind::kSchulze, "tie", 2, 2);
  std::vector<Selection> ballots;
  add(ballots, 2, letters("AB"));
  add(ballots, 2, letters("BA"));
  const auto count = schulze(contest, ballots, "");
  CHECK(count.pairwise == CountMatrix{{0, 2}, {2, 0}});
  CHECK(count.strongest_paths == CountMatrix{{0, 0}, {0, 0}});
  CHECK(count.winners == Options{0, 1});
  // contest "tie", seed "": order [1, 0].
  CHECK(count.ranking == Options{1, 0});

  const std::vector<Selection> nothing{undecodable()};
  const auto empty = schulze(contest, nothing, "");
  CHECK(empty.winners == Options{0, 1});
  CHECK(empty.census.invalid == 1);
}
