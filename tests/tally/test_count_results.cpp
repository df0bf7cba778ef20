// The results object as a whole: order independence, canonical bytes, tie-break publication.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "tally/counting/results.hpp"
#include "tally_test_support.hpp"

using namespace haal::tally;
using namespace haal::tally::test;

namespace {

std::vector<Selection> schulze45_with_noise() {
  std::vector<Selection> ballots;
  add(ballots, 5, letters("ACBED"));
  add(ballots, 5, letters("ADECB"));
  add(ballots, 8, letters("BEDAC"));
  add(ballots, 3, letters("CABED"));
  add(ballots, 7, letters("CAEBD"));
  add(ballots, 2, letters("CBADE"));
  add(ballots, 7, letters("DCEBA"));
  add(ballots, 8, letters("EBADC"));
  add(ballots, 3, letters("EB"));
  add(ballots, 2, letters(""));
  add(ballots, 2, undecodable());
  add(ballots, 1, letters("EE"));
  return ballots;
}

void check_order_independent(const ContestMetadata& contest, std::vector<Selection> ballots) {
  const auto reference = canonical_json(count_contest_var(contest, ballots, seed("s")));
  std::mt19937 shuffler(20261125);
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(ballots.begin(), ballots.end(), shuffler);
    CHECK(canonical_json(count_contest_var(contest, ballots, seed("s"))) == reference);
  }
  std::reverse(ballots.begin(), ballots.end());
  CHECK(canonical_json(count_contest_var(contest, ballots, seed("s"))) == reference);
}

}  // namespace

TEST_CASE("the results do not depend on the order of the ballots") {
  auto irv = ranked_contest(ContestKind::kIrv, "irv", 5, 5);
  auto schulze = ranked_contest(ContestKind::kSchulze, "schulze", 5, 5);
  check_order_independent(irv, schulze45_with_noise());
  check_order_independent(schulze, schulze45_with_noise());

  const auto choice = choice_contest(ContestKind::kApproval, {"A", "B", "C"}, 0, 2, true);
  std::vector<Selection> ballots{letters("AB"), letters("C"), write_in("x"), write_in("y"),
                                 write_in("x"), letters(""),  undecodable(), letters("ABC")};
  Selection with_write_in = letters("B");
  with_write_in.write_in = "y";
  ballots.push_back(with_write_in);
  check_order_independent(choice, ballots);
}

TEST_CASE("order independence is not vacuous: different ballots give different bytes") {
  const auto contest = ranked_contest(ContestKind::kIrv, "irv", 5, 5);
  auto ballots = schulze45_with_noise();
  const auto before = canonical_json(count_contest_var(contest, ballots, seed("s")));
  ballots.back() = letters("E");
  CHECK(canonical_json(count_contest_var(contest, ballots, seed("s"))) != before);
}

// Tennessee by IRV in the documented layout (rounds as in test_count_irv.cpp), seed "ab"
// published as hex "6162"; contest "tn", 4 options, seed "ab" -> order [1, 3, 2, 0]
// (Python hashlib).
TEST_CASE("IRV results serialise to the documented canonical bytes") {
  const auto contest = ranked_contest(ContestKind::kIrv, "tn", 4, 4);
  std::vector<Selection> ballots;
  add(ballots, 42, letters("ABCD"));
  add(ballots, 26, letters("BCDA"));
  add(ballots, 15, letters("CDBA"));
  add(ballots, 17, letters("DCBA"));
  const std::string expected =
      R"({"ballots":{"blank":0,"invalid":0,"invalid_by_reason":{"duplicate_option":0,)"
      R"("option_out_of_range":0,"too_few_selections":0,"too_many_selections":0,)"
      R"("undecodable":0,"write_in_empty":0,"write_in_not_allowed":0,"write_in_not_utf8":0},)"
      R"("total":100,"valid":100},"contest_id":"tn","format":"haal-contest-results-v1",)"
      R"("irv":{"rounds":[)"
      R"({"action":"eliminate","continuing_ballots":100,"exhausted_ballots":0,"option":2,)"
      R"("reason":"lowest_votes","round":1,"tallies":[{"option":0,"votes":42},)"
      R"({"option":1,"votes":26},{"option":2,"votes":15},{"option":3,"votes":17}],)"
      R"("tie_decided_in_round":null,"tied_options":[]},)"
      R"({"action":"eliminate","continuing_ballots":100,"exhausted_ballots":0,"option":1,)"
      R"("reason":"lowest_votes","round":2,"tallies":[{"option":0,"votes":42},)"
      R"({"option":1,"votes":26},{"option":3,"votes":32}],)"
      R"("tie_decided_in_round":null,"tied_options":[]},)"
      R"({"action":"elect","continuing_ballots":100,"exhausted_ballots":0,"option":3,)"
      R"("reason":"majority","round":3,"tallies":[{"option":0,"votes":42},)"
      R"({"option":3,"votes":58}],"tie_decided_in_round":null,"tied_options":[]}],)"
      R"("winner":3},"kind":"irv","tie_break":{"order":[1,3,2,0],"seed":"6162"}})";
  CHECK(canonical_json(count_contest_var(contest, ballots, seed("ab"))) == expected);
}

TEST_CASE("Schulze results carry matrices, winners, tiers and the tie-break seed") {
  const auto contest = ranked_contest(ContestKind::kSchulze, "cycle", 3, 3);
  const std::vector<Selection> ballots{letters("ABC"), letters("BCA"), letters("CAB")};
  const auto results = count_contest_var(contest, ballots, seed("seed-2"));
  CHECK(results.at("kind") == "schulze");
  CHECK(results.at("tie_break").at("seed") == "736565642d32");
  CHECK(results.at("tie_break").at("order") == Json::array({1, 0, 2}));
  const auto& s = results.at("schulze");
  CHECK(s.at("pairwise") == Json::parse("[[0,2,1],[1,0,2],[2,1,0]]"));
  CHECK(s.at("strongest_paths") == Json::parse("[[0,2,2],[2,0,2],[2,2,0]]"));
  CHECK(s.at("winners") == Json::parse("[0,1,2]"));
  CHECK(s.at("ranking_tiers") == Json::parse("[[0,1,2]]"));
  CHECK(s.at("ranking") == Json::parse("[1,0,2]"));
  CHECK_FALSE(results.contains("irv"));
  CHECK_FALSE(results.contains("choice"));
}

TEST_CASE("count_contest_var rejects invalid metadata") {
  auto contest = ranked_contest(ContestKind::kIrv, "", 3, 3);
  const std::vector<Selection> ballots{letters("A")};
  CHECK_THROWS_WITH(count_contest_var(contest, ballots, seed("")), Catch::Contains("id: empty"));
}

TEST_CASE("canonical JSON escapes only quote, backslash and control characters") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"A"}, 0, 1, true);
  const std::vector<Selection> ballots{write_in("q\"b\\n\n/\x01\x7F\xC3\xA9")};
  const auto bytes = canonical_json(count_contest_var(contest, ballots, {}));
  CHECK(bytes.find(R"("write_ins":[{"text":"q\"b\\n\n/\u0001)"
                   "\x7F\xC3\xA9"
                   R"(","votes":1}])") != std::string::npos);
}

TEST_CASE("results.json gathers the contests in the given order") {
  const auto referendum = choice_contest(ContestKind::kReferendum, {"Yes", "No"}, 0, 1);
  auto second = ranked_contest(ContestKind::kSchulze, "board", 2, 2);
  const std::vector<Selection> yes{letters("A")};
  const std::vector<Selection> b_over_a{letters("BA")};
  const std::vector<Json> contests{count_contest_var(referendum, yes, {}),
                                   count_contest_var(second, b_over_a, seed("x"))};
  const auto results = election_results("town-2026", contests);
  CHECK(results.at("format") == "haal-results-v1");
  CHECK(results.at("election_id") == "town-2026");
  REQUIRE(results.at("contests").size() == 2);
  CHECK(results.at("contests")[0].at("contest_id") == "contest");
  CHECK(results.at("contests")[1].at("contest_id") == "board");
  CHECK(canonical_json(results).rfind(R"({"contests":[{"ballots":)", 0) == 0);

  const std::vector<Json> repeated{contests[0], contests[0]};
  CHECK_THROWS_WITH(election_results("e", repeated), Catch::Contains("contests[1].contest_id"));
  const std::vector<Json> foreign{Json{{"format", "other"}}};
  CHECK_THROWS_WITH(election_results("e", foreign), Catch::Contains("contests[0]"));
  CHECK_THROWS_AS(canonical_json(Json{{"x", 0.5}}), std::invalid_argument);
}
