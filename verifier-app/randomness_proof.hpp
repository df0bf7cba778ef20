// Verification of the ciphertext-randomness proof of a ballot contest (docs/crypto.md,
// "HAAL-V1-CIPHERTEXT-RANDOMNESS"), re-implemented for throughput: the commitment
// t_i = g^{z_i} * alpha_i^{-c} is one combined generator-table plus variable-base
// multiplication (one OpenSSL call for P-256), and the statement's elements are hashed from
// their canonical encodings when the caller has them, instead of being re-encoded.
#pragma once

#include <span>

#include "crypto/elgamal.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/proof_context.hpp"

namespace haal::verifier {

// Canonical encodings (Group::encode) of one ciphertext's alpha and beta.
struct EncodedCiphertext {
  crypto::ByteView alpha;
  crypto::ByteView beta;
};

// Returns true iff c == H_transcript(binding, width, (alpha_i, beta_i)_i, (t_i)_i) with
// t_i = g^{z_i} alpha_i^{-c} != 1 for every i, and there is one response per ciphertext.
// Accepts exactly the proofs crypto::ciphertext_randomness_verify_var accepts. Variable time.
bool randomness_proof_valid_var(const crypto::Group& group, const crypto::ProofContext& context,
                                const crypto::CiphertextVector& ciphertexts,
                                const crypto::CiphertextRandomnessProof& proof);

// As above, hashing `encoded` (precondition: encoded[i] are the canonical encodings of
// ciphertexts[i], e.g. the bytes they were decoded from) instead of re-encoding the elements.
bool randomness_proof_valid_var(const crypto::Group& group, const crypto::ProofContext& context,
                                const crypto::CiphertextVector& ciphertexts,
                                std::span<const EncodedCiphertext> encoded,
                                const crypto::CiphertextRandomnessProof& proof);

}  // namespace haal::verifier
