// Partial decryptions: honest ones verify and combine; every tampered field is rejected with the
// trustee named; another trustee's valid partials replace a bad one.
#include <catch2/catch.hpp>

#include "ceremony/threshold_decryption.hpp"
#include "ceremony_fixture.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"

using namespace haal::ceremony;
using namespace haal::ceremony::testing;
using haal::crypto::Ciphertext;

namespace {

struct Decryption {
  Decryption() : c(3, 2) {
    c.through_shares();
    c.verify();
    c.answer();
    result = c.finalize();
    const Group& group = *c.params.group;
    haal::crypto::ElGamalEncryptor enc(group, result.joint_public_key);
    for (int k = 0; k < 40; ++k) {
      messages.push_back(group.encode_message_var(haal::crypto::to_bytes("m" + std::to_string(k))));
      ciphertexts.push_back(enc.encrypt(
          messages.back(), group.scalars().random_secret(haal::crypto::system_random())));
      alphas.push_back(ciphertexts.back().alpha);
    }
    for (std::uint32_t i = 1; i <= 3; ++i) {
      sets.push_back(compute_partial_decryptions(group, c.params.election_id, context, c.trustee(i),
                                                 *result.find(i), alphas));
    }
  }
  // Re-signs a tampered set as its (cheating) trustee would.
  PartialDecryptionSet resigned(PartialDecryptionSet s) {
    s.signature = haal::crypto::Ed25519PrivateKey::from_seed(c.trustee(s.trustee).signing_seed)
                      .sign(partial_decryptions_signed_bytes(*c.params.group, s));
    return s;
  }
  std::optional<PartialDecryptionFault> check(const PartialDecryptionSet& s) {
    return check_partial_decryptions_var(result, context, alphas, s);
  }

  SteppedCeremony c;
  CeremonyResult result;
  Bytes context = Bytes(32, 0xc7);
  std::vector<Element> messages, alphas;
  std::vector<Ciphertext> ciphertexts;
  std::vector<PartialDecryptionSet> sets;
};

}  // namespace

TEST_CASE("Honest partial decryptions verify, survive JSON and combine", "[decryption]") {
  Decryption d;
  const Group& group = *d.c.params.group;
  for (const auto& s : d.sets) {
    CHECK_FALSE(d.check(s));
    const Json j = partial_decryptions_to_json(group, s);
    const auto parsed = partial_decryptions_from_json(group, j, "partials.json");
    CHECK(partial_decryptions_to_json(group, parsed) == j);
    CHECK_FALSE(d.check(parsed));
  }
  const auto out = threshold_decrypt_var(d.result, d.context, d.ciphertexts, d.sets);
  CHECK(out.trustees_used == std::vector<std::uint32_t>{1, 2});
  CHECK(out.rejected.empty());
  for (std::size_t k = 0; k < d.messages.size(); ++k) {
    CHECK(group.equal(out.plaintexts[k], d.messages[k]));
  }
}

TEST_CASE("Every tampered field of a partial decryption is rejected and the trustee named",
          "[decryption]") {
  Decryption d;
  const Group& group = *d.c.params.group;
  const auto& field = group.scalars();
  const PartialDecryptionSet& good = d.sets[0];
  auto expect_fault = [&](const PartialDecryptionSet& s, std::optional<std::size_t> index,
                          const std::string& reason) {
    const auto fault = d.check(s);
    REQUIRE(fault);
    CHECK(fault->trustee == s.trustee);
    CHECK(fault->index == index);
    CHECK_THAT(fault->message(), Catch::Contains(reason));
  };

  // Tampered by someone else: the signature catches it.
  PartialDecryptionSet t = good;
  t.values[7] = group.mul(t.values[7], group.generator());
  expect_fault(t, std::nullopt, "signature does not verify");
  t = good;
  t.signature[0] ^= 1;
  expect_fault(t, std::nullopt, "signature does not verify");

  // Tampered by the trustee itself (re-signed): the batch proof catches it.
  const std::string batch = "batch Chaum-Pedersen proof";
  for (const std::size_t k : {std::size_t{0}, std::size_t{7}, std::size_t{39}}) {
    t = good;
    t.values[k] = group.mul(t.values[k], group.generator());
    expect_fault(d.resigned(t), std::nullopt, batch);
  }
  t = good;
  t.proof->challenge = field.add(t.proof->challenge, field.from_u64(1));
  expect_fault(d.resigned(t), std::nullopt, batch);
  t = good;
  t.proof->response = field.add(t.proof->response, field.from_u64(1));
  expect_fault(d.resigned(t), std::nullopt, batch);
  t = good;
  t.proof.reset();
  expect_fault(d.resigned(t), std::nullopt, "no batch proof");
  // Two values swapped (each right for the other ciphertext) do not verify.
  t = good;
  std::swap(t.values[1], t.values[2]);
  expect_fault(d.resigned(t), std::nullopt, batch);
  // Errors that cancel in an unweighted product (D_1 * x, D_2 / x) do not verify either.
  t = good;
  t.values[1] = group.mul(t.values[1], group.generator());
  t.values[2] = group.div(t.values[2], group.generator());
  expect_fault(d.resigned(t), std::nullopt, batch);
  t = good;
  t.context_hash[0] ^= 1;
  expect_fault(d.resigned(t), std::nullopt, "context_hash");
  t = good;
  t.alphas_hash[0] ^= 1;
  expect_fault(d.resigned(t), std::nullopt, "alphas_hash");
  t = good;
  t.election_id = "other";
  expect_fault(d.resigned(t), std::nullopt, "election_id");
  t = good;
  t.values.pop_back();
  expect_fault(d.resigned(t), std::nullopt, "39 partials for 40 ciphertexts");
  // Claiming to be another trustee: its identity key does not verify the signature.
  t = good;
  t.trustee = 2;
  expect_fault(t, std::nullopt, "signature does not verify");
  // Trustee 2's valid partials presented as trustee 3's: the proof fails against VK_3.
  t = d.sets[1];
  t.trustee = 3;
  t.signature = haal::crypto::Ed25519PrivateKey::from_seed(d.c.trustee(3).signing_seed)
                    .sign(partial_decryptions_signed_bytes(group, t));
  expect_fault(t, std::nullopt, batch);
  // Decrypting a different list of ciphertexts.
  std::vector<Element> other_alphas = d.alphas;
  std::swap(other_alphas[0], other_alphas[1]);
  CHECK(check_partial_decryptions_var(d.result, d.context, other_alphas, good));
  // The right file checked against another election context.
  CHECK(check_partial_decryptions_var(d.result, Bytes(32, 0), d.alphas, good));
}

TEST_CASE("A wrong partial is named and another trustee's valid partial takes its place",
          "[decryption]") {
  Decryption d;
  const Group& group = *d.c.params.group;
  std::vector<PartialDecryptionSet> candidates = d.sets;
  candidates[0].values[5] = group.mul(candidates[0].values[5], group.generator());
  candidates[0] = d.resigned(candidates[0]);
  const auto out = threshold_decrypt_var(d.result, d.context, d.ciphertexts, candidates);
  REQUIRE(out.rejected.size() == 1);
  CHECK(out.rejected[0].trustee == 1);
  CHECK_FALSE(out.rejected[0].index);
  CHECK(out.trustees_used == std::vector<std::uint32_t>{2, 3});
  for (std::size_t k = 0; k < d.messages.size(); ++k) {
    CHECK(group.equal(out.plaintexts[k], d.messages[k]));
  }
  // With only one valid trustee left, decryption fails and names the bad one.
  candidates.pop_back();
  CHECK_THROWS_WITH(threshold_decrypt_var(d.result, d.context, d.ciphertexts, candidates),
                    Catch::Contains("trustee 1 rejected: batch Chaum-Pedersen proof"));
  // Repeating a trustee does not count twice.
  std::vector<PartialDecryptionSet> twice{d.sets[1], d.sets[1]};
  CHECK_THROWS_AS(threshold_decrypt_var(d.result, d.context, d.ciphertexts, twice), CeremonyError);
}

TEST_CASE("Malformed partial-decryption files are rejected with the field path", "[decryption]") {
  Decryption d;
  const Group& group = *d.c.params.group;
  const Json good = partial_decryptions_to_json(group, d.sets[0]);
  Json j = good;
  j["values"][35] = std::string(66, '0');
  j["values"][2] = std::string(66, '0');  // the lowest bad index is the one named
  CHECK_THROWS_WITH(partial_decryptions_from_json(group, j, "p.json"),
                    Catch::StartsWith("p.json.values[2]"));
  j = good;
  j["proof"].erase("response");
  CHECK_THROWS_WITH(partial_decryptions_from_json(group, j, "p.json"),
                    "p.json.proof.response: missing");
  j = good;
  j.erase("proof");
  CHECK_THROWS_WITH(partial_decryptions_from_json(group, j, "p.json"), "p.json.proof: missing");
  j = good;
  j["signature"] = "00";
  CHECK_THROWS_WITH(partial_decryptions_from_json(group, j, "p.json"),
                    Catch::StartsWith("p.json.signature"));
  j = good;
  j["extra"] = 1;
  CHECK_THROWS_WITH(partial_decryptions_from_json(group, j, "p.json"),
                    "p.json.extra: unknown field");
}

TEST_CASE("An empty list is decrypted with no proof, and a proof there is refused",
          "[decryption]") {
  Decryption d;
  const Group& group = *d.c.params.group;
  const auto empty = compute_partial_decryptions(group, d.c.params.election_id, d.context,
                                                 d.c.trustee(1), *d.result.find(1), {});
  CHECK_FALSE(empty.proof);
  CHECK_FALSE(check_partial_decryptions_var(d.result, d.context, {}, empty));
  Json j = partial_decryptions_to_json(group, empty);
  CHECK_FALSE(j.contains("proof"));
  CHECK_FALSE(check_partial_decryptions_var(d.result, d.context, {},
                                            partial_decryptions_from_json(group, j, "p.json")));
  j["proof"] = haal::crypto::chaum_pedersen_proof_to_json(group, *d.sets[0].proof);
  CHECK_THROWS_WITH(partial_decryptions_from_json(group, j, "p.json"),
                    "p.json.proof: must be absent when there are no values");
}
