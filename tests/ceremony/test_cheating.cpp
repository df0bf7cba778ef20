// Misbehaving trustees: bad shares caught through complaints, commitments changed after the
// hash commitment, bad proofs, tampered or inconsistent messages.
#include <catch2/catch.hpp>

#include "ceremony/polynomial.hpp"
#include "ceremony/threshold_decryption.hpp"
#include "ceremony_fixture.hpp"
#include "crypto/elgamal.hpp"

using namespace haal::ceremony;
using namespace haal::ceremony::testing;

namespace {

// Replaces `sender`'s encrypted share for `recipient` by an encryption of f(recipient) + 1,
// re-signed with the sender's key (the sender cheats; the signature is genuine).
void send_bad_share(SteppedCeremony& c, std::uint32_t sender, std::uint32_t recipient) {
  const auto& field = c.params.group->scalars();
  TrusteeSecrets& s = c.trustee(sender);
  const Scalar bad =
      field.add(evaluate_polynomial(field, s.coefficients, recipient), field.from_u64(1));
  const auto recipient_key = load_identities(c.params, c.board).at(recipient - 1).encryption_key;
  Json message = *c.board.load(shares_file(sender));
  for (auto& entry : message["shares"]) {
    if (entry["recipient"] == recipient) {
      entry["encrypted_share"] = haal::crypto::ecies_ciphertext_to_json(haal::crypto::ecies_encrypt(
          recipient_key, share_binding(c.params, sender, recipient), field.encode(bad)));
    }
  }
  c.board.replace(shares_file(sender), sign_ceremony_message(message, s.signing_seed));
}

// Checks that the qualified trustees of `result` can decrypt (any t of them).
void check_qualified_decrypt(const SteppedCeremony& c, const CeremonyResult& result) {
  const Group& group = *c.params.group;
  const Bytes context(32, 7);
  const Element m = group.encode_message_var(haal::crypto::to_bytes("vote"));
  haal::crypto::ElGamalEncryptor enc(group, result.joint_public_key);
  const std::vector<haal::crypto::Ciphertext> cts{
      enc.encrypt(m, group.scalars().random_secret(haal::crypto::system_random()))};
  const std::vector<Element> alphas{cts[0].alpha};
  std::vector<PartialDecryptionSet> sets;
  for (const auto i : result.qualified) {
    sets.push_back(compute_partial_decryptions(group, c.params.election_id, context,
                                               c.secrets.at(i - 1), *result.find(i), alphas));
  }
  const auto out = threshold_decrypt_var(result, context, cts, sets);
  CHECK(group.equal(out.plaintexts[0], m));
  // And from the other end of the qualified list too.
  std::vector<PartialDecryptionSet> reversed(sets.rbegin(), sets.rbegin() + result.threshold);
  CHECK(group.equal(threshold_decrypt_var(result, context, cts, reversed).plaintexts[0], m));
}

}  // namespace

TEST_CASE(
    "A bad share is caught by the complaint path, a cheater who reveals a bad share is "
    "disqualified and the rest completes",
    "[ceremony][cheating]") {
  SteppedCeremony c(5, 3);
  c.through_shares();
  send_bad_share(c, 2, 4);
  c.verify();
  CHECK(c.log.str().find("trustee 2: BAD SHARE (share-mismatch): complaining") !=
        std::string::npos);
  const Json complaints = *c.board.load(complaints_file(4));
  REQUIRE(complaints["complaints"].size() == 1);
  CHECK(complaints["complaints"][0]["accused"] == 2);
  c.answer();
  // The cheater stands by its bad share in its (genuinely signed) answer.
  {
    const auto& field = c.params.group->scalars();
    Answer a;
    a.trustee = 2;
    a.revealed.push_back(RevealedShare{
        4, field.add(evaluate_polynomial(field, c.trustee(2).coefficients, 4), field.from_u64(1))});
    c.board.replace(answer_file(2), answer_message(c.params, a, c.trustee(2).signing_seed));
  }
  const CeremonyResult result = c.finalize();
  INFO(c.log.str());
  CHECK(result.qualified == std::vector<std::uint32_t>{1, 3, 4, 5});
  REQUIRE(result.disqualified.size() == 1);
  CHECK(result.disqualified[0].trustee == 2);
  CHECK(result.disqualified[0].reason == "invalid-revealed-share");
  CHECK(result.find(2) == nullptr);
  // The disqualified trustee gets no share.
  CHECK_THROWS_WITH(finalize_round(c.params, c.board, c.trustee(2), false, c.log),
                    Catch::Contains("disqualified"));
  // The joint key is the product of the qualified trustees' constant-term commitments only.
  const Group& group = *c.params.group;
  const CeremonyRecord record = CeremonyRecord::load(c.params, c.board);
  Element expected = group.identity();
  for (auto i : result.qualified) {
    expected = group.mul(expected, record.trustee(i).reveal->commitments[0]);
  }
  CHECK(group.equal(expected, result.joint_public_key));
  CHECK_FALSE(group.equal(group.mul(expected, record.trustee(2).reveal->commitments[0]),
                          result.joint_public_key));
  check_qualified_decrypt(c, result);

  // An observer recomputes the same result; a doctored result.json is caught.
  CHECK(ceremony_result_to_json(verify_ceremony_result(c.election, c.log)) ==
        ceremony_result_to_json(result));
  {
    Json doctored = ceremony_result_to_json(result);
    doctored["qualified"] = Json::array({1u, 2u, 3u, 4u, 5u});
    doctored["disqualified"] = Json::array();
    c.board.replace(kResultFile, doctored);
    CHECK_THROWS_WITH(verify_ceremony_result(c.election, c.log),
                      Catch::Contains("differs from the result the published messages give"));
    c.board.replace(kResultFile, ceremony_result_to_json(result));
  }

  // result.json round-trips, and a result that forgets a disqualification is malformed.
  const Json j = ceremony_result_to_json(result);
  CHECK(ceremony_result_to_json(ceremony_result_from_json(j, "r")) == j);
  Json t = j;
  t["disqualified"] = Json::array();
  CHECK_THROWS_WITH(ceremony_result_from_json(t, "r"),
                    "r.disqualified: trustee 2 is neither qualified nor disqualified");
  t = j;
  t["disqualified"][0]["reason"] = "bad-vibes";
  CHECK_THROWS_WITH(ceremony_result_from_json(t, "r"),
                    "r.disqualified[0].reason: unknown reason code");
  t = j;
  t["disqualified"][0]["trustee"] = 3u;
  CHECK_THROWS_WITH(ceremony_result_from_json(t, "r"),
                    "r.disqualified[0].trustee: must be a trustee index listed nowhere else");
}

TEST_CASE("A bad share whose sender never answers disqualifies it once the deadline passes",
          "[ceremony][cheating]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  send_bad_share(c, 1, 3);
  c.verify();
  answer_round(c.params, c.board, c.trustee(2), false, c.log);
  answer_round(c.params, c.board, c.trustee(3), false, c.log);
  // Without --allow-missing the finalizer waits for the answer, naming it.
  CHECK_THROWS_WITH(compute_ceremony_result(c.params, c.board, false, c.log),
                    Catch::Contains("round3-answer-trustee-1.json"));
  const CeremonyResult result = c.finalize(true);
  CHECK(result.qualified == std::vector<std::uint32_t>{2, 3});
  REQUIRE(result.disqualified.size() == 1);
  CHECK(result.disqualified[0].reason == "unanswered-complaint");
  check_qualified_decrypt(c, result);
}

TEST_CASE(
    "An undecryptable share leads to a complaint, a correct public answer keeps the "
    "sender qualified and the complainer uses the revealed share",
    "[ceremony][cheating]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  Json message = *c.board.load(shares_file(3));
  std::string ct = message["shares"][0]["encrypted_share"]["ciphertext"];
  ct[0] = ct[0] == '0' ? '1' : '0';
  message["shares"][0]["encrypted_share"]["ciphertext"] = ct;  // for trustee 1
  c.board.replace(shares_file(3), sign_ceremony_message(message, c.trustee(3).signing_seed));
  c.verify();
  CHECK(c.log.str().find("trustee 3: BAD SHARE (undecryptable-share)") != std::string::npos);
  c.answer();
  const Json answer = *c.board.load(answer_file(3));
  CHECK(answer["revealed_shares"].size() == 1);
  const CeremonyResult result = c.finalize();
  CHECK(result.qualified == std::vector<std::uint32_t>{1, 2, 3});
  check_qualified_decrypt(c, result);
}

TEST_CASE("A trustee that changes its commitments after the hash commitment is caught",
          "[ceremony][cheating]") {
  for (const auto& [n, t] : {std::pair{3u, 2u}, std::pair{5u, 3u}}) {
    SteppedCeremony c(n, t);
    c.identities();
    c.commit();
    // Trustee n has seen everyone's commitments and picks a new polynomial before revealing.
    c.trustee(n).coefficients =
        random_polynomial(c.params.group->scalars(), t, haal::crypto::system_random());
    c.reveal();
    c.shares();
    c.verify();
    CHECK(c.log.str().find("differ from its round-1 hash commitment") != std::string::npos);
    c.answer();
    const CeremonyResult result = c.finalize();
    REQUIRE(result.disqualified.size() == 1);
    CHECK(result.disqualified[0].trustee == n);
    CHECK(result.disqualified[0].reason == "commitment-mismatch");
    CHECK(result.qualified.size() == n - 1);
    check_qualified_decrypt(c, result);
  }
}

TEST_CASE("A reveal with a bad proof of knowledge disqualifies its trustee",
          "[ceremony][cheating]") {
  SteppedCeremony c(3, 2);
  c.identities();
  c.commit();
  c.reveal();
  Json reveal = *c.board.load(reveal_file(2));
  const auto& field = c.params.group->scalars();
  const Scalar z =
      haal::crypto::scalar_from_json(*c.params.group, reveal["proofs"][1]["response"], "z");
  reveal["proofs"][1]["response"] = field.to_hex(field.add(z, field.from_u64(1)));
  c.board.replace(reveal_file(2), sign_ceremony_message(reveal, c.trustee(2).signing_seed));
  c.shares();
  c.verify();
  c.answer();
  const CeremonyResult result = c.finalize();
  REQUIRE(result.disqualified.size() == 1);
  CHECK(result.disqualified[0].trustee == 2);
  CHECK(result.disqualified[0].reason == "invalid-proof");
}

TEST_CASE("Too many cheaters: the ceremony fails instead of producing a weak key",
          "[ceremony][cheating]") {
  SteppedCeremony c(3, 2);
  c.identities();
  c.commit();
  for (std::uint32_t i : {1u, 2u}) {
    c.trustee(i).coefficients =
        random_polynomial(c.params.group->scalars(), 2, haal::crypto::system_random());
  }
  c.reveal();
  c.shares();
  c.verify();
  c.answer();
  CHECK_THROWS_WITH(compute_ceremony_result(c.params, c.board, false, c.log),
                    Catch::Contains("only 1 trustees qualified"));
}

TEST_CASE("Messages altered by anyone but their signer are rejected, naming file and field",
          "[ceremony][messages]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  const Json original = *c.board.load(reveal_file(2));
  auto expect_rejected = [&](Json tampered, const std::string& what) {
    c.board.replace(reveal_file(2), tampered);
    CHECK_THROWS_WITH(CeremonyRecord::load(c.params, c.board), Catch::Contains(what));
    c.board.replace(reveal_file(2), original);
  };
  Json t = original;
  t["coefficient_commitments"][0] = original["coefficient_commitments"][1];
  expect_rejected(t, "round1-reveal-trustee-2.json.signature: not a valid signature by trustee 2");
  t = original;
  t["election_id"] = "other";
  expect_rejected(t, "round1-reveal-trustee-2.json.election_id");
  t = original;
  t["manifest_hash"] = std::string(64, 'a');
  expect_rejected(t, "round1-reveal-trustee-2.json.manifest_hash");
  t = original;
  t["trustee"] = 3;
  expect_rejected(t, "round1-reveal-trustee-2.json.trustee: must be 2");
  t = original;
  t["format"] = "haal-ceremony-shares-v1";
  expect_rejected(t, "round1-reveal-trustee-2.json.format");
  t = original;
  t["extra"] = true;
  expect_rejected(t, "round1-reveal-trustee-2.json.extra: unknown field");
  t = original;
  t["coefficient_commitments"].erase(1);
  expect_rejected(t, "round1-reveal-trustee-2.json.coefficient_commitments: must have threshold");
  t = original;
  t["coefficient_commitments"][1] = std::string(66, '0');
  expect_rejected(t, "round1-reveal-trustee-2.json.coefficient_commitments[1]");
  t = original;
  t["signature"] = std::string(128, '0');
  expect_rejected(t, "round1-reveal-trustee-2.json.signature");
  CHECK_NOTHROW(CeremonyRecord::load(c.params, c.board));

  // Identity messages are self-signed: changing a key breaks the signature.
  Json id = *c.board.load(identity_file(1));
  id["encryption_key"] = (*c.board.load(identity_file(2)))["encryption_key"];
  CHECK_THROWS_WITH(parse_identity(c.params, id, 1, "id"),
                    "id.signature: not a valid signature by trustee 1");
}

TEST_CASE("A message changed after trustees verified it stops finalization",
          "[ceremony][messages]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  c.verify();
  c.answer();
  // Trustee 1 equivocates: a different (validly signed) shares file appears on this board.
  Json shares = *c.board.load(shares_file(1));
  shares["shares"][0]["encrypted_share"] = haal::crypto::ecies_ciphertext_to_json(
      haal::crypto::ecies_encrypt(load_identities(c.params, c.board)[1].encryption_key,
                                  share_binding(c.params, 1, 2), Bytes(32, 1)));
  c.board.replace(shares_file(1), sign_ceremony_message(shares, c.trustee(1).signing_seed));
  CHECK_THROWS_WITH(
      compute_ceremony_result(c.params, c.board, false, c.log),
      Catch::Contains("verified a different version of round2-shares-trustee-1.json"));
}

TEST_CASE("A small-order identity key is refused in identity messages and in result.json",
          "[ceremony][messages]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  c.verify();
  c.answer();
  const CeremonyResult result = c.finalize();
  // Under the identity point 01 00..00, R = identity and S = 0 signs every message (OpenSSL alone
  // accepts it): a forger could publish an identity in trustee 1's place.
  const std::string identity_point = "01" + std::string(62, '0');
  Json id = *c.board.load(identity_file(1));
  id["signing_key"] = identity_point;
  id["signature"] = "01" + std::string(126, '0');
  CHECK_THROWS_WITH(parse_identity(c.params, id, 1, "id"),
                    "id.signing_key: a small-order Ed25519 point (it would verify forged "
                    "signatures)");
  Json r = ceremony_result_to_json(result);
  REQUIRE_NOTHROW(ceremony_result_from_json(r, "r"));
  r["trustees"][1]["signing_key"] = identity_point;
  CHECK_THROWS_WITH(ceremony_result_from_json(r, "r"),
                    "r.trustees[1].signing_key: a small-order Ed25519 point (it would verify "
                    "forged signatures)");
}

TEST_CASE("A small-order encryption key is refused in identity messages, naming the field",
          "[ceremony][messages]") {
  SteppedCeremony c(3, 2);
  c.identities();
  const Json honest = *c.board.load(identity_file(2));
  REQUIRE_NOTHROW(parse_identity(c.params, honest, 2, "id"));
  // u = 0 and u = 1 are small-order points of Curve25519 (RFC 7748 section 6.1); a trustee
  // publishing one would make every share sent to it public. The check comes before the
  // signature, so re-signing would not help.
  for (const std::string& small : {std::string(64, '0'), "01" + std::string(62, '0')}) {
    Json id = honest;
    id["encryption_key"] = small;
    CHECK_THROWS_WITH(parse_identity(c.params, id, 2, "id"),
                      "id.encryption_key: a small-order X25519 point (every shared secret with "
                      "it is zero, RFC 7748 section 6.1)");
  }
}
