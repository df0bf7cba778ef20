// Verification of the ciphertext-randomness proof of a ballot contest (docs/crypto.md,
// "HAAL-V1-CIPHERTEXT-RANDOMNESS"), re-implemented for throughput: the commitment
// t_i = g^{z_i} * alpha_i^{-c} uses the generator's precomputed table for g^{z_i} and one
// variable-base exponentiation, instead of a generic two-base multi-exponentiation.
#pragma once

#include "crypto/elgamal.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/proof_context.hpp"

namespace haal::verifier {

// Returns true iff c == H_transcript(binding, width, (alpha_i, beta_i)_i, (t_i)_i) with
// t_i = g^{z_i} alpha_i^{-c} != 1 for every i, and there is one response per ciphertext.
// Accepts exactly the proofs crypto::ciphertext_randomness_verify_var accepts. Variable time.
bool randomness_proof_valid_var(const crypto::Group& group, const crypto::ProofContext& context,
                                const crypto::CiphertextVector& ciphertexts,
                                const crypto::CiphertextRandomnessProof& proof);

}  // namespace haal::verifier
