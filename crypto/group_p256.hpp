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
  using Group::equal;
  Element mul(const Element& a, const Element& b) const override;
  Element inverse(const Element& a) const override;
  Element exp(const Element& base, const SecretScalar& k) const override;
  Element exp_var(const Element& base, const Scalar& k) const override;
  Element exp_generator(const SecretScalar& k) const override;
  Element exp_generator_var(const Scalar& k) const override;
  Element multi_exp_var(std::span<const Element> bases,
                        std::span<const Scalar> exponents) const override;
  std::unique_ptr<FixedBase> precompute(const Element& base, std::size_t uses) const override;

  Bytes to_compact_var(const Element& a) const override;
  Element from_compact_var(ByteView e) const override;
  std::string check_compact_var(ByteView e) const override;
  Bytes mul(ByteView a, ByteView b) const override;
  Bytes inverse(ByteView a) const override;
  Bytes exp_var(ByteView base, const mpz_class& k) const override;
  Bytes exp(ByteView base, const SecretScalar& k) const override;
  std::unique_ptr<FixedBase> precompute(ByteView base, std::size_t uses) const override;
  void exp_combine(const FixedBase& t1, std::span<const SecretScalar> k1, const FixedBase* t2,
                   std::span<const SecretScalar> k2, const ElementArray* factors, ElementArray& out,
                   Progress* progress) const override;
  Bytes multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                      Progress* progress) const override;
  Bytes multi_exp(const ElementArray& bases, std::span<const SecretScalar> exps,
                  std::size_t exponent_bits, Progress* progress) const override;
  Bytes product(const ElementArray& a) const override;
  ElementArray random_elements_var(const std::function<mpz_class(unsigned)>& next_integer,
                                   std::size_t n, unsigned statdist) const override;
  std::vector<mpz_class> to_integers(ByteView e) const override;
  Bytes from_integers(std::span<const mpz_class> values) const override;
  std::size_t element_length() const override { return 33; }
  Bytes encode(const Element& a) const override;
  Element decode_var(ByteView bytes) const override;
  Element hash_to_element(ByteView seed, std::string_view dst) const override;
  std::size_t message_capacity() const override { return 30; }
  Element encode_message_var(ByteView message) const override;
  Bytes decode_message_var(const Element& a) const override;

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
  // Returns true iff multi_exp uses OpenSSL's constant-time multi-point multiplication
  // (ecp_nistz256, x86-64), false if it falls back to one single-point multiplication per base.
  bool constant_time_multi_point() const { return constant_time_points_mul_; }

 private:
  friend class P256FixedBase;
  EcPointPtr new_point() const;
  // out = the point of compact form e (precondition: a member). Variable time.
  void load(const std::uint8_t* e, EC_POINT* out) const;
  // Writes the compact form of pt to out[0, 64).
  void store(const EC_POINT* pt, std::uint8_t* out) const;
  Bytes stored(const EC_POINT* pt) const;
  // Converts a batch to affine with one field inversion, then stores it contiguously.
  void store_all(std::vector<EC_POINT*>& pts, std::uint8_t* out) const;
  // Sets out = k mod q.
  void reduce_to_bn(const mpz_class& k, BIGNUM* out) const;
  // r = base^k for a secret k in [0, q): EC_POINT_mul with a single point and no generator
  // term, which OpenSSL 3 computes in constant time (ec_scalar_mul_ladder, or the constant-time
  // P-256 code when it is the curve's method). bk is scratch, left holding k.
  void mul_ct(const EC_POINT* base, const mpz_class& k, EC_POINT* r, BIGNUM* bk, BN_CTX* ctx) const;
  // multi_exp without a constant-time multi-point method: one mul_ct per base, summed.
  Bytes multi_exp_single_points(const ElementArray& bases, std::span<const SecretScalar> exps,
                                Progress* progress) const;
  // Bases per EC_POINTs_mul call in the batch products (depends on n and the thread count).
  static std::size_t points_mul_chunk(std::size_t n);
  // Returns prod bases[i]^k_i, scalar_of(i, k) setting k_i, by EC_POINTs_mul in chunks on all
  // cores; with `blind`, a random blinding term leads each chunk (for secret scalars).
  Bytes points_mul_sum(const ElementArray& bases,
                       const std::function<void(std::size_t, BIGNUM*)>& scalar_of, bool blind,
                       Progress* progress) const;
  // Draws R = t G (t random) into r_point, s0 uniform in [2^255, q) into s0, and sets
  // minus_s0_r = -(s0 R). Constant time in t and s0.
  void blinding_term(EC_POINT* r_point, BIGNUM* s0, EC_POINT* minus_s0_r, BN_CTX* ctx) const;

  // OpenSSL's P-256 method is ecp_nistz256 (constant-time multi-point multiplication).
  bool constant_time_points_mul_ = false;

  EcGroupPtr group_;
  std::string name_ = "P-256";
  BnPtr field_prime_;
  mpz_class p_, a_, b_, sqrt_exponent_;  // field prime, curve coefficients a and b, (p + 1) / 4
  Bytes p_bytes_;                        // p, 32 bytes big-endian
  Element generator_;
};

// The process-wide P-256 group.
const P256Group& p256_group();

// Returns a BIGNUM holding k (constant-time flag set, for secret scalars).
BnPtr scalar_to_bn(const Scalar& k, std::size_t length);
BnPtr scalar_to_bn(const SecretScalar& k, std::size_t length);

}  // namespace haal::crypto
