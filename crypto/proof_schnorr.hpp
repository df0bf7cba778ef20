// Schnorr proof of knowledge of a discrete logarithm, made non-interactive with strong
// Fiat-Shamir. (C.-P. Schnorr, "Efficient signature generation by smart cards", J. Cryptology
// 4(3), 1991.)  Statement: y = b^x for a public base b (usually g). Transcript tag
// "HAAL-V1-SCHNORR"; equations and hash inputs in docs/crypto.md.
#pragma once

#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/proof_context.hpp"

namespace haal::crypto {

struct SchnorrProof {
  Scalar challenge;  // c
  Scalar response;   // z = w + c x
};

// Returns a proof that the prover knows x with y = base^x. Constant time in x.
// Precondition: y == base^x.
SchnorrProof schnorr_prove(const Group& group, const ProofContext& context, const Element& base,
                           const Element& y, const Scalar& x, RandomSource& rng);

// Returns true iff `proof` verifies for y = base^x. Variable time (public inputs).
bool schnorr_verify_var(const Group& group, const ProofContext& context, const Element& base,
                        const Element& y, const SchnorrProof& proof);

Json schnorr_proof_to_json(const Group& group, const SchnorrProof& proof);
SchnorrProof schnorr_proof_from_json(const Group& group, const Json& j, std::string_view path);

}  // namespace haal::crypto
