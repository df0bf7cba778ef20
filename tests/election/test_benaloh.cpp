#include <catch2/catch.hpp>

#include "crypto/canonical_json.hpp"
#include "election/benaloh.hpp"
#include "election/cast_check.hpp"
#include "fixtures.hpp"

using namespace haal::election;

namespace {
struct Setup {
  ElectionContext context = test::sample_context();
  Credential alice = test::test_credential("alice");
  Roll roll{"city-2026"};
  Setup() { roll.add(alice.voter_id, alice.public_key); }
  BallotChoices choices() const {
    return ballot_choices_from_json(context.manifest(), test::sample_choices_json());
  }
  EncryptedChoices encrypt() const {
    return encrypt_choices_var(context, choices(), haal::crypto::system_random());
  }
};

std::string outcome(const Setup& s, const Json& challenge) {
  try {
    verify_challenge_var(s.context, challenge);
  } catch (const BallotRejected& e) {
    return e.what();
  }
  return "ok";
}
}  // namespace

TEST_CASE("an opened challenge proves the shown choices and names no voter", "[benaloh]") {
  const Setup s;
  const EncryptedChoices e = s.encrypt();
  const Json challenge = make_challenge(s.context, e);
  const OpenedChallenge opened = verify_challenge_var(s.context, challenge);
  CHECK(opened.tracking_hash == e.tracking_hash);
  CHECK(opened.tracking_code == e.tracking_code);
  CHECK(opened.hash == haal::crypto::canonical_json_hash(challenge));
  CHECK(ballot_choices_to_json(s.context.manifest(), opened.choices) ==
        ballot_choices_to_json(s.context.manifest(), s.choices()));
  // Nothing in the record identifies the voter: no voter id, credential or signature anywhere.
  const std::string text = challenge.dump();
  CHECK(text.find("voter") == std::string::npos);
  CHECK(text.find(haal::crypto::to_hex(s.alice.public_key)) == std::string::npos);
  CHECK(text.find("signature") == std::string::npos);
  CHECK(!challenge.contains("credential"));
  // The same ciphertexts, cast, carry the same tracking code.
  const Json ballot = cast_ballot(s.context, s.alice, e, 1, haal::crypto::system_random());
  CHECK(verify_ballot_var(s.context, s.roll, ballot).tracking_code == opened.tracking_code);
}

TEST_CASE("a lying opening is detected", "[benaloh]") {
  const Setup s;
  const Json honest = make_challenge(s.context, s.encrypt());

  // A device that encrypted one thing and claims another.
  Json lie = honest;
  lie["contests"][0]["choices"] = {"alice"};
  CHECK(outcome(s, lie) ==
        "bad-opening: contests[0].choices: element 0 does not encrypt the claimed choices");

  lie = honest;
  lie["contests"][3]["choices"] = {"fay", {{"write_in", "Hal"}}, "eve"};
  CHECK(outcome(s, lie) ==
        "bad-opening: contests[3].choices: element 0 does not encrypt the claimed choices");

  // A write-in spelled differently changes the second element of the mayor contest.
  lie = honest;
  lie["contests"][0]["choices"] = {{{"write_in", "Zoe Zed"}}};
  CHECK(outcome(s, lie).rfind("bad-opening: contests[0].choices: element ", 0) == 0);

  // Claimed choices that are not even valid.
  lie = honest;
  lie["contests"][1]["choices"] = {"c1", "c2", "c3", "c4"};
  CHECK(outcome(s, lie) == "bad-opening: contests[1].choices: 4 choices, at most 3 allowed");

  // Wrong randomness.
  lie = honest;
  lie["contests"][2]["randomness"][0] = lie["contests"][4]["randomness"][0];
  CHECK(outcome(s, lie) ==
        "bad-opening: contests[2].randomness[0]: does not produce the ciphertext's alpha");

  // Another ciphertext (from another encryption of the same choices) under the same opening.
  lie = honest;
  lie["contests"][0]["ciphertexts"][0] =
      make_challenge(s.context, s.encrypt())["contests"][0]["ciphertexts"][0];
  CHECK(outcome(s, lie) ==
        "bad-opening: contests[0].randomness[0]: does not produce the ciphertext's alpha");
  lie = honest;
  lie["contests"][0]["ciphertexts"][0]["beta"] = honest["contests"][0]["ciphertexts"][1]["beta"];
  CHECK(outcome(s, lie) ==
        "bad-opening: contests[0].choices: element 0 does not encrypt the claimed choices");
}

TEST_CASE("challenge records are strictly shaped and bound to the election", "[benaloh]") {
  const Setup s;
  const Json honest = make_challenge(s.context, s.encrypt());
  REQUIRE(outcome(s, honest) == "ok");

  Json t = honest;
  t["type"] = "haal-challenge-v1";
  CHECK(outcome(s, t) == "malformed: type: expected \"haal-challenge-v2\"");
  t = honest;
  t["voter_id"] = "alice";  // no identity may ride along
  CHECK(outcome(s, t).rfind("malformed: ", 0) == 0);
  t = honest;
  t["contests"].erase(4);
  CHECK(outcome(s, t) == "malformed: contests: expected 5 contests, found 4");
  t = honest;
  t["contests"][0]["randomness"].erase(0);
  CHECK(outcome(s, t) == "malformed: contests[0].randomness: expected 2 scalars, found 1");
  t = honest;
  t["contests"][0]["ciphertexts"].erase(0);
  CHECK(outcome(s, t) == "malformed: contests[0].ciphertexts: expected 2 ciphertexts, found 1");
  t = honest;
  t["contests"][1]["contest_id"] = "mayor";
  CHECK(outcome(s, t) ==
        "malformed: contests[1].contest_id: expected \"council\" (manifest order)");
  t = honest;
  t["contests"][0]["randomness"][0] = std::string(64, 'f');  // >= q
  CHECK(outcome(s, t).rfind("malformed: contests[0].randomness[0]", 0) == 0);
  t = honest;
  t["election_id"] = "other-2026";
  CHECK(outcome(s, t) ==
        "wrong-election: election_id \"other-2026\" is not this election (\"city-2026\")");
  t = honest;
  t["context_hash"] = std::string(64, '0');
  CHECK(outcome(s, t) == "wrong-election: context_hash is not this election's context hash");
  t = honest;
  const std::size_t hex_length =
      honest["contests"][0]["ciphertexts"][0]["alpha"].get<std::string>().size();
  t["contests"][0]["ciphertexts"][0]["alpha"] = std::string(hex_length, 'f');  // not an element
  CHECK(outcome(s, t).rfind("bad-element: contests[0].ciphertexts[0].alpha", 0) == 0);
}

TEST_CASE("the check key opens the cast ballot on a second device, and only it", "[benaloh]") {
  const Setup s;
  const EncryptedChoices e = s.encrypt();
  const Json ballot = cast_ballot(s.context, s.alice, e, 1, haal::crypto::system_random());
  const std::string key = check_key_text(e.seed);
  CHECK(key.size() == 52 + 12);
  const haal::crypto::Bytes seed = check_key_seed(key);
  CHECK(seed == e.seed);
  // Lower case, spaces for dashes: what a voter types.
  std::string typed = key;
  for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::tolower(c));
  CHECK(check_key_seed(typed) == e.seed);
  const auto opened = open_cast_ballot_var(s.context, ballot.at("contests"), seed);
  const BallotChoices expected = s.choices();
  REQUIRE(opened.size() == s.context.manifest().contests.size());
  for (std::size_t i = 0; i < opened.size(); ++i) {
    REQUIRE(std::holds_alternative<Selection>(opened[i]));
    CHECK(std::get<Selection>(opened[i]) == expected.at(s.context.manifest().contests[i].id));
  }
  // Another ballot's key does not open it.
  const EncryptedChoices other = s.encrypt();
  CHECK_THROWS_WITH(open_cast_ballot_var(s.context, ballot.at("contests"), other.seed),
                    Catch::Contains("the check key does not open this ballot"));
  // Malformed keys.
  CHECK_THROWS_WITH(check_key_seed(key.substr(1)), Catch::Contains("expected 52 characters"));
  CHECK_THROWS_WITH(check_key_seed(key.substr(0, key.size() - 1) + "1"),
                    Catch::Contains("invalid character"));
  // The last character carries 1 bit and 4 zero bits: any other value is not canonical.
  std::string noncanonical = key;
  noncanonical.back() = noncanonical.back() == 'A' ? 'B' : 'R';
  CHECK_THROWS_WITH(check_key_seed(noncanonical), Catch::Contains("not canonical"));
  // The seed fixes the ciphertexts: the same seed gives the same tracking code.
  CHECK(encrypt_choices_from_seed_var(s.context, s.choices(), e.seed).tracking_code ==
        e.tracking_code);
}

TEST_CASE("a check request proves the check key without revealing it", "[benaloh]") {
  const Setup s;
  const EncryptedChoices e = s.encrypt();
  const Json ballot = cast_ballot(s.context, s.alice, e, 1, haal::crypto::system_random());
  const Json honest =
      make_check_request(s.context, e.tracking_code, e.seed, haal::crypto::system_random());
  CHECK(check_request_valid_var(s.context, e.tracking_code, ballot, honest));
  // The key itself is not in the request.
  CHECK(honest.dump().find(haal::crypto::to_hex(e.seed)) == std::string::npos);
  // Bound to the tracking code and to this ballot's first alpha.
  const EncryptedChoices other = s.encrypt();
  CHECK_FALSE(check_request_valid_var(s.context, other.tracking_code, ballot, honest));
  const Json other_ballot =
      cast_ballot(s.context, s.alice, other, 2, haal::crypto::system_random());
  CHECK_FALSE(check_request_valid_var(s.context, e.tracking_code, other_ballot, honest));
  // Each field tampered, and shapes that are not a request.
  for (const char* field : {"challenge", "response"}) {
    Json t = honest;
    std::string hex = t["proof"][field].get<std::string>();
    hex.back() = hex.back() == '0' ? '1' : '0';
    t["proof"][field] = hex;
    CHECK_FALSE(check_request_valid_var(s.context, e.tracking_code, ballot, t));
  }
  Json extra = honest;
  extra["seed"] = "00";
  CHECK_FALSE(check_request_valid_var(s.context, e.tracking_code, ballot, extra));
  CHECK_FALSE(check_request_valid_var(s.context, e.tracking_code, ballot, Json::object()));
  CHECK_FALSE(check_request_valid_var(s.context, e.tracking_code, ballot, Json::array()));
  // A key that is not the ballot's proves nothing about it.
  CHECK_FALSE(check_request_valid_var(
      s.context, e.tracking_code, ballot,
      make_check_request(s.context, e.tracking_code, other.seed, haal::crypto::system_random())));
}
