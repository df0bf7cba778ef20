#include <catch2/catch.hpp>

#include "ceremony/polynomial.hpp"

using namespace haal::ceremony;
using haal::crypto::group_by_name;

TEST_CASE("Horner evaluation equals the sum of a_k x^k", "[polynomial]") {
  const Group& group = group_by_name("P-256");
  const ScalarField& f = group.scalars();
  const auto coefficients = random_polynomial(f, 4, haal::crypto::system_random());
  for (std::uint32_t x : {0u, 1u, 2u, 7u, 1000u}) {
    Scalar expected = f.from_u64(0);
    Scalar power = f.from_u64(1);
    for (const Scalar& a : coefficients) {
      expected = f.add(expected, f.mul(a, power));
      power = f.mul(power, f.from_u64(x));
    }
    CHECK(evaluate_polynomial(f, coefficients, x) == expected);
    // Feldman: the commitments evaluate to g^{f(x)}.
    CHECK(group.equal(evaluate_commitments_var(group, commit_polynomial(group, coefficients), x),
                      group.exp_generator_var(expected)));
  }
  CHECK(evaluate_polynomial(f, coefficients, 0) == coefficients[0]);
}

TEST_CASE("Lagrange coefficients at 0 recover the secret from any t points only", "[polynomial]") {
  const Group& group = group_by_name("modp-2048");
  const ScalarField& f = group.scalars();
  const auto coefficients = random_polynomial(f, 3, haal::crypto::system_random());
  auto interpolate = [&](std::vector<std::uint32_t> indices) {
    const auto lambdas = lagrange_coefficients_at_zero(f, indices);
    Scalar sum = f.from_u64(0);
    for (std::size_t k = 0; k < indices.size(); ++k) {
      sum = f.add(sum, f.mul(lambdas[k], evaluate_polynomial(f, coefficients, indices[k])));
    }
    return sum;
  };
  CHECK(interpolate({1, 2, 3}) == coefficients[0]);
  CHECK(interpolate({5, 2, 4}) == coefficients[0]);
  CHECK(interpolate({1, 3, 4, 5}) == coefficients[0]);  // more than t points also work
  CHECK_FALSE(interpolate({1, 2}) == coefficients[0]);  // t-1 points do not
  CHECK_FALSE(interpolate({4, 5}) == coefficients[0]);
  // lambda for the single point set {i} is 1.
  CHECK(lagrange_coefficients_at_zero(f, std::vector<std::uint32_t>{3})[0] == f.from_u64(1));
}

TEST_CASE("Lagrange coefficients reject zero and repeated indices", "[polynomial]") {
  const ScalarField& f = group_by_name("P-256").scalars();
  CHECK_THROWS_WITH(lagrange_coefficients_at_zero(f, std::vector<std::uint32_t>{1, 0}),
                    "Lagrange index 0 is not a trustee index");
  CHECK_THROWS_WITH(lagrange_coefficients_at_zero(f, std::vector<std::uint32_t>{2, 3, 2}),
                    "Lagrange index 2 is repeated");
}
