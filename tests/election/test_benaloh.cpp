#include <catch2/catch.hpp>

#include "election/benaloh.hpp"
#include "fixtures.hpp"

using namespace haal::election;

namespace {
struct Setup {
  ElectionContext context = test::sample_context();
  Credential alice = test::test_credential("alice");
  Credential bob = test::test_credential("bob");
  Roll roll{"city-2026"};
  Setup() {
    roll.add(alice.voter_id, alice.public_key);
    roll.add(bob.voter_id, bob.public_key);
  }
  EncryptedBallot encrypt() const {
    return encrypt_ballot(context, alice,
                          ballot_choices_from_json(context.manifest(), test::sample_choices_json()),
                          1, haal::crypto::system_random());
  }
};

void resign(Json& j, const Credential& who) {
  j["signature"] = haal::crypto::to_hex(who.key.sign(signed_bytes(j)));
}

std::string outcome(const Setup& s, const Json& challenge) {
  try {
    verify_challenge(s.context, s.roll, challenge);
  } catch (const BallotRejected& e) {
    return e.what();
  }
  return "ok";
}
}  // namespace

TEST_CASE("an opened challenge proves the shown choices", "[benaloh]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt();
  const Json challenge = make_challenge(s.context, s.alice, b);
  const OpenedBallot opened = verify_challenge(s.context, s.roll, challenge);
  CHECK(opened.ballot.hash == b.hash);
  CHECK(opened.ballot.tracking_code == b.tracking_code);
  CHECK(ballot_choices_to_json(s.context.manifest(), opened.choices) ==
        ballot_choices_to_json(
            s.context.manifest(),
            ballot_choices_from_json(s.context.manifest(), test::sample_choices_json())));
  CHECK(challenge["ballot"] == b.ballot);
}

TEST_CASE("a lying opening is detected", "[benaloh]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt();
  const Json honest = make_challenge(s.context, s.alice, b);

  // A device that encrypted one thing and claims another (re-signed: the device holds the key).
  Json lie = honest;
  lie["openings"][0]["choices"] = {"alice"};
  resign(lie, s.alice);
  CHECK(outcome(s, lie) ==
        "bad-opening: openings[0].choices: element 0 does not encrypt the claimed choices");

  lie = honest;
  lie["openings"][3]["choices"] = {"fay", {{"write_in", "Hal"}}, "eve"};
  resign(lie, s.alice);
  CHECK(outcome(s, lie) ==
        "bad-opening: openings[3].choices: element 0 does not encrypt the claimed choices");

  // A write-in spelled differently changes the second element of the mayor contest.
  lie = honest;
  lie["openings"][0]["choices"] = {{{"write_in", "Zoe Zed"}}};
  resign(lie, s.alice);
  CHECK(outcome(s, lie).rfind("bad-opening: openings[0].choices: element ", 0) == 0);

  // Claimed choices that are not even valid.
  lie = honest;
  lie["openings"][1]["choices"] = {"c1", "c2", "c3", "c4"};
  resign(lie, s.alice);
  CHECK(outcome(s, lie) == "bad-opening: openings[1].choices: 4 choices, at most 3 allowed");

  // Wrong randomness.
  lie = honest;
  lie["openings"][2]["randomness"][0] = lie["openings"][4]["randomness"][0];
  resign(lie, s.alice);
  CHECK(outcome(s, lie) ==
        "bad-opening: openings[2].randomness[0]: does not produce the ballot's alpha");
}

TEST_CASE("challenge records are signed and strictly shaped", "[benaloh]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt();
  const Json honest = make_challenge(s.context, s.alice, b);
  REQUIRE(outcome(s, honest) == "ok");

  Json t = honest;
  t["openings"][0]["choices"] = {"alice"};  // not re-signed
  CHECK(outcome(s, t) ==
        "bad-signature: challenge signature does not verify under the ballot's credential");
  t = honest;
  resign(t, s.bob);  // signed by someone else's credential
  CHECK(outcome(s, t) ==
        "bad-signature: challenge signature does not verify under the ballot's credential");
  t = honest;
  t["ballot"]["sequence"] = 5u;  // the inner ballot is checked in full
  resign(t, s.alice);
  CHECK(outcome(s, t) ==
        "bad-signature: ballot.signature does not verify under the voter's credential");
  t = honest;
  t["type"] = "haal-ballot-v1";
  CHECK(outcome(s, t) == "malformed: type: expected \"haal-challenge-v1\"");
  t = honest;
  t["openings"].erase(4);
  resign(t, s.alice);
  CHECK(outcome(s, t) == "malformed: openings: expected 5 openings, found 4");
  t = honest;
  t["openings"][0]["randomness"].erase(0);
  resign(t, s.alice);
  CHECK(outcome(s, t) == "malformed: openings[0].randomness: expected 2 scalars, found 1");
  t = honest;
  t["openings"][1]["contest_id"] = "mayor";
  resign(t, s.alice);
  CHECK(outcome(s, t) == "malformed: openings[1].contest_id: expected \"council\"");
}
