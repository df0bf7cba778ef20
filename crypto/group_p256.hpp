// The NIST P-256 curve (FIPS 186-4, SEC 2 secp256r1) through OpenSSL's optimized EC code.
// Prime order, cofactor 1: every point on the curve but the identity is a group member.
#pragma once

#include "crypto/group.hpp"
#include "crypto/openssl_handles.hpp"

namespace haal::crypto {

class P256Group final : public Group {
 public:
  P256Group();

  const std::string& name() const override { return name_; }
  const Element& generator() const override { return generator_; }
  Element identity() const override;
  bool is_identity(const Element& a) const override;
  bool equal(const Element& a, const Element& b) const override;
  Element mul(const Element& a, const Element& b) const override;
  Element inverse(const Element& a) const override;
  Element exp(const Element& base, const Scalar& k) const override;
  Element exp_var(const Element& base, const Scalar& k) const override;
  Element exp_generator(const Scalar& k) const override;
  Element multi_exp_var(std::span<const Element> bases,
                        std::span<const Scalar> exponents) const override;
  std::unique_ptr<FixedBase> precompute(const Element& base) const override;
  std::size_t element_length() const override { return 33; }
  Bytes encode(const Element& a) const override;
  Element decode(ByteView bytes) const override;
  Element hash_to_element(ByteView seed, std::string_view dst) const override;
  std::size_t message_capacity() const override { return 30; }
  Element encode_message(ByteView message) const override;
  Bytes decode_message(const Element& a) const override;

  // Returns encode(a). Variable time (public elements only): a point whose Jacobian Z is one
  // (e.g. a decoded point) is encoded from its coordinates without a field inversion.
  Bytes encode_var(const Element& a) const;
  // OpenSSL's group object (for code that needs raw EC calls, e.g. the mix-net's codecs).
  const EC_GROUP* ec_group() const { return group_.get(); }
  // Wraps a point computed on this curve. Precondition: `point` is on the curve.
  Element wrap(EcPointPtr point) const;
  // Returns a new, owned copy of a's point.
  EcPointPtr copy_point(const Element& a) const;
  // Returns the point with this x coordinate and even y, or an empty element if none.
  Element lift_x_var(const BIGNUM* x) const;

 private:
  EcGroupPtr group_;
  std::string name_ = "P-256";
  BnPtr field_prime_;
  mpz_class p_, b_, sqrt_exponent_;  // field prime, curve coefficient b, (p + 1) / 4
  Element generator_;
};

// The process-wide P-256 group.
const P256Group& p256_group();

// Returns a BIGNUM holding k (constant-time flag set, for secret scalars).
BnPtr scalar_to_bn(const Scalar& k, std::size_t length);

}  // namespace haal::crypto
