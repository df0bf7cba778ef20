#include "verifier-app/randomness_proof.hpp"

#include <openssl/ec.h>

#include "crypto/group_p256.hpp"
#include "crypto/transcript.hpp"

namespace haal::verifier {

namespace {

// Returns g^z * base^e. Variable time (public scalars): for P-256 one EC_POINT_mul call (the
// generator's built-in table and a windowed multiplication of `base`), else two
// exponentiations and a multiplication.
crypto::Element generator_and_base_var(const crypto::Group& group, const crypto::Scalar& z,
                                       const crypto::Element& base, const crypto::Scalar& e) {
  if (group.name() != "P-256") return group.mul(group.exp_generator_var(z), group.exp_var(base, e));
  const crypto::P256Group& curve = crypto::p256_group();
  const crypto::BnPtr z_bn = crypto::scalar_to_bn(z, 32);
  const crypto::BnPtr e_bn = crypto::scalar_to_bn(e, 32);
  crypto::EcPointPtr r(crypto::check_openssl(EC_POINT_new(curve.ec_group()), "EC_POINT_new"));
  crypto::check_openssl_rc(EC_POINT_mul(curve.ec_group(), r.get(), z_bn.get(), base.ec_point(),
                                        e_bn.get(), crypto::thread_bn_ctx()),
                           "EC_POINT_mul (g^z base^e)");
  return curve.wrap(std::move(r));
}

bool valid_var(const crypto::Group& group, const crypto::ProofContext& context,
               const crypto::CiphertextVector& ciphertexts,
               std::span<const EncodedCiphertext> encoded,
               const crypto::CiphertextRandomnessProof& proof) {
  if (ciphertexts.empty() || proof.responses.size() != ciphertexts.size()) return false;
  const crypto::Scalar minus_c = group.scalars().neg(proof.challenge);
  crypto::Transcript t("HAAL-V1-CIPHERTEXT-RANDOMNESS", group, context.election_hash);
  t.append("binding", context.binding);
  t.append_u64("width", ciphertexts.size());
  if (encoded.empty()) {
    for (const crypto::Ciphertext& c : ciphertexts)
      t.append_element("alpha", c.alpha).append_element("beta", c.beta);
  } else {
    // append(label, encoding) is byte-for-byte append_element(label, element).
    for (const EncodedCiphertext& c : encoded) t.append("alpha", c.alpha).append("beta", c.beta);
  }
  for (std::size_t i = 0; i < ciphertexts.size(); ++i) {
    const crypto::Element commitment =
        generator_and_base_var(group, proof.responses[i], ciphertexts[i].alpha, minus_c);
    if (group.is_identity(commitment)) return false;
    t.append_element("commitment", commitment);
  }
  return t.challenge() == proof.challenge;
}

}  // namespace

bool randomness_proof_valid_var(const crypto::Group& group, const crypto::ProofContext& context,
                                const crypto::CiphertextVector& ciphertexts,
                                const crypto::CiphertextRandomnessProof& proof) {
  return valid_var(group, context, ciphertexts, {}, proof);
}

bool randomness_proof_valid_var(const crypto::Group& group, const crypto::ProofContext& context,
                                const crypto::CiphertextVector& ciphertexts,
                                std::span<const EncodedCiphertext> encoded,
                                const crypto::CiphertextRandomnessProof& proof) {
  if (encoded.size() != ciphertexts.size()) return false;
  return valid_var(group, context, ciphertexts, encoded, proof);
}

}  // namespace haal::verifier
