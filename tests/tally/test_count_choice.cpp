// Choice contests (plurality, approval, referendum), write-ins, blank and invalid ballots.
// Expected numbers are counted by hand from the profiles written out in each test.
#include <catch2/catch.hpp>

#include "tally/counting/choice.hpp"
#include "tally/counting/results.hpp"
#include "tally_test_support.hpp"

using namespace haal::tally;
using namespace haal::tally::test;

namespace {

std::uint64_t by_reason(const BallotCensus& census, InvalidReason reason) {
  return census.invalid_by_reason[static_cast<std::size_t>(reason)];
}

}  // namespace

TEST_CASE("plurality with a tie for first place, blank and invalid ballots kept apart") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"Ann", "Bob", "Cy"}, 0, 1);
  std::vector<Selection> ballots;
  add(ballots, 3, letters("A"));
  add(ballots, 3, letters("B"));
  add(ballots, 1, letters("C"));
  add(ballots, 2, letters(""));    // blank: allowed since min == 0
  add(ballots, 1, letters("AB"));  // two marks, max 1
  add(ballots, 1, undecodable());
  add(ballots, 1, options({3}));   // no option 3
  add(ballots, 1, letters("AA"));  // the same option twice
  const auto count = count_choice_var(contest, ballots);
  // Ann 3, Bob 3, Cy 1: Ann and Bob share the lead, both reported.
  CHECK(count.option_votes == std::vector<std::uint64_t>{3, 3, 1});
  CHECK(count.leaders == std::vector<std::uint32_t>{0, 1});
  CHECK(count.census.total == 13);
  CHECK(count.census.valid == 9);  // 3 + 3 + 1 + 2 blank
  CHECK(count.census.blank == 2);
  CHECK(count.census.invalid == 4);
  CHECK(by_reason(count.census, InvalidReason::kTooManySelections) == 1);
  CHECK(by_reason(count.census, InvalidReason::kUndecodable) == 1);
  CHECK(by_reason(count.census, InvalidReason::kOptionOutOfRange) == 1);
  CHECK(by_reason(count.census, InvalidReason::kDuplicateOption) == 1);
  CHECK(count.write_in_votes.empty());
}

TEST_CASE("approval: every approved option gets one vote") {
  const auto contest = choice_contest(ContestKind::kApproval, {"A", "B", "C", "D"}, 0, 4);
  std::vector<Selection> ballots{letters("AB"), letters("BCD"), letters("B"),
                                 letters(""),   letters("DA"),  letters("ABCD")};
  const auto count = count_choice_var(contest, ballots);
  // A: AB, DA, ABCD = 3; B: AB, BCD, B, ABCD = 4; C: BCD, ABCD = 2; D: BCD, DA, ABCD = 3.
  CHECK(count.option_votes == std::vector<std::uint64_t>{3, 4, 2, 3});
  CHECK(count.leaders == std::vector<std::uint32_t>{1});
  CHECK(count.census.valid == 6);
  CHECK(count.census.blank == 1);
  CHECK(count.census.invalid == 0);
}

TEST_CASE("referendum: an unmarked ballot is invalid when an answer is required") {
  const auto contest = choice_contest(ContestKind::kReferendum, {"Yes", "No"}, 1, 1);
  std::vector<Selection> ballots;
  add(ballots, 5, letters("A"));
  add(ballots, 4, letters("B"));
  add(ballots, 2, letters(""));  // min 1: too few
  const auto count = count_choice_var(contest, ballots);
  CHECK(count.option_votes == std::vector<std::uint64_t>{5, 4});
  CHECK(count.leaders == std::vector<std::uint32_t>{0});
  CHECK(count.census.valid == 9);
  CHECK(count.census.blank == 0);
  CHECK(count.census.invalid == 2);
  CHECK(by_reason(count.census, InvalidReason::kTooFewSelections) == 2);
}

TEST_CASE("no votes at all: no leader, every ballot still accounted for") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"A", "B"}, 0, 1);
  std::vector<Selection> ballots{letters(""), undecodable()};
  const auto count = count_choice_var(contest, ballots);
  CHECK(count.option_votes == std::vector<std::uint64_t>{0, 0});
  CHECK(count.leaders.empty());
  CHECK(count.census.total == 2);
  CHECK(count.census.blank == 1);
  CHECK(count.census.invalid == 1);
}

TEST_CASE("write-ins are totalled per exact byte string") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"A", "B"}, 0, 1, true);
  std::vector<Selection> ballots;
  add(ballots, 2, write_in("Alice"));
  add(ballots, 1, write_in("alice"));        // different bytes: separate total
  add(ballots, 1, write_in("\xC3\x85sa"));   // "Åsa" precomposed (NFC)
  add(ballots, 1, write_in("A\xCC\x8Asa"));  // "Åsa" decomposed (NFD): not merged
  add(ballots, 1, letters("A"));
  Selection both = letters("B");
  both.write_in = "Alice";
  add(ballots, 1, both);                      // option + write-in = 2 marks, max 1
  add(ballots, 1, write_in(""));              // empty write-in
  add(ballots, 1, write_in("\xC3\x28"));      // broken UTF-8
  add(ballots, 1, write_in("\xED\xA0\x80"));  // UTF-8-encoded surrogate U+D800
  add(ballots, 1, write_in("\xC0\xAF"));      // overlong "/"
  const auto count = count_choice_var(contest, ballots);
  const std::map<std::string, std::uint64_t> expected{
      {"A\xCC\x8Asa", 1}, {"Alice", 2}, {"alice", 1}, {"\xC3\x85sa", 1}};
  CHECK(count.write_in_votes == expected);
  CHECK(count.option_votes == std::vector<std::uint64_t>{1, 0});
  CHECK(count.census.valid == 6);
  CHECK(count.census.invalid == 5);
  CHECK(by_reason(count.census, InvalidReason::kTooManySelections) == 1);
  CHECK(by_reason(count.census, InvalidReason::kWriteInEmpty) == 1);
  CHECK(by_reason(count.census, InvalidReason::kWriteInNotUtf8) == 3);
  // Write-ins never lead: the leader is among the listed options (docs/counting.md).
  CHECK(count.leaders == std::vector<std::uint32_t>{0});
}

TEST_CASE("an option and a write-in on the same ballot when two marks are allowed") {
  const auto contest = choice_contest(ContestKind::kApproval, {"A", "B"}, 0, 2, true);
  Selection both = letters("B");
  both.write_in = "Carol";
  const std::vector<Selection> ballots{both, write_in("Carol"), letters("AB")};
  const auto count = count_choice_var(contest, ballots);
  CHECK(count.option_votes == std::vector<std::uint64_t>{1, 2});
  CHECK(count.write_in_votes == std::map<std::string, std::uint64_t>{{"Carol", 2}});
  CHECK(count.census.invalid == 0);
}

TEST_CASE("a write-in where the contest has no write-in slot is invalid") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"A", "B"}, 0, 1, false);
  const std::vector<Selection> ballots{write_in("Zed"), letters("A")};
  const auto count = count_choice_var(contest, ballots);
  CHECK(count.census.invalid == 1);
  CHECK(by_reason(count.census, InvalidReason::kWriteInNotAllowed) == 1);
  CHECK(count.write_in_votes.empty());
}

TEST_CASE("invalid reasons are assigned in the documented priority order") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"A", "B"}, 1, 1, true);
  Selection out_of_range_and_duplicate = options({5, 0, 0});
  CHECK(find_invalid_reason(contest, out_of_range_and_duplicate) ==
        InvalidReason::kOptionOutOfRange);
  Selection duplicate_and_too_many = options({1, 1, 0});
  CHECK(find_invalid_reason(contest, duplicate_and_too_many) == InvalidReason::kDuplicateOption);
  Selection empty_write_in_and_too_many = letters("AB");
  empty_write_in_and_too_many.write_in = "";
  CHECK(find_invalid_reason(contest, empty_write_in_and_too_many) == InvalidReason::kWriteInEmpty);
  Selection undecodable_with_options = undecodable();
  undecodable_with_options.options = {0};
  CHECK(find_invalid_reason(contest, undecodable_with_options) == InvalidReason::kUndecodable);
  CHECK_FALSE(find_invalid_reason(contest, letters("B")).has_value());
}

TEST_CASE("contest metadata is checked field by field") {
  auto contest = choice_contest(ContestKind::kPlurality, {"A", "B"}, 0, 1);
  CHECK_NOTHROW(validate_contest_metadata(contest));
  auto broken = contest;
  broken.id = "";
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("id: empty"));
  broken = contest;
  broken.option_names.clear();
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("option_names"));
  broken = contest;
  broken.option_names[1] = "\xFF";
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("option_names[1]"));
  broken = contest;
  broken.min = 2;
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("min"));
  broken = contest;
  broken.max = 3;
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("max"));
  broken = contest;
  broken.rank_limit = 1;
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("rank_limit"));
  broken = contest;
  broken.kind = ContestKind::kReferendum;
  broken.option_names.push_back("C");
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("exactly two"));
  broken = ranked_contest(ContestKind::kIrv, "r", 3, 3);
  broken.has_write_in = true;
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("has_write_in"));
  broken = ranked_contest(ContestKind::kIrv, "r", 3, 3);
  broken.rank_limit = 4;
  broken.max = 4;
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("rank_limit"));
  broken = ranked_contest(ContestKind::kSchulze, "r", 3, 3);
  broken.max = 2;
  CHECK_THROWS_WITH(validate_contest_metadata(broken), Catch::Contains("max: must equal"));
  CHECK_THROWS_WITH(contest_kind_from_name("borda"), Catch::Contains("borda"));
  CHECK(contest_kind_from_name("schulze") == ContestKind::kSchulze);
}

TEST_CASE("choice results serialise to the documented canonical bytes") {
  const auto contest = choice_contest(ContestKind::kPlurality, {"A", "B"}, 0, 1, true);
  const std::vector<Selection> ballots{letters("A"), letters("B"), write_in("Zo\xC3\xAB"),
                                       letters(""),  letters("A"), undecodable()};
  const std::string expected =
      R"({"ballots":{"blank":1,"invalid":1,"invalid_by_reason":{"duplicate_option":0,)"
      R"("option_out_of_range":0,"too_few_selections":0,"too_many_selections":0,)"
      R"("undecodable":1,"write_in_empty":0,"write_in_not_allowed":0,"write_in_not_utf8":0},)"
      R"("total":6,"valid":5},"choice":{"leaders":[0],"option_votes":[2,1],)"
      R"("write_ins":[{"text":"Zo)"
      "\xC3\xAB"
      R"(","votes":1}]},"contest_id":"contest","format":"haal-contest-results-v1",)"
      R"("kind":"plurality"})";
  CHECK(canonical_json(count_contest_var(contest, ballots, {})) == expected);
}
