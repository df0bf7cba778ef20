// Instant-runoff counts worked by hand; the reasoning for every round is in the comments.
#include <catch2/catch.hpp>

#include "tally/counting/irv.hpp"
#include "tally/counting/results.hpp"
#include "tally_test_support.hpp"

using namespace haal::tally;
using namespace haal::tally::test;

namespace {

using Tallies = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

IrvCount irv(const ContestMetadata& contest, const std::vector<Selection>& ballots,
             std::string_view seed_text = "") {
  const auto order = TieBreakOrder::from_seed_var(
      seed(seed_text), contest.id, static_cast<std::uint32_t>(contest.option_names.size()));
  return count_irv_var(contest, ballots, order);
}

}  // namespace

// Wikipedia's "Tennessee capital" example, 100 voters: A = Memphis, B = Nashville,
// C = Chattanooga, D = Knoxville.
//   42 Memphis > Nashville > Chattanooga > Knoxville     (ABCD)
//   26 Nashville > Chattanooga > Knoxville > Memphis     (BCDA)
//   15 Chattanooga > Knoxville > Nashville > Memphis     (CDBA)
//   17 Knoxville > Chattanooga > Nashville > Memphis     (DCBA)
// Round 1: A 42, B 26, C 15, D 17; majority needs > 50. C is lowest: eliminated.
// Round 2: C's 15 ballots move to their next choice D: A 42, B 26, D 32. B lowest: eliminated.
// Round 3: B's 26 ballots (BCDA) skip eliminated C and go to D: A 42, D 58 > 50: D elected.
TEST_CASE("IRV: Tennessee capital example elects Knoxville in three rounds") {
  const auto contest = ranked_contest(ContestKind::kIrv, "tennessee", 4, 4);
  std::vector<Selection> ballots;
  add(ballots, 42, letters("ABCD"));
  add(ballots, 26, letters("BCDA"));
  add(ballots, 15, letters("CDBA"));
  add(ballots, 17, letters("DCBA"));
  const auto count = irv(contest, ballots);
  REQUIRE(count.rounds.size() == 3);
  CHECK(count.rounds[0].tallies == Tallies{{0, 42}, {1, 26}, {2, 15}, {3, 17}});
  CHECK(count.rounds[0].action == IrvAction::kEliminate);
  CHECK(count.rounds[0].option == 2);
  CHECK(count.rounds[0].reason == IrvReason::kLowestVotes);
  CHECK(count.rounds[0].tied_options.empty());
  CHECK(count.rounds[1].tallies == Tallies{{0, 42}, {1, 26}, {3, 32}});
  CHECK(count.rounds[1].option == 1);
  CHECK(count.rounds[2].tallies == Tallies{{0, 42}, {3, 58}});
  CHECK(count.rounds[2].action == IrvAction::kElect);
  CHECK(count.rounds[2].reason == IrvReason::kMajority);
  for (const auto& round : count.rounds) {
    CHECK(round.continuing_ballots == 100);
    CHECK(round.exhausted_ballots == 0);
  }
  CHECK(count.winner == 3u);
}

// Truncated ballots (rank limit 2) that exhaust, and a tie settled by an earlier round.
//   5 A          4 B > C        3 C          1 D          1 D > B          1 blank
// 14 valid non-blank ballots.
// Round 1: A 5, B 4, C 3, D 2 (continuing 14, exhausted 0). D lowest: eliminated.
// Round 2: "D" exhausts; "D > B" moves to B. A 5, B 5, C 3 (continuing 13, exhausted 1).
//          Majority needs more than 13 - votes: none. C lowest: eliminated.
// Round 3: the three "C" ballots exhaust. A 5, B 5 (continuing 10, exhausted 4); 5 is not a
//          majority of 10. A and B tie for lowest; round 2 also ties them (5, 5); round 1 has
//          A 5, B 4, so B is eliminated ("previous_round", decided in round 1).
// Round 4: B's ballots "B > C" (C eliminated) and "D > B" exhaust: A 5 (continuing 5,
//          exhausted 9). A elected.
TEST_CASE("IRV: exhausted ballots and a tie broken by an earlier round") {
  const auto contest = ranked_contest(ContestKind::kIrv, "exhaust", 4, 2);
  std::vector<Selection> ballots;
  add(ballots, 5, letters("A"));
  add(ballots, 4, letters("BC"));
  add(ballots, 3, letters("C"));
  add(ballots, 1, letters("D"));
  add(ballots, 1, letters("DB"));
  add(ballots, 1, letters(""));
  add(ballots, 1, letters("ABC"));  // three ranks, limit 2: invalid, not part of any round
  const auto count = irv(contest, ballots);
  CHECK(count.census.total == 16);
  CHECK(count.census.valid == 15);
  CHECK(count.census.blank == 1);
  CHECK(count.census.invalid == 1);
  REQUIRE(count.rounds.size() == 4);
  CHECK(count.rounds[0].tallies == Tallies{{0, 5}, {1, 4}, {2, 3}, {3, 2}});
  CHECK(count.rounds[0].continuing_ballots == 14);
  CHECK(count.rounds[0].exhausted_ballots == 0);
  CHECK(count.rounds[0].option == 3);
  CHECK(count.rounds[1].tallies == Tallies{{0, 5}, {1, 5}, {2, 3}});
  CHECK(count.rounds[1].continuing_ballots == 13);
  CHECK(count.rounds[1].exhausted_ballots == 1);
  CHECK(count.rounds[1].option == 2);
  CHECK(count.rounds[1].reason == IrvReason::kLowestVotes);
  CHECK(count.rounds[2].tallies == Tallies{{0, 5}, {1, 5}});
  CHECK(count.rounds[2].continuing_ballots == 10);
  CHECK(count.rounds[2].exhausted_ballots == 4);
  CHECK(count.rounds[2].action == IrvAction::kEliminate);
  CHECK(count.rounds[2].tied_options == std::vector<std::uint32_t>{0, 1});
  CHECK(count.rounds[2].option == 1);
  CHECK(count.rounds[2].reason == IrvReason::kPreviousRound);
  CHECK(count.rounds[2].tie_decided_in_round == 1u);
  CHECK(count.rounds[3].tallies == Tallies{{0, 5}});
  CHECK(count.rounds[3].continuing_ballots == 5);
  CHECK(count.rounds[3].exhausted_ballots == 9);
  CHECK(count.rounds[3].action == IrvAction::kElect);
  CHECK(count.winner == 0u);
}

// A 3, B 3: tied in round 1 with no earlier round, so the published order decides.
// Known answers (SHA-256 as in docs/counting.md, computed independently with Python hashlib):
// contest "tie", 2 options: seed "" -> order [1, 0]; seed "seed-1" -> order [0, 1].
// The least favoured (last) tied option is eliminated; its 3 bullet votes exhaust and the
// other option holds all 3 continuing ballots in round 2.
TEST_CASE("IRV: a first-round tie is broken by the published tie-break order") {
  const auto contest = ranked_contest(ContestKind::kIrv, "tie", 2, 2);
  std::vector<Selection> ballots;
  add(ballots, 3, letters("A"));
  add(ballots, 3, letters("B"));
  const auto empty_seed = irv(contest, ballots, "");
  REQUIRE(empty_seed.rounds.size() == 2);
  CHECK(empty_seed.rounds[0].tied_options == std::vector<std::uint32_t>{0, 1});
  CHECK(empty_seed.rounds[0].reason == IrvReason::kTieBreakOrder);
  CHECK(empty_seed.rounds[0].option == 0);
  CHECK_FALSE(empty_seed.rounds[0].tie_decided_in_round.has_value());
  CHECK(empty_seed.rounds[1].tallies == Tallies{{1, 3}});
  CHECK(empty_seed.rounds[1].exhausted_ballots == 3);
  CHECK(empty_seed.winner == 1u);

  const auto other_seed = irv(contest, ballots, "seed-1");
  CHECK(other_seed.rounds[0].option == 1);
  CHECK(other_seed.winner == 0u);
}

// Three-way tie: contest "tie3", seed "seed-2" -> order [2, 0, 1] (Python hashlib).
//   2 A > B      2 B > A      2 C > A
// Round 1: A 2, B 2, C 2: all tied, no earlier round; B (last in the order) is eliminated.
// Round 2: "B > A" moves to A: A 4, C 2 of 6 continuing: A elected.
TEST_CASE("IRV: a three-way tie eliminates the least favoured option of the order") {
  const auto contest = ranked_contest(ContestKind::kIrv, "tie3", 3, 2);
  std::vector<Selection> ballots;
  add(ballots, 2, letters("AB"));
  add(ballots, 2, letters("BA"));
  add(ballots, 2, letters("CA"));
  const auto order = TieBreakOrder::from_seed_var(seed("seed-2"), "tie3", 3);
  CHECK(order.order() == std::vector<std::uint32_t>{2, 0, 1});
  const auto count = count_irv_var(contest, ballots, order);
  REQUIRE(count.rounds.size() == 2);
  CHECK(count.rounds[0].tied_options == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(count.rounds[0].option == 1);
  CHECK(count.rounds[0].reason == IrvReason::kTieBreakOrder);
  CHECK(count.rounds[1].tallies == Tallies{{0, 4}, {2, 2}});
  CHECK(count.winner == 0u);
}

// Earlier rounds narrow a three-way tie to two options that are then ordered by lot.
// contest "narrow", seed "narrow-seed" -> order [0, 2, 1, 3] (Python hashlib).
//   3 A      2 B      2 C      1 D > B      1 D > C
// Round 1: A 3, B 2, C 2, D 2 (continuing 9). B, C, D tie at 2 with no earlier round: the
//          least favoured of {B, C, D} in the order is D: eliminated ("tie_break_order").
// Round 2: "D > B" and "D > C" move on: A 3, B 3, C 3. Three-way tie; round 1 had A 3, B 2,
//          C 2, which keeps B and C; no earlier round is left, so the order decides: C comes
//          before B, so B is eliminated ("tie_break_order").
// Round 3: "B" (2) and "D > B" exhaust: A 3, C 3 (continuing 6, exhausted 3). Tie; round 2 ties
//          them too; round 1 has A 3, C 2: C eliminated ("previous_round", round 1).
// Round 4: the C ballots exhaust: A 3 (continuing 3, exhausted 6): A elected.
TEST_CASE("IRV: earlier rounds narrow a tie, the order decides the rest") {
  const auto contest = ranked_contest(ContestKind::kIrv, "narrow", 4, 2);
  std::vector<Selection> ballots;
  add(ballots, 3, letters("A"));
  add(ballots, 2, letters("B"));
  add(ballots, 2, letters("C"));
  add(ballots, 1, letters("DB"));
  add(ballots, 1, letters("DC"));
  const auto order = TieBreakOrder::from_seed_var(seed("narrow-seed"), "narrow", 4);
  CHECK(order.order() == std::vector<std::uint32_t>{0, 2, 1, 3});
  const auto count = count_irv_var(contest, ballots, order);
  REQUIRE(count.rounds.size() == 4);
  CHECK(count.rounds[0].tied_options == std::vector<std::uint32_t>{1, 2, 3});
  CHECK(count.rounds[0].option == 3);
  CHECK(count.rounds[0].reason == IrvReason::kTieBreakOrder);
  CHECK(count.rounds[1].tallies == Tallies{{0, 3}, {1, 3}, {2, 3}});
  CHECK(count.rounds[1].tied_options == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(count.rounds[1].option == 1);
  CHECK(count.rounds[1].reason == IrvReason::kTieBreakOrder);
  CHECK(count.rounds[2].tallies == Tallies{{0, 3}, {2, 3}});
  CHECK(count.rounds[2].continuing_ballots == 6);
  CHECK(count.rounds[2].exhausted_ballots == 3);
  CHECK(count.rounds[2].option == 2);
  CHECK(count.rounds[2].reason == IrvReason::kPreviousRound);
  CHECK(count.rounds[2].tie_decided_in_round == 1u);
  CHECK(count.rounds[3].tallies == Tallies{{0, 3}});
  CHECK(count.rounds[3].exhausted_ballots == 6);
  CHECK(count.winner == 0u);
}

TEST_CASE("IRV: first-round majority, and no rounds when nobody ranked anything") {
  const auto contest = ranked_contest(ContestKind::kIrv, "quick", 3, 3);
  std::vector<Selection> ballots;
  add(ballots, 4, letters("CAB"));
  add(ballots, 3, letters("AB"));
  const auto count = irv(contest, ballots);
  REQUIRE(count.rounds.size() == 1);
  CHECK(count.rounds[0].action == IrvAction::kElect);
  CHECK(count.winner == 2u);

  std::vector<Selection> empty{letters(""), undecodable(), letters("AA")};
  const auto none = irv(contest, empty);
  CHECK(none.rounds.empty());
  CHECK_FALSE(none.winner.has_value());
  CHECK(none.census.blank == 1);
  CHECK(none.census.invalid == 2);
}

TEST_CASE("IRV rejects a tie-break order of the wrong size and non-IRV contests") {
  const auto contest = ranked_contest(ContestKind::kIrv, "x", 3, 3);
  const auto wrong = TieBreakOrder::from_seed_var(seed(""), "x", 2);
  std::vector<Selection> ballots{letters("A")};
  CHECK_THROWS_WITH(count_irv_var(contest, ballots, wrong), Catch::Contains("tie-break order"));
  const auto schulze = ranked_contest(ContestKind::kSchulze, "x", 3, 3);
  const auto right = TieBreakOrder::from_seed_var(seed(""), "x", 3);
  CHECK_THROWS_AS(count_irv_var(schulze, ballots, right), std::invalid_argument);
}
