// Proof of knowledge of the randomness of an ElGamal ciphertext vector, bound to a context:
// the Schnorr proof on alpha that makes ElGamal non-malleable (Tsiounis and Yung, "On the
// security of ElGamal based encryption", PKC 1998; as "signed ElGamal" in Bernhard, Pereira,
// Warinschi, ASIACRYPT 2012). Statement: alpha_i = g^{r_i} for each i, with the whole
// ciphertexts (alpha_i, beta_i) in the transcript so neither half can be altered.
// One challenge for the vector. Transcript tag "HAAL-V1-CIPHERTEXT-RANDOMNESS".
#pragma once

#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/proof_context.hpp"

namespace haal::crypto {

struct CiphertextRandomnessProof {
  Scalar challenge;               // c
  std::vector<Scalar> responses;  // z_i = w_i + c r_i
};

// Returns the proof for ciphertexts[i].alpha == g^randomness[i]. Constant time in randomness.
// Precondition: equal, non-zero sizes.
CiphertextRandomnessProof ciphertext_randomness_prove(const Group& group,
                                                      const ProofContext& context,
                                                      const CiphertextVector& ciphertexts,
                                                      std::span<const Scalar> randomness,
                                                      RandomSource& rng);

// Returns true iff the proof verifies (and has one response per ciphertext). Variable time.
bool ciphertext_randomness_verify_var(const Group& group, const ProofContext& context,
                                      const CiphertextVector& ciphertexts,
                                      const CiphertextRandomnessProof& proof);

Json ciphertext_randomness_proof_to_json(const Group& group,
                                         const CiphertextRandomnessProof& proof);
CiphertextRandomnessProof ciphertext_randomness_proof_from_json(const Group& group, const Json& j,
                                                                std::string_view path);

}  // namespace haal::crypto
