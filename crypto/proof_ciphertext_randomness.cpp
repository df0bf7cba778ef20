#include "crypto/proof_ciphertext_randomness.hpp"

#include <stdexcept>

#include "crypto/transcript.hpp"

namespace haal::crypto {

namespace {
constexpr std::string_view kTag = "HAAL-V1-CIPHERTEXT-RANDOMNESS";

Scalar randomness_challenge(const Group& group, const ProofContext& context,
                            const CiphertextVector& ciphertexts,
                            const std::vector<Element>& commitments) {
  Transcript t(kTag, group, context.election_hash);
  t.append("binding", context.binding);
  t.append_u64("width", ciphertexts.size());
  for (const Ciphertext& c : ciphertexts)
    t.append_element("alpha", c.alpha).append_element("beta", c.beta);
  for (const Element& a : commitments) t.append_element("commitment", a);
  return t.challenge();
}
}  // namespace

CiphertextRandomnessProof ciphertext_randomness_prove(const Group& group,
                                                      const ProofContext& context,
                                                      const CiphertextVector& ciphertexts,
                                                      std::span<const Scalar> randomness,
                                                      RandomSource& rng) {
  if (ciphertexts.empty() || ciphertexts.size() != randomness.size()) {
    throw std::invalid_argument("randomness proof needs one randomness per ciphertext");
  }
  const ScalarField& f = group.scalars();
  std::vector<Scalar> nonces;
  std::vector<Element> commitments;
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    nonces.push_back(f.random_nonzero(rng));
    commitments.push_back(group.exp_generator(SecretScalar(nonces.back())));
  }
  CiphertextRandomnessProof proof;
  proof.challenge = randomness_challenge(group, context, ciphertexts, commitments);
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    proof.responses.push_back(f.add(nonces[i], f.mul(proof.challenge, randomness[i])));
  }
  return proof;
}

bool ciphertext_randomness_verify_var(const Group& group, const ProofContext& context,
                                      const CiphertextVector& ciphertexts,
                                      const CiphertextRandomnessProof& proof) {
  if (ciphertexts.empty() || proof.responses.size() != ciphertexts.size()) return false;
  const Scalar minus_c = group.scalars().neg(proof.challenge);
  std::vector<Element> commitments;
  commitments.reserve(ciphertexts.size());
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    const Element bases[] = {group.generator(), ciphertexts[i].alpha};
    const Scalar exps[] = {proof.responses[i], minus_c};
    commitments.push_back(group.multi_exp_var(bases, exps));
    if (group.is_identity(commitments.back())) return false;
  }
  return randomness_challenge(group, context, ciphertexts, commitments) == proof.challenge;
}

Json ciphertext_randomness_proof_to_json(const Group& group,
                                         const CiphertextRandomnessProof& proof) {
  Json responses = Json::array();
  for (const Scalar& z : proof.responses) responses.push_back(scalar_to_json(group, z));
  return Json{{"challenge", scalar_to_json(group, proof.challenge)}, {"responses", responses}};
}

CiphertextRandomnessProof ciphertext_randomness_proof_from_json(const Group& group, const Json& j,
                                                                std::string_view path) {
  const std::string p(path);
  reject_unknown_fields(j, {"challenge", "responses"}, p);
  CiphertextRandomnessProof proof;
  proof.challenge = scalar_from_json(group, require_field(j, "challenge", p), p + ".challenge");
  const Json& responses = require_array(j, "responses", p);
  if (responses.empty()) throw FormatError(p + ".responses", "must not be empty");
  for (std::size_t i = 0; i < responses.size(); ++i) {
    proof.responses.push_back(
        scalar_from_json(group, responses[i], p + ".responses[" + std::to_string(i) + "]"));
  }
  return proof;
}

}  // namespace haal::crypto
