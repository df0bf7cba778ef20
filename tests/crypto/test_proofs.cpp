// Every proof: the honest proof verifies; changing any field, the context, the binding or the
// statement makes it fail; malformed JSON is rejected with the field named.
#include <catch2/catch.hpp>

#include "crypto/elgamal.hpp"
#include "crypto/proof_chaum_pedersen.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/proof_schnorr.hpp"

using namespace haal::crypto;

namespace {
ProofContext test_context() {
  const Digest election = sha256(std::string_view("election-2026"));
  return ProofContext{Bytes(election.begin(), election.end()), to_bytes("trustee 1")};
}
Scalar bump(const ScalarField& f, const Scalar& s) {
  return f.add(s, f.from_u64(1));
}
}  // namespace

TEST_CASE("Schnorr proof", "[proofs]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048");
  INFO(name);
  const Group& g = group_by_name(name);
  const ScalarField& f = g.scalars();
  const ProofContext ctx = test_context();
  const Scalar x = f.random_nonzero(system_random());
  const Element y = g.exp_generator(SecretScalar(x));
  const SchnorrProof proof = schnorr_prove(g, ctx, g.generator(), y, x, system_random());
  REQUIRE(schnorr_verify_var(g, ctx, g.generator(), y, proof));

  // JSON round trip
  const SchnorrProof parsed = schnorr_proof_from_json(g, schnorr_proof_to_json(g, proof), "proof");
  CHECK(schnorr_verify_var(g, ctx, g.generator(), y, parsed));

  // Each field tampered
  CHECK_FALSE(
      schnorr_verify_var(g, ctx, g.generator(), y, {bump(f, proof.challenge), proof.response}));
  CHECK_FALSE(
      schnorr_verify_var(g, ctx, g.generator(), y, {proof.challenge, bump(f, proof.response)}));
  // Statement, base, context, binding, group
  CHECK_FALSE(schnorr_verify_var(g, ctx, g.generator(), g.mul(y, g.generator()), proof));
  CHECK_FALSE(schnorr_verify_var(g, ctx, y, y, proof));
  ProofContext other = ctx;
  other.election_hash[0] ^= 1;
  CHECK_FALSE(schnorr_verify_var(g, other, g.generator(), y, proof));
  other = ctx;
  other.binding = to_bytes("trustee 2");
  CHECK_FALSE(schnorr_verify_var(g, other, g.generator(), y, proof));
  // A proof for a false statement (wrong witness) fails.
  const SchnorrProof wrong = schnorr_prove(g, ctx, g.generator(), y, bump(f, x), system_random());
  CHECK_FALSE(schnorr_verify_var(g, ctx, g.generator(), y, wrong));

  // Malformed JSON
  Json j = schnorr_proof_to_json(g, proof);
  j.erase("response");
  CHECK_THROWS_WITH(schnorr_proof_from_json(g, j, "proof"), "proof.response: missing");
  j = schnorr_proof_to_json(g, proof);
  j["extra"] = 1;
  CHECK_THROWS_WITH(schnorr_proof_from_json(g, j, "proof"), "proof.extra: unknown field");
  j = schnorr_proof_to_json(g, proof);
  j["challenge"] = std::string(f.byte_length() * 2, 'f');
  CHECK_THROWS_WITH(schnorr_proof_from_json(g, j, "proof"), Catch::StartsWith("proof.challenge: "));
}

TEST_CASE("Chaum-Pedersen proof", "[proofs]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048");
  INFO(name);
  const Group& g = group_by_name(name);
  const ScalarField& f = g.scalars();
  const ProofContext ctx = test_context();
  const Scalar x = f.random_nonzero(system_random());
  const Element a = g.exp_generator(SecretScalar(x));
  const Element alpha = g.exp_generator(f.random_secret(system_random()));
  const Element share = g.exp(alpha, SecretScalar(x));
  const auto proof =
      chaum_pedersen_prove(g, ctx, g.generator(), a, alpha, share, x, system_random());
  REQUIRE(chaum_pedersen_verify_var(g, ctx, g.generator(), a, alpha, share, proof));
  const auto parsed =
      chaum_pedersen_proof_from_json(g, chaum_pedersen_proof_to_json(g, proof), "p");
  CHECK(chaum_pedersen_verify_var(g, ctx, g.generator(), a, alpha, share, parsed));

  CHECK_FALSE(chaum_pedersen_verify_var(g, ctx, g.generator(), a, alpha, share,
                                        {bump(f, proof.challenge), proof.response}));
  CHECK_FALSE(chaum_pedersen_verify_var(g, ctx, g.generator(), a, alpha, share,
                                        {proof.challenge, bump(f, proof.response)}));
  CHECK_FALSE(chaum_pedersen_verify_var(g, ctx, g.generator(), a, alpha,
                                        g.mul(share, g.generator()), proof));
  CHECK_FALSE(chaum_pedersen_verify_var(g, ctx, g.generator(), g.mul(a, g.generator()), alpha,
                                        share, proof));
  CHECK_FALSE(chaum_pedersen_verify_var(g, ctx, g.generator(), a, g.mul(alpha, g.generator()),
                                        share, proof));
  ProofContext other = ctx;
  other.binding = to_bytes("trustee 9");
  CHECK_FALSE(chaum_pedersen_verify_var(g, other, g.generator(), a, alpha, share, proof));
  // A dishonest share (different exponent) cannot be proven.
  const Element bad_share = g.exp(alpha, SecretScalar(bump(f, x)));
  const auto lie =
      chaum_pedersen_prove(g, ctx, g.generator(), a, alpha, bad_share, x, system_random());
  CHECK_FALSE(chaum_pedersen_verify_var(g, ctx, g.generator(), a, alpha, bad_share, lie));
}

TEST_CASE("ciphertext randomness proof", "[proofs]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048");
  INFO(name);
  const Group& g = group_by_name(name);
  const ScalarField& f = g.scalars();
  const ProofContext ctx = test_context();
  const ElGamalEncryptor enc(g, g.exp_generator(f.random_secret(system_random())));
  std::vector<Element> messages;
  std::vector<Scalar> r;
  for (int i = 0; i < 3; ++i) {
    messages.push_back(g.encode_message_var(to_bytes(std::to_string(i))));
    r.push_back(f.random_nonzero(system_random()));
  }
  const CiphertextVector cts = enc.encrypt(messages, std::vector<SecretScalar>(r.begin(), r.end()));
  const auto proof = ciphertext_randomness_prove(g, ctx, cts, r, system_random());
  REQUIRE(ciphertext_randomness_verify_var(g, ctx, cts, proof));
  const auto parsed = ciphertext_randomness_proof_from_json(
      g, ciphertext_randomness_proof_to_json(g, proof), "proof");
  CHECK(ciphertext_randomness_verify_var(g, ctx, cts, parsed));

  auto tampered = proof;
  tampered.challenge = bump(f, tampered.challenge);
  CHECK_FALSE(ciphertext_randomness_verify_var(g, ctx, cts, tampered));
  for (std::size_t i = 0; i < proof.responses.size(); ++i) {
    tampered = proof;
    tampered.responses[i] = bump(f, tampered.responses[i]);
    CHECK_FALSE(ciphertext_randomness_verify_var(g, ctx, cts, tampered));
  }
  tampered = proof;
  tampered.responses.pop_back();
  CHECK_FALSE(ciphertext_randomness_verify_var(g, ctx, cts, tampered));
  // Either half of any ciphertext altered
  for (std::size_t i = 0; i < cts.size(); ++i) {
    CiphertextVector changed = cts;
    changed[i].beta = g.mul(changed[i].beta, g.generator());
    CHECK_FALSE(ciphertext_randomness_verify_var(g, ctx, changed, proof));
    changed = cts;
    changed[i].alpha = g.mul(changed[i].alpha, g.generator());
    CHECK_FALSE(ciphertext_randomness_verify_var(g, ctx, changed, proof));
  }
  // Copied into another voter's ballot (other binding) or another election: fails.
  ProofContext other = ctx;
  other.binding = to_bytes("voter 2/contest 1");
  CHECK_FALSE(ciphertext_randomness_verify_var(g, other, cts, proof));
  other = ctx;
  other.election_hash.back() ^= 0x80;
  CHECK_FALSE(ciphertext_randomness_verify_var(g, other, cts, proof));
  // Reordered ciphertexts fail.
  CiphertextVector swapped = cts;
  std::swap(swapped[0], swapped[1]);
  CHECK_FALSE(ciphertext_randomness_verify_var(g, ctx, swapped, proof));

  Json j = ciphertext_randomness_proof_to_json(g, proof);
  j["responses"] = Json::array();
  CHECK_THROWS_WITH(ciphertext_randomness_proof_from_json(g, j, "proof"),
                    "proof.responses: must not be empty");
  j = ciphertext_randomness_proof_to_json(g, proof);
  j["responses"][1] = "zz";
  CHECK_THROWS_WITH(ciphertext_randomness_proof_from_json(g, j, "proof"),
                    Catch::StartsWith("proof.responses[1]: "));
}
