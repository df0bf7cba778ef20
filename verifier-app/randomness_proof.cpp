#include "verifier-app/randomness_proof.hpp"

#include "crypto/transcript.hpp"

namespace haal::verifier {

bool randomness_proof_valid_var(const crypto::Group& group, const crypto::ProofContext& context,
                                const crypto::CiphertextVector& ciphertexts,
                                const crypto::CiphertextRandomnessProof& proof) {
  if (ciphertexts.empty() || proof.responses.size() != ciphertexts.size()) return false;
  const crypto::Scalar minus_c = group.scalars().neg(proof.challenge);
  crypto::Transcript t("HAAL-V1-CIPHERTEXT-RANDOMNESS", group, context.election_hash);
  t.append("binding", context.binding);
  t.append_u64("width", ciphertexts.size());
  for (const crypto::Ciphertext& c : ciphertexts) t.append_element("alpha", c.alpha).append_element("beta", c.beta);
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    // g^{z_i}: the response is public, and exp_generator uses the generator's table.
    const crypto::Element commitment =
        group.mul(group.exp_generator(proof.responses[i]), group.exp_var(ciphertexts[i].alpha, minus_c));
    if (group.is_identity(commitment)) return false;
    t.append_element("commitment", commitment);
  }
  return t.challenge() == proof.challenge;
}

}  // namespace haal::verifier
