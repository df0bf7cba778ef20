// Stage 8's recount, checked against docs/counting.md's known answers (tie-break orders, the
// plurality example's exact bytes), the canonical bytes of the Tennessee IRV count published
// with the tally component, the Schulze example of Wikipedia/Schulze (2011), and hand-made
// tie cases.
#include <catch2/catch.hpp>

#include "crypto/canonical_json.hpp"
#include "verifier-app/counting/recount.hpp"

using namespace haal;
using namespace haal::verifier::counting;
using crypto::Json;

namespace {

crypto::Bytes seed(std::string_view s) {
  return crypto::to_bytes(s);
}

std::string dump(const Json& j) {
  const auto b = crypto::canonical_json_bytes(j);
  return std::string(b.begin(), b.end());
}

CountBallot ranking(std::string_view letters) {
  CountBallot b;
  b.decoded = true;
  for (const char c : letters) b.options.push_back(static_cast<std::uint32_t>(c - 'A'));
  return b;
}

void add(std::vector<CountBallot>& v, int n, std::string_view letters) {
  for (int i = 0; i < n; ++i) v.push_back(ranking(letters));
}

ContestRules ranked(std::string id, std::string kind, std::uint32_t n) {
  return ContestRules{std::move(id), std::move(kind), n, 1, n, n, false};
}

}  // namespace

TEST_CASE("tie-break order known answers (docs/counting.md section 4)", "[count]") {
  using V = std::vector<std::uint32_t>;
  CHECK(tie_break_order(seed(""), "tie", 2) == V{1, 0});
  CHECK(tie_break_order(seed("seed-1"), "tie", 2) == V{0, 1});
  CHECK(tie_break_order(seed("seed-2"), "tie3", 3) == V{2, 0, 1});
  CHECK(tie_break_order(seed("narrow-seed"), "narrow", 4) == V{0, 2, 1, 3});
  CHECK(tie_break_order(seed("ab"), "tn", 4) == V{1, 3, 2, 0});
}

TEST_CASE("plurality example of docs/counting.md, byte for byte", "[count]") {
  const ContestRules rules{"contest", "plurality", 2, 0, 1, 0, true};
  std::vector<CountBallot> ballots;
  ballots.push_back(ranking("A"));
  ballots.push_back(ranking("B"));
  CountBallot w;
  w.decoded = true;
  w.write_in = "Zo\xc3\xab";
  ballots.push_back(w);
  CountBallot blank;
  blank.decoded = true;
  ballots.push_back(blank);
  ballots.push_back(ranking("A"));
  ballots.push_back(CountBallot{});  // undecodable
  CHECK(
      dump(recount(rules, ballots, {})) ==
      R"({"ballots":{"blank":1,"invalid":1,"invalid_by_reason":{"duplicate_option":0,"option_out_of_range":0,"too_few_selections":0,"too_many_selections":0,"undecodable":1,"write_in_empty":0,"write_in_not_allowed":0,"write_in_not_utf8":0},"total":6,"valid":5},"choice":{"leaders":[0],"option_votes":[2,1],"write_ins":[{"text":"Zoë","votes":1}]},"contest_id":"contest","format":"haal-contest-results-v1","kind":"plurality"})");
}

TEST_CASE("Tennessee by IRV, byte for byte", "[count][irv]") {
  std::vector<CountBallot> ballots;
  add(ballots, 42, "ABCD");
  add(ballots, 26, "BCDA");
  add(ballots, 15, "CDBA");
  add(ballots, 17, "DCBA");
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
  CHECK(dump(recount(ranked("tn", "irv", 4), ballots, seed("ab"))) == expected);
  // The order of ballots carries no meaning.
  std::reverse(ballots.begin(), ballots.end());
  CHECK(dump(recount(ranked("tn", "irv", 4), ballots, seed("ab"))) == expected);
}

TEST_CASE("IRV ties: previous round, tie-break order, exhausted ballots", "[count][irv]") {
  SECTION("decided by the previous round") {
    std::vector<CountBallot> b;
    add(b, 7, "A");
    add(b, 5, "B");
    add(b, 4, "CB");
    add(b, 1, "DC");
    const Json r = recount(ranked("t", "irv", 4), b, seed("s"))["irv"];
    REQUIRE(r["rounds"].size() == 3);
    CHECK(r["rounds"][0]["option"] == 3);
    CHECK(r["rounds"][0]["reason"] == "lowest_votes");
    CHECK(r["rounds"][1]["tied_options"] == Json::array({1, 2}));
    CHECK(r["rounds"][1]["reason"] == "previous_round");
    CHECK(r["rounds"][1]["tie_decided_in_round"] == 1);
    CHECK(r["rounds"][1]["option"] == 2);
    CHECK(r["rounds"][2]["action"] == "elect");
    CHECK(r["winner"] == 1);
  }
  SECTION("decided by the tie-break order in round 1, with exhausted ballots") {
    std::vector<CountBallot> b;
    add(b, 3, "AB");
    add(b, 2, "B");
    add(b, 2, "C");
    // seed "seed-1", id "tie": order over 2 options is [0, 1]; here 3 options.
    const auto order = tie_break_order(seed("x"), "t3", 3);
    const Json r = recount(ranked("t3", "irv", 3), b, seed("x"))["irv"];
    CHECK(r["rounds"][0]["tied_options"] == Json::array({1, 2}));
    CHECK(r["rounds"][0]["reason"] == "tie_break_order");
    // the tied option coming last in the order is eliminated
    const auto pos = [&](std::uint32_t o) {
      return std::find(order.begin(), order.end(), o) - order.begin();
    };
    CHECK(r["rounds"][0]["option"] == (pos(1) > pos(2) ? 1 : 2));
    const Json& last = r["rounds"].back();
    CHECK(last["continuing_ballots"].get<std::uint64_t>() +
              last["exhausted_ballots"].get<std::uint64_t>() ==
          7);
  }
  SECTION("no ranked option: no rounds, no winner") {
    std::vector<CountBallot> b(2);
    b[0].decoded = true;
    b[1].decoded = true;
    ContestRules rules = ranked("e", "irv", 2);
    rules.min = 0;
    const Json r = recount(rules, b, seed(""));
    CHECK(r["irv"]["rounds"].empty());
    CHECK(r["irv"]["winner"].is_null());
    CHECK(r["ballots"]["blank"] == 2);
  }
}

TEST_CASE("Schulze: the 45-voter example (Schulze 2011, section 3.1)", "[count][schulze]") {
  std::vector<CountBallot> b;
  add(b, 5, "ACBED");
  add(b, 5, "ADECB");
  add(b, 8, "BEDAC");
  add(b, 3, "CABED");
  add(b, 7, "CAEBD");
  add(b, 2, "CBADE");
  add(b, 7, "DCEBA");
  add(b, 8, "EBADC");
  const Json s = recount(ranked("w", "schulze", 5), b, seed("s"))["schulze"];
  CHECK(s["pairwise"] == Json::parse("[[0,20,26,30,22],[25,0,16,33,18],[19,29,0,17,24],"
                                     "[15,12,28,0,14],[23,27,21,31,0]]"));
  CHECK(s["strongest_paths"] == Json::parse("[[0,28,28,30,24],[25,0,28,33,24],[25,29,0,29,24],"
                                            "[25,28,28,0,24],[25,28,28,31,0]]"));
  CHECK(s["winners"] == Json::array({4}));
  CHECK(s["ranking_tiers"] == Json::parse("[[4],[0],[2],[1],[3]]"));
  CHECK(s["ranking"] == Json::array({4, 0, 2, 1, 3}));
}

TEST_CASE("Schulze: a cycle is a three-way tie ordered by the tie-break", "[count][schulze]") {
  const std::vector<CountBallot> b{ranking("ABC"), ranking("BCA"), ranking("CAB")};
  const Json r = recount(ranked("cycle", "schulze", 3), b, seed("seed-2"));
  CHECK(r["tie_break"]["seed"] == "736565642d32");
  CHECK(r["tie_break"]["order"] == Json::array({1, 0, 2}));
  CHECK(r["schulze"]["pairwise"] == Json::parse("[[0,2,1],[1,0,2],[2,1,0]]"));
  CHECK(r["schulze"]["strongest_paths"] == Json::parse("[[0,2,2],[2,0,2],[2,2,0]]"));
  CHECK(r["schulze"]["winners"] == Json::array({0, 1, 2}));
  CHECK(r["schulze"]["ranking"] == Json::array({1, 0, 2}));
  // Partial rankings: a ranked option is above every unranked one; unranked are not compared.
  const std::vector<CountBallot> p{ranking("A"), ranking("B")};
  const Json q = recount(ranked("p", "schulze", 3), p, seed(""));
  CHECK(q["schulze"]["pairwise"] == Json::parse("[[0,1,1],[1,0,1],[0,0,0]]"));
}

TEST_CASE("validity: one reason per invalid ballot, in the documented order", "[count]") {
  const ContestRules rules{"v", "approval", 3, 1, 2, 0, true};
  const auto ballot = [](std::vector<std::uint32_t> o, std::optional<std::string> w) {
    CountBallot b;
    b.decoded = true;
    b.options = std::move(o);
    b.write_in = std::move(w);
    return b;
  };
  CHECK(invalid_reason(rules, CountBallot{}) == "undecodable");
  CHECK(invalid_reason(rules, ballot({3}, std::nullopt)) == "option_out_of_range");
  CHECK(invalid_reason(rules, ballot({1, 1}, std::nullopt)) == "duplicate_option");
  CHECK(invalid_reason(rules, ballot({1}, std::string(""))) == "write_in_empty");
  CHECK(invalid_reason(rules, ballot({1}, std::string("\xed\xa0\x80"))) == "write_in_not_utf8");
  CHECK(invalid_reason(rules, ballot({}, std::nullopt)) == "too_few_selections");
  CHECK(invalid_reason(rules, ballot({0, 1}, std::string("x"))) == "too_many_selections");
  CHECK(invalid_reason(rules, ballot({0}, std::string("x"))).empty());
  ContestRules no_wi = rules;
  no_wi.has_write_in = false;
  CHECK(invalid_reason(no_wi, ballot({0}, std::string("x"))) == "write_in_not_allowed");
  const Json r =
      recount(rules, {ballot({0}, "x"), CountBallot{}, ballot({1, 1}, std::nullopt)}, {});
  CHECK(r["ballots"]["invalid"] == 2);
  CHECK(r["ballots"]["invalid_by_reason"]["duplicate_option"] == 1);
  CHECK(r["choice"]["write_ins"] == Json::parse(R"([{"text":"x","votes":1}])"));
}

TEST_CASE("first_difference names the path", "[count]") {
  const Json a = Json::parse(R"({"x":{"r":[1,2,{"v":3}]}})");
  const Json b = Json::parse(R"({"x":{"r":[1,2,{"v":4}]}})");
  CHECK(first_difference(a, b) == ".x.r[2].v: 4 where the recount has 3");
  CHECK(first_difference(a, a).empty());
}
