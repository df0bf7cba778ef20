// Secret-sharing polynomials over Z_q and their public Feldman commitments.
// (A. Shamir, "How to share a secret", CACM 22(11), 1979; P. Feldman, "A practical scheme for
// non-interactive verifiable secret sharing", FOCS 1987.)
//
// Polynomials are evaluated by Horner's rule with ScalarField (GMP) rather than NTL's ZZ_pX: the
// degree is below t (a handful of coefficients), only single-point evaluations are needed, and
// staying with Scalar keeps secret coefficients in one type that is zeroed on destruction,
// without conversions to a second big-number library.
#pragma once

#include <span>
#include <vector>

#include "crypto/group.hpp"

namespace haal::ceremony {

using crypto::Element;
using crypto::Group;
using crypto::Scalar;
using crypto::ScalarField;

// Returns `count` uniformly random coefficients a_0..a_{count-1} (each in [1, q)).
std::vector<Scalar> random_polynomial(const ScalarField& field, std::size_t count,
                                      crypto::RandomSource& rng);

// Returns f(x) = sum_k a_k x^k mod q by Horner's rule. Time depends on the number of
// coefficients and x (public), not on the coefficients' values beyond their limb counts.
Scalar evaluate_polynomial(const ScalarField& field, std::span<const Scalar> coefficients,
                           std::uint32_t x);

// Returns g^{a_k} for every coefficient (constant time in the coefficients).
std::vector<Element> commit_polynomial(const Group& group, std::span<const Scalar> coefficients);

// Returns prod_k C_k^{x^k} = g^{f(x)} from the commitments C_k = g^{a_k}. Variable time
// (public inputs).
Element evaluate_commitments_var(const Group& group, std::span<const Element> commitments,
                                 std::uint32_t x);

// Returns the Lagrange coefficients at 0 for the distinct, non-zero indices:
// lambda_i = prod_{j != i} j / (j - i) mod q, in the order of `indices`.
// Throws std::invalid_argument on a zero or repeated index. Public values only.
std::vector<Scalar> lagrange_coefficients_at_zero(const ScalarField& field,
                                                  std::span<const std::uint32_t> indices);

}  // namespace haal::ceremony
