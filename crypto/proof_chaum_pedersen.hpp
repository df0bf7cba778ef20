// Chaum-Pedersen proof of equality of discrete logarithms, non-interactive with strong
// Fiat-Shamir. (D. Chaum, T. P. Pedersen, "Wallet databases with observers", CRYPTO 1992,
// section 3.2.)  Statement: A = g1^x and B = g2^x. Threshold decryption uses it with
// g1 = g, A = a trustee's verification key, g2 = prod alpha_k^r_k, B = prod D_k^r_k (the
// batch of docs/ceremony.md section 11, D_k = alpha_k^x the partial decryptions).
// Transcript tag "HAAL-V1-CHAUM-PEDERSEN".
#pragma once

#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/proof_context.hpp"

namespace haal::crypto {

struct ChaumPedersenProof {
  Scalar challenge;  // c
  Scalar response;   // z = w + c x
};

// Returns a proof that log_g1(A) == log_g2(B) == x. Constant time in x.
ChaumPedersenProof chaum_pedersen_prove(const Group& group, const ProofContext& context,
                                        const Element& g1, const Element& a, const Element& g2,
                                        const Element& b, const Scalar& x, RandomSource& rng);

// Returns true iff the proof verifies. Variable time (public inputs).
bool chaum_pedersen_verify_var(const Group& group, const ProofContext& context, const Element& g1,
                               const Element& a, const Element& g2, const Element& b,
                               const ChaumPedersenProof& proof);

Json chaum_pedersen_proof_to_json(const Group& group, const ChaumPedersenProof& proof);
ChaumPedersenProof chaum_pedersen_proof_from_json(const Group& group, const Json& j,
                                                  std::string_view path);

}  // namespace haal::crypto
