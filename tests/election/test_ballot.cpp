#include <catch2/catch.hpp>

#include "crypto/exp_path_counts.hpp"
#include "election/ballot.hpp"
#include "election/tracking_code.hpp"
#include "fixtures.hpp"

using namespace haal::election;
using haal::crypto::Bytes;

namespace {

struct Setup {
  ElectionContext context;
  haal::crypto::Scalar secret;
  Credential alice = test::test_credential("alice");
  Credential bob = test::test_credential("bob");
  Roll roll{"city-2026"};

  explicit Setup(const std::string& group = "P-256")
      : context(test::sample_context(group)), secret(test::test_key(context.group()).secret) {
    roll.add(alice.voter_id, alice.public_key);
    roll.add(bob.voter_id, bob.public_key);
  }

  BallotChoices choices() const {
    return ballot_choices_from_json(context.manifest(), test::sample_choices_json());
  }

  EncryptedBallot encrypt(const Credential& who, std::uint64_t sequence = 1) const {
    return encrypt_ballot_var(context, who, choices(), sequence, haal::crypto::system_random());
  }
};

void resign(Json& ballot, const Credential& who) {
  ballot["signature"] = haal::crypto::to_hex(who.key.sign(signed_bytes(ballot)));
}

// Returns the error code name verify_ballot_var gives, or "ok".
std::string outcome(const Setup& s, const Json& ballot, std::string* message = nullptr) {
  try {
    verify_ballot_var(s.context, s.roll, ballot);
  } catch (const BallotRejected& e) {
    if (message) *message = e.what();
    return ballot_error_code_name(e.code());
  }
  return "ok";
}

// Returns hex with its first character changed (still canonical hex).
std::string flip_hex(const std::string& hex) {
  std::string out = hex;
  out[out.size() - 1] = out[out.size() - 1] == '0' ? '1' : '0';
  return out;
}

}  // namespace

TEST_CASE("ballots round-trip in every group: encrypt, verify, decrypt, decode", "[ballot]") {
  for (const std::string& name : haal::crypto::supported_group_names()) {
    INFO(name);
    const Setup s(name);
    const EncryptedBallot b = s.encrypt(s.alice, 7);
    const VerifiedBallot v = verify_ballot_var(s.context, s.roll, b.ballot);
    CHECK(v.voter_id == "alice");
    CHECK(v.sequence == 7);
    CHECK(v.hash == b.hash);
    CHECK(v.tracking_code == b.encrypted.tracking_code);
    CHECK(v.tracking_hash == b.encrypted.tracking_hash);
    CHECK(v.tracking_code == tracking_code(b.encrypted.tracking_hash));
    // The tracking hash commits to the ciphertexts and the election alone.
    CHECK(v.tracking_hash == tracking_hash(s.context.election_id(),
                                           haal::crypto::to_hex(s.context.hash()),
                                           b.encrypted.contests));
    const auto decoded = test::decrypt_ballot(s.context, s.secret, v);
    const BallotChoices expected = s.choices();
    for (std::size_t i = 0; i < decoded.size(); ++i) {
      REQUIRE(std::holds_alternative<Selection>(decoded[i]));
      CHECK(std::get<Selection>(decoded[i]) == expected.at(s.context.manifest().contests[i].id));
    }
    // The text form parses strictly and verifies the same way.
    CHECK(verify_ballot_text_var(s.context, s.roll, b.ballot.dump(2)).hash == b.hash);
  }
}

TEST_CASE("all ballots of an election have the same shape", "[ballot]") {
  const Setup s;
  Json abstain = test::sample_choices_json();
  abstain["council"] = Json::array();
  abstain["chair"] = Json::array();
  abstain["mayor"] = {"bob"};
  const EncryptedBallot a = s.encrypt(s.alice);
  const EncryptedBallot b =
      encrypt_ballot_var(s.context, s.bob, ballot_choices_from_json(s.context.manifest(), abstain),
                         1, haal::crypto::system_random());
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(a.ballot["contests"][i]["ciphertexts"].size() == s.context.width(i));
    CHECK(b.ballot["contests"][i]["ciphertexts"].size() == s.context.width(i));
  }
  CHECK(a.ballot["contests"].dump().size() == b.ballot["contests"].dump().size());
}

TEST_CASE("tampering with any part of a ballot is detected with its own code", "[ballot]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt(s.alice);
  REQUIRE(outcome(s, b.ballot) == "ok");
  const auto& group = s.context.group();
  const std::string other_element =
      group.to_hex(group.exp_generator_var(group.scalars().from_u64(12345)));

  struct Case {
    std::string name;
    std::function<void(Json&)> edit;
    bool resign;
    std::string code;
    std::string message;  // expected what(), when checked
  };
  const std::vector<Case> cases = {
      {"not an object", [](Json& j) { j = Json::array(); }, false, "malformed",
       "malformed: (top): the ballot must be a JSON object"},
      {"missing field", [](Json& j) { j.erase("sequence"); }, false, "malformed",
       "malformed: sequence: missing"},
      {"unknown field", [](Json& j) { j["extra"] = 1; }, false, "malformed",
       "malformed: extra: unknown field"},
      {"wrong type", [](Json& j) { j["type"] = "haal-challenge-v1"; }, false, "malformed",
       "malformed: type: expected \"haal-ballot-v2\""},
      {"sequence zero", [](Json& j) { j["sequence"] = 0u; }, false, "malformed",
       "malformed: sequence: must be between 1 and 2^53 - 1"},
      {"uppercase hex",
       [](Json& j) {
         std::string h = j["signature"];
         h[0] = 'A';
         j["signature"] = h;
       },
       false, "malformed", ""},
      {"short credential", [](Json& j) { j["credential"] = "00"; }, false, "malformed", ""},
      {"missing ciphertext", [](Json& j) { j["contests"][0]["ciphertexts"].erase(1); }, false,
       "malformed", "malformed: contests[0].ciphertexts: expected 2 ciphertexts, found 1"},
      {"swapped contests", [](Json& j) { std::swap(j["contests"][1], j["contests"][2]); }, false,
       "malformed", "malformed: contests[1].contest_id: expected \"council\" (manifest order)"},
      {"missing response", [](Json& j) { j["contests"][2]["proof"]["responses"].erase(0); }, false,
       "malformed", "malformed: contests[2].proof.responses: expected 1 responses, found 0"},
      {"dropped contest", [](Json& j) { j["contests"].erase(4); }, false, "malformed",
       "malformed: contests: expected 5 contests, found 4"},
      {"election id", [](Json& j) { j["election_id"] = "other"; }, false, "wrong-election",
       "wrong-election: election_id \"other\" is not this election (\"city-2026\")"},
      {"context hash", [](Json& j) { j["context_hash"] = flip_hex(j["context_hash"]); }, false,
       "wrong-election", "wrong-election: context_hash is not this election's context hash"},
      {"unknown voter", [](Json& j) { j["voter_id"] = "mallory"; }, false, "unknown-voter",
       "unknown-voter: voter \"mallory\" is not on the roll"},
      {"voter id of another voter", [](Json& j) { j["voter_id"] = "bob"; }, false,
       "credential-mismatch",
       "credential-mismatch: credential is not the roll's key for voter \"bob\""},
      {"credential replaced",
       [&](Json& j) { j["credential"] = haal::crypto::to_hex(s.bob.public_key); }, false,
       "credential-mismatch", ""},
      {"sequence", [](Json& j) { j["sequence"] = 2u; }, false, "bad-signature",
       "bad-signature: signature does not verify under the voter's credential"},
      {"signature", [](Json& j) { j["signature"] = flip_hex(j["signature"]); }, false,
       "bad-signature", ""},
      {"alpha unsigned",
       [&](Json& j) { j["contests"][1]["ciphertexts"][0]["alpha"] = other_element; }, false,
       "bad-signature", ""},
      {"beta unsigned",
       [&](Json& j) { j["contests"][1]["ciphertexts"][0]["beta"] = other_element; }, false,
       "bad-signature", ""},
      {"alpha not in group",
       [](Json& j) { j["contests"][3]["ciphertexts"][0]["alpha"] = "02" + std::string(64, 'f'); },
       true, "bad-element", ""},
      {"beta is identity",
       [](Json& j) { j["contests"][0]["ciphertexts"][1]["beta"] = std::string(66, '0'); }, true,
       "bad-element", ""},
      {"alpha re-signed",
       [&](Json& j) { j["contests"][1]["ciphertexts"][0]["alpha"] = other_element; }, true,
       "bad-proof",
       "bad-proof: contests[1].proof: proof of randomness for contest \"council\" does not verify"},
      {"beta re-signed",
       [&](Json& j) { j["contests"][4]["ciphertexts"][0]["beta"] = other_element; }, true,
       "bad-proof", ""},
      {"proof challenge",
       [](Json& j) {
         j["contests"][0]["proof"]["challenge"] = flip_hex(j["contests"][0]["proof"]["challenge"]);
       },
       true, "bad-proof", ""},
      {"proof response",
       [](Json& j) {
         j["contests"][0]["proof"]["responses"][1] =
             flip_hex(j["contests"][0]["proof"]["responses"][1]);
       },
       true, "bad-proof", ""},
      {"proof scalar out of range",
       [](Json& j) { j["contests"][2]["proof"]["responses"][0] = std::string(64, 'f'); }, true,
       "bad-proof", ""},
      {"ciphertexts swapped within contest",
       [](Json& j) {
         std::swap(j["contests"][0]["ciphertexts"][0], j["contests"][0]["ciphertexts"][1]);
       },
       true, "bad-proof", ""},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Json tampered = b.ballot;
    c.edit(tampered);
    if (c.resign) resign(tampered, s.alice);
    std::string message;
    CHECK(outcome(s, tampered, &message) == c.code);
    if (!c.message.empty()) CHECK(message == c.message);
  }
}

TEST_CASE("ciphertexts replayed under another voter's credential are rejected", "[ballot]") {
  const Setup s;
  const EncryptedBallot victim = s.encrypt(s.alice);
  EncryptedBallot copy = s.encrypt(s.bob);
  // Bob copies Alice's encrypted mayor vote (ciphertexts and proof) into his own ballot.
  copy.ballot["contests"][0] = victim.ballot["contests"][0];
  resign(copy.ballot, s.bob);
  std::string message;
  CHECK(outcome(s, copy.ballot, &message) == "bad-proof");
  CHECK(message ==
        "bad-proof: contests[0].proof: proof of randomness for contest \"mayor\" does not verify");
  // Copying the whole ballot body under Bob's identity fails the same way.
  Json whole = victim.ballot;
  whole["voter_id"] = "bob";
  whole["credential"] = haal::crypto::to_hex(s.bob.public_key);
  resign(whole, s.bob);
  CHECK(outcome(s, whole) == "bad-proof");
  // Moving a contest's ciphertexts to another contest with the same width fails too.
  Json moved = victim.ballot;
  moved["contests"][2]["ciphertexts"] = victim.ballot["contests"][1]["ciphertexts"];
  moved["contests"][2]["proof"] = victim.ballot["contests"][1]["proof"];
  resign(moved, s.alice);
  CHECK(outcome(s, moved) == "bad-proof");
}

TEST_CASE("a ballot is bound to the election context", "[ballot]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt(s.alice);
  // Same manifest, different ceremony key: a different context.
  const ElectionContext other = test::sample_context("P-256", "another key");
  CHECK(other.hash() != s.context.hash());
  CHECK_THROWS_MATCHES(verify_ballot_var(other, s.roll, b.ballot), BallotRejected,
                       Catch::Predicate<BallotRejected>([](const BallotRejected& e) {
                         return e.code() == BallotErrorCode::wrong_election;
                       }));
  // Restamped with the other context's hash and re-signed: the proofs still name the first.
  Json restamped = b.ballot;
  restamped["context_hash"] = haal::crypto::to_hex(other.hash());
  resign(restamped, s.alice);
  CHECK_THROWS_MATCHES(verify_ballot_var(other, s.roll, restamped), BallotRejected,
                       Catch::Predicate<BallotRejected>([](const BallotRejected& e) {
                         return e.code() == BallotErrorCode::bad_proof;
                       }));
}

TEST_CASE("only credentials on the roll are accepted", "[ballot]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt(s.alice);
  Roll other_roll("city-2026");
  other_roll.add("alice", test::test_credential("alice-2").public_key);
  std::string message;
  try {
    verify_ballot_var(s.context, other_roll, b.ballot);
  } catch (const BallotRejected& e) {
    message = e.what();
  }
  CHECK(message == "credential-mismatch: credential is not the roll's key for voter \"alice\"");
  // A credential of another election cannot sign ballots here.
  const Credential foreign = test::test_credential("alice", "other-election");
  CHECK_THROWS_WITH(
      encrypt_ballot_var(s.context, foreign, s.choices(), 1, haal::crypto::system_random()),
      "the credential is for election \"other-election\", not \"city-2026\"");
}

TEST_CASE("encrypt_ballot_var rejects invalid choices before encrypting", "[ballot]") {
  const Setup s;
  BallotChoices choices = s.choices();
  choices["council"].candidates = {0, 1, 2, 3};
  CHECK_THROWS_WITH(
      encrypt_ballot_var(s.context, s.alice, choices, 1, haal::crypto::system_random()),
      "contest \"council\": 4 choices, at most 3 allowed");
  choices = s.choices();
  choices.erase("chair");
  CHECK_THROWS_WITH(
      encrypt_ballot_var(s.context, s.alice, choices, 1, haal::crypto::system_random()),
      "choices miss contest \"chair\"");
  CHECK_THROWS_WITH(
      encrypt_ballot_var(s.context, s.alice, s.choices(), 0, haal::crypto::system_random()),
      "sequence must be between 1 and 2^53 - 1");
}

TEST_CASE("malformed ballot text is rejected as malformed", "[ballot]") {
  const Setup s;
  const EncryptedBallot b = s.encrypt(s.alice);
  std::string text = b.ballot.dump();
  text.insert(1, "\"sequence\":1,");
  try {
    verify_ballot_text_var(s.context, s.roll, text);
    FAIL("accepted a ballot with a duplicate key");
  } catch (const BallotRejected& e) {
    CHECK(e.code() == BallotErrorCode::malformed);
    CHECK(std::string(e.what()) == "malformed: ballot: sequence: duplicate key");
  }
  CHECK_THROWS_AS(verify_ballot_text_var(s.context, s.roll, "{\"type\":"), BallotRejected);
}

TEST_CASE("tracking codes are base32 of the first 15 hash bytes in groups of four", "[ballot]") {
  // RFC 4648 section 10 test vectors.
  CHECK(base32_encode(haal::crypto::to_bytes("")) == "");
  CHECK(base32_encode(haal::crypto::to_bytes("f")) == "MY");
  CHECK(base32_encode(haal::crypto::to_bytes("fo")) == "MZXQ");
  CHECK(base32_encode(haal::crypto::to_bytes("foo")) == "MZXW6");
  CHECK(base32_encode(haal::crypto::to_bytes("foob")) == "MZXW6YQ");
  CHECK(base32_encode(haal::crypto::to_bytes("fooba")) == "MZXW6YTB");
  CHECK(base32_encode(haal::crypto::to_bytes("foobar")) == "MZXW6YTBOI");
  Bytes hash(32);
  for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(i * 17);
  const std::string code = tracking_code(hash);
  CHECK(code == "AAIS-EM2E-KVTH-PCEZ-VK54-ZXPO");  // Python: base64.b32encode(hash[:15])
  CHECK(tracking_code_prefix(code) == Bytes(hash.begin(), hash.begin() + 15));
  CHECK(tracking_code_prefix("aais em2e kvth pcez vk54 zxpo") == tracking_code_prefix(code));
  CHECK_THROWS_WITH(tracking_code_prefix("AAIS-EM2E"),
                    "tracking code: expected 24 characters, got 8");
  CHECK_THROWS_WITH(tracking_code_prefix("AAIS-EM2E-KVTH-PCEZ-VK54-ZXP1"),
                    "tracking code: invalid character '1'");
}

TEST_CASE("ballot encryption on mod-p exponentiates its secrets on the constant-time path only",
          "[ballot][secrets]") {
  // The randomness r (g^r, y^r) and the proof's nonces are secret: every exponentiation that
  // encryption makes must be a constant-time one (crypto/exp_path_counts.hpp counts the calls).
  const Setup s("modp-2048");
  const haal::crypto::ExpPathCounts before = haal::crypto::exp_path_counts();
  const EncryptedBallot ballot = s.encrypt(s.alice);
  const haal::crypto::ExpPathCounts after = haal::crypto::exp_path_counts();
  CHECK(after.variable_time == before.variable_time);
  // Per ciphertext g^r, y^r and one proof nonce g^w: at least 3 per ciphertext, 5 contests.
  CHECK(after.constant_time >= before.constant_time + 15);
  // The counter sees the variable-time path too: verification uses it (public exponents).
  CHECK(verify_ballot_var(s.context, s.roll, ballot.ballot).tracking_code ==
        ballot.encrypted.tracking_code);
  CHECK(haal::crypto::exp_path_counts().variable_time > after.variable_time);
}
