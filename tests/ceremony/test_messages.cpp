// Strict parsing of round 2 and round 3 messages: each malformed field is named.
#include <catch2/catch.hpp>

#include "ceremony_fixture.hpp"

using namespace haal::ceremony;
using namespace haal::ceremony::testing;

namespace {

// Re-signs `j` as trustee `i` (so only the content rule under test can fail).
Json resign(SteppedCeremony& c, std::uint32_t i, const Json& j) {
  return sign_ceremony_message(j, c.trustee(i).signing_seed);
}

}  // namespace

TEST_CASE("Shares, complaints and answers are parsed strictly", "[messages]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  c.verify();
  c.answer();
  const auto key = [&](std::uint32_t i) {
    return load_identities(c.params, c.board)[i - 1].signing_key;
  };

  const Json shares = *c.board.load(shares_file(2));
  CHECK_NOTHROW(parse_shares(c.params, shares, 2, key(2), "s"));
  Json t = shares;
  t["shares"][0]["recipient"] = 3u;
  CHECK_THROWS_WITH(parse_shares(c.params, resign(c, 2, t), 2, key(2), "s"),
                    "s.shares[0].recipient: must be 1 (every other trustee, ascending)");
  t = shares;
  t["shares"].erase(1);
  CHECK_THROWS_WITH(parse_shares(c.params, resign(c, 2, t), 2, key(2), "s"),
                    "s.shares: must have one entry per other trustee (2)");
  t = shares;
  t["shares"][1]["recipient"] = 9u;
  CHECK_THROWS_WITH(parse_shares(c.params, resign(c, 2, t), 2, key(2), "s"),
                    "s.shares[1].recipient: must be a trustee index in 1..3");
  t = shares;
  t["shares"][1]["encrypted_share"]["tag"] = "00";
  CHECK_THROWS_WITH(parse_shares(c.params, resign(c, 2, t), 2, key(2), "s"),
                    Catch::StartsWith("s.shares[1].encrypted_share.tag"));
  // Signed by someone else.
  CHECK_THROWS_WITH(parse_shares(c.params, shares, 2, key(1), "s"),
                    "s.signature: not a valid signature by trustee 2");

  Json complaints = *c.board.load(complaints_file(1));
  CHECK_NOTHROW(parse_complaints(c.params, complaints, 1, key(1), "c"));
  t = complaints;
  t["complaints"] = Json::array({Json{{"accused", 1u}, {"reason", "share-mismatch"}}});
  CHECK_THROWS_WITH(parse_complaints(c.params, resign(c, 1, t), 1, key(1), "c"),
                    "c.complaints[0].accused: accuses its sender");
  t["complaints"] = Json::array({Json{{"accused", 2u}, {"reason", "dislike"}}});
  CHECK_THROWS_WITH(parse_complaints(c.params, resign(c, 1, t), 1, key(1), "c"),
                    Catch::StartsWith("c.complaints[0].reason"));
  t["complaints"] = Json::array({Json{{"accused", 3u}, {"reason", "share-mismatch"}},
                                 Json{{"accused", 2u}, {"reason", "share-mismatch"}}});
  CHECK_THROWS_WITH(parse_complaints(c.params, resign(c, 1, t), 1, key(1), "c"),
                    "c.complaints[1].accused: must be ascending without repeats");
  t = complaints;
  t["verified"][0]["sha256"] = "abcd";
  CHECK_THROWS_WITH(parse_complaints(c.params, resign(c, 1, t), 1, key(1), "c"),
                    Catch::StartsWith("c.verified[0].sha256"));

  Json answer = *c.board.load(answer_file(3));
  CHECK_NOTHROW(parse_answer(c.params, answer, 3, key(3), "a"));
  t = answer;
  t["revealed_shares"] = Json::array({Json{{"complainer", 3u}, {"share", std::string(64, '1')}}});
  CHECK_THROWS_WITH(parse_answer(c.params, resign(c, 3, t), 3, key(3), "a"),
                    "a.revealed_shares[0].complainer: is the sender");
  t["revealed_shares"] = Json::array({Json{{"complainer", 1u}, {"share", std::string(64, 'f')}}});
  CHECK_THROWS_WITH(parse_answer(c.params, resign(c, 3, t), 3, key(3), "a"),
                    Catch::StartsWith("a.revealed_shares[0].share"));  // >= q
  t["revealed_shares"] = Json::array({Json{{"complainer", 1u}}});
  CHECK_THROWS_WITH(parse_answer(c.params, resign(c, 3, t), 3, key(3), "a"),
                    "a.revealed_shares[0].share: missing");
}
