#include "ceremony/polynomial.hpp"

#include <set>
#include <stdexcept>

namespace haal::ceremony {

std::vector<Scalar> random_polynomial(const ScalarField& field, std::size_t count,
                                      crypto::RandomSource& rng) {
  std::vector<Scalar> coefficients;
  coefficients.reserve(count);
  for (std::size_t k = 0; k < count; ++k) coefficients.push_back(field.random_nonzero(rng));
  return coefficients;
}

Scalar evaluate_polynomial(const ScalarField& field, std::span<const Scalar> coefficients,
                           std::uint32_t x) {
  const Scalar point = field.from_u64(x);
  Scalar result = field.from_u64(0);
  for (auto it = coefficients.rbegin(); it != coefficients.rend(); ++it) {
    result = field.add(field.mul(result, point), *it);
  }
  return result;
}

std::vector<Element> commit_polynomial(const Group& group, std::span<const Scalar> coefficients) {
  std::vector<Element> commitments;
  commitments.reserve(coefficients.size());
  for (const Scalar& a : coefficients) {
    commitments.push_back(group.exp_generator(crypto::SecretScalar(a)));
  }
  return commitments;
}

Element evaluate_commitments_var(const Group& group, std::span<const Element> commitments,
                                 std::uint32_t x) {
  const ScalarField& field = group.scalars();
  std::vector<Scalar> powers;
  powers.reserve(commitments.size());
  Scalar power = field.from_u64(1);
  for (std::size_t k = 0; k < commitments.size(); ++k) {
    powers.push_back(power);
    power = field.mul(power, field.from_u64(x));
  }
  return group.multi_exp_var(commitments, powers);
}

std::vector<Scalar> lagrange_coefficients_at_zero(const ScalarField& field,
                                                  std::span<const std::uint32_t> indices) {
  std::set<std::uint32_t> seen;
  for (const std::uint32_t i : indices) {
    if (i == 0) throw std::invalid_argument("Lagrange index 0 is not a trustee index");
    if (!seen.insert(i).second) {
      throw std::invalid_argument("Lagrange index " + std::to_string(i) + " is repeated");
    }
  }
  std::vector<Scalar> out;
  out.reserve(indices.size());
  for (const std::uint32_t i : indices) {
    Scalar numerator = field.from_u64(1);
    Scalar denominator = field.from_u64(1);
    for (const std::uint32_t j : indices) {
      if (j == i) continue;
      numerator = field.mul(numerator, field.from_u64(j));
      denominator = field.mul(denominator, field.sub(field.from_u64(j), field.from_u64(i)));
    }
    out.push_back(field.mul(numerator, field.inverse(denominator)));
  }
  return out;
}

}  // namespace haal::ceremony
