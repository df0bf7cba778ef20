// EC_POINTs_mul, EC_GROUP_precompute_mult, EC_POINTs_make_affine and
// EC_POINT_get_Jprojective_coordinates_GFp are deprecated in OpenSSL 3.0 but remain the only
// public entry points to its multi-exponentiation, fixed-base tables for arbitrary points, batched
// affine conversion and coordinates without a field inversion.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/group_p256.hpp"

#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace haal::crypto {

namespace {

constexpr std::size_t kCoordinateLength = 32;
constexpr std::size_t kEncodedLength = 33;

Bytes bn_to_fixed(const BIGNUM* bn, std::size_t length) {
  Bytes out(length);
  if (BN_bn2binpad(bn, out.data(), static_cast<int>(length)) < 0) {
    throw std::runtime_error("BN_bn2binpad: value does not fit");
  }
  return out;
}

Bytes p256_descriptor(const EC_GROUP* group) {
  BnPtr p(BN_new()), a(BN_new()), b(BN_new());
  check_openssl_rc(EC_GROUP_get_curve(group, p.get(), a.get(), b.get(), thread_bn_ctx()),
                   "EC_GROUP_get_curve");
  Bytes g(kEncodedLength);
  if (EC_POINT_point2oct(group, EC_GROUP_get0_generator(group), POINT_CONVERSION_COMPRESSED,
                         g.data(), g.size(), thread_bn_ctx()) != kEncodedLength) {
    throw_openssl_error("encode P-256 generator");
  }
  Bytes d;
  append_length_prefixed(d, to_bytes("HAAL-V1-GROUP"));
  append_length_prefixed(d, to_bytes("P-256"));
  append_length_prefixed(d, bn_to_fixed(p.get(), kCoordinateLength));
  append_length_prefixed(d, bn_to_fixed(a.get(), kCoordinateLength));
  append_length_prefixed(d, bn_to_fixed(b.get(), kCoordinateLength));
  append_length_prefixed(d, g);
  append_length_prefixed(d, bn_to_fixed(EC_GROUP_get0_order(group), kCoordinateLength));
  return d;
}

EcGroupPtr new_p256() {
  return EcGroupPtr(check_openssl(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1),
                                  "EC_GROUP_new_by_curve_name(P-256)"));
}

mpz_class bn_to_mpz(const BIGNUM* bn) {
  Bytes bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  return mpz_from_bytes(bytes);
}

constexpr std::size_t kStride = 64;      // compact form: x || y
constexpr std::size_t kTableUses = 256;  // a table costs about as much as 100-200 multiplications

bool all_zero(const std::uint8_t* e) {
  return std::all_of(e, e + kStride, [](std::uint8_t b) { return b == 0; });
}

void bn_from_mpz(const mpz_class& v, BIGNUM* out) {
  std::array<std::uint8_t, 64> buf{};
  std::size_t count = 0;
  mpz_export(buf.data(), &count, 1, 1, 1, 0, v.get_mpz_t());
  check_openssl(BN_bin2bn(buf.data(), static_cast<int>(count), out), "BN_bin2bn");
}

// True iff OpenSSL computes EC_POINTs_mul on `group` with ecp_nistz256_points_mul
// (crypto/ec/ecp_nistz256.c), whose multi-point path is constant time. That method is not
// exported; it is recognised as the P-256 method that is none of the exported ones
// (EC_GFp_simple/mont/nist/nistp256_method) and that has a built-in table for the standard
// generator (ecp_nistz256_window_have_precompute_mult returns 1 on a fresh group, the wNAF
// code and the nistp256 code return 0). Only on x86-64, where its source was checked.
bool uses_nistz256(const EC_GROUP* group) {
#if defined(__x86_64__)
  const EC_METHOD* method = EC_GROUP_method_of(group);
  if (method == EC_GFp_simple_method() || method == EC_GFp_mont_method() ||
      method == EC_GFp_nist_method()) {
    return false;
  }
#ifndef OPENSSL_NO_EC_NISTP_64_GCC_128
  if (method == EC_GFp_nistp256_method()) return false;
#endif
  return EC_GROUP_get_curve_name(group) == NID_X9_62_prime256v1 &&
         EC_GROUP_have_precompute_mult(group) == 1;
#else
  (void)group;
  return false;
#endif
}

}  // namespace

// A fixed base: from kTableUses uses on a copy of the curve whose generator is the base, with
// OpenSSL's precomputed multiples (EC_GROUP_precompute_mult); the standard generator uses
// OpenSSL's built-in table; below, the plain point. Scalar multiplication by the generator of a
// group with a single scalar is constant time in OpenSSL's P-256 code, and so is the single-point
// multiplication (P256Group::mul_ct).
class P256FixedBase final : public FixedBase {
 public:
  P256FixedBase(const P256Group& curve, const Element& base, std::size_t uses)
      : curve_(curve), base_(base) {
    if (curve.is_identity(base)) {
      identity_ = true;
    } else if (curve.equal(base, curve.generator())) {
      standard_ = true;
    } else if (uses >= kTableUses) {
      table_.reset(check_openssl(EC_GROUP_dup(curve.ec_group()), "EC_GROUP_dup"));
      check_openssl_rc(
          EC_GROUP_set_generator(table_.get(), base.ec_point(),
                                 EC_GROUP_get0_order(curve.ec_group()), BN_value_one()),
          "EC_GROUP_set_generator");
      check_openssl_rc(EC_GROUP_precompute_mult(table_.get(), thread_bn_ctx()),
                       "EC_GROUP_precompute_mult");
    }
  }
  Element exp(const SecretScalar& k) const override { return exp_value(k.reveal()); }
  // OpenSSL's P-256 code has no faster variable-time path: the constant-time one.
  Element exp_var(const Scalar& k) const override { return exp_value(k.value()); }
  const Element& base() const override { return base_; }

  // Returns base^k for k in [0, q), in constant time.
  Element exp_value(const mpz_class& k) const {
    EcPointPtr r = curve_.new_point();
    BnPtr bk(check_openssl(BN_new(), "BN_new"));
    exp_into(k, r.get(), bk.get(), thread_bn_ctx());
    BN_clear(bk.get());
    return curve_.wrap(std::move(r));
  }

  // r = base^k for a secret k in [0, q), in constant time. bk is scratch, left holding k.
  void exp_into(const mpz_class& k, EC_POINT* r, BIGNUM* bk, BN_CTX* ctx) const {
    const EC_GROUP* group = curve_.ec_group();
    if (identity_) {
      check_openssl_rc(EC_POINT_set_to_infinity(group, r), "EC_POINT_set_to_infinity");
      return;
    }
    if (!standard_ && !table_) {
      curve_.mul_ct(base_.ec_point(), k, r, bk, ctx);
      return;
    }
    curve_.reduce_to_bn(k, bk);
    BN_set_flags(bk, BN_FLG_CONSTTIME);
    if (standard_) {
      check_openssl_rc(EC_POINT_mul(group, r, bk, nullptr, nullptr, ctx),
                       "EC_POINT_mul (generator)");
      return;
    }
    check_openssl_rc(EC_POINT_mul(table_.get(), r, bk, nullptr, nullptr, ctx),
                     "EC_POINT_mul (fixed base)");
  }

 private:
  const P256Group& curve_;
  Element base_;
  bool identity_ = false;
  bool standard_ = false;  // the standard generator: OpenSSL's built-in table
  EcGroupPtr table_;       // null without a table of its own
};

BnPtr scalar_to_bn(const Scalar& k, std::size_t length) {
  return scalar_to_bn(SecretScalar(k), length);
}

BnPtr scalar_to_bn(const SecretScalar& k, std::size_t length) {
  const Bytes bytes = mpz_to_bytes(k.reveal(), length);
  BnPtr bn(
      check_openssl(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr), "BN_bin2bn"));
  BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

P256Group::P256Group()
    : Group(bn_to_mpz(EC_GROUP_get0_order(new_p256().get())), p256_descriptor(new_p256().get()),
            kStride),
      group_(new_p256()),
      field_prime_(BN_new()) {
  BnPtr b(BN_new());
  check_openssl_rc(
      EC_GROUP_get_curve(group_.get(), field_prime_.get(), nullptr, b.get(), thread_bn_ctx()),
      "EC_GROUP_get_curve");
  constant_time_points_mul_ = uses_nistz256(group_.get());
  p_ = bn_to_mpz(field_prime_.get());
  b_ = bn_to_mpz(b.get());
  a_ = p_ - 3;
  sqrt_exponent_ = (p_ + 1) / 4;
  p_bytes_ = mpz_to_bytes(p_, kCoordinateLength);
  generator_ = wrap(EcPointPtr(check_openssl(
      EC_POINT_dup(EC_GROUP_get0_generator(group_.get()), group_.get()), "EC_POINT_dup")));
  set_compact_constants(to_compact_var(generator_), Bytes(kStride, 0));
}

Element P256Group::wrap(EcPointPtr point) const {
  return Element(Element::EcRepr(point.release(), EC_POINT_clear_free));
}

EcPointPtr P256Group::copy_point(const Element& a) const {
  return EcPointPtr(check_openssl(EC_POINT_dup(a.ec_point(), group_.get()), "EC_POINT_dup"));
}

Element P256Group::identity() const {
  EcPointPtr r(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), r.get()), "EC_POINT_set_to_infinity");
  return wrap(std::move(r));
}

bool P256Group::is_identity(const Element& a) const {
  return EC_POINT_is_at_infinity(group_.get(), a.ec_point()) == 1;
}

bool P256Group::equal(const Element& a, const Element& b) const {
  const int rc = EC_POINT_cmp(group_.get(), a.ec_point(), b.ec_point(), thread_bn_ctx());
  if (rc < 0) throw_openssl_error("EC_POINT_cmp");
  return rc == 0;
}

Element P256Group::mul(const Element& a, const Element& b) const {
  EcPointPtr r(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  check_openssl_rc(EC_POINT_add(group_.get(), r.get(), a.ec_point(), b.ec_point(), thread_bn_ctx()),
                   "EC_POINT_add");
  return wrap(std::move(r));
}

Element P256Group::inverse(const Element& a) const {
  EcPointPtr r = copy_point(a);
  check_openssl_rc(EC_POINT_invert(group_.get(), r.get(), thread_bn_ctx()), "EC_POINT_invert");
  return wrap(std::move(r));
}

Element P256Group::exp(const Element& base, const SecretScalar& k) const {
  BnPtr bn = scalar_to_bn(k, kCoordinateLength);
  EcPointPtr r(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  check_openssl_rc(
      EC_POINT_mul(group_.get(), r.get(), nullptr, base.ec_point(), bn.get(), thread_bn_ctx()),
      "EC_POINT_mul");
  return wrap(std::move(r));
}

// OpenSSL's P-256 code has no faster variable-time path: the constant-time one.
Element P256Group::exp_var(const Element& base, const Scalar& k) const {
  return exp(base, SecretScalar(k));
}

Element P256Group::exp_generator_var(const Scalar& k) const {
  return exp_generator(SecretScalar(k));
}

Element P256Group::exp_generator(const SecretScalar& k) const {
  BnPtr bn = scalar_to_bn(k, kCoordinateLength);
  EcPointPtr r(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  check_openssl_rc(EC_POINT_mul(group_.get(), r.get(), bn.get(), nullptr, nullptr, thread_bn_ctx()),
                   "EC_POINT_mul (generator)");
  return wrap(std::move(r));
}

Element P256Group::multi_exp_var(std::span<const Element> bases,
                                 std::span<const Scalar> exponents) const {
  if (bases.size() != exponents.size()) {
    throw std::invalid_argument("multi_exp_var: bases and exponents differ in number");
  }
  // OpenSSL's EC_POINTs_mul keeps per-point tables; chunk to bound their memory.
  constexpr std::size_t kChunk = 4096;
  EcPointPtr acc(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  EC_POINT_set_to_infinity(group_.get(), acc.get());
  std::vector<const EC_POINT*> points;
  std::vector<BnPtr> scalars;
  std::vector<const BIGNUM*> scalar_ptrs;
  for (std::size_t start = 0; start < bases.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, bases.size() - start);
    points.clear();
    scalars.clear();
    scalar_ptrs.clear();
    for (std::size_t i = 0; i < n; ++i) {
      points.push_back(bases[start + i].ec_point());
      const Bytes bytes = mpz_to_bytes(exponents[start + i].value(), kCoordinateLength);
      scalars.emplace_back(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
      scalar_ptrs.push_back(check_openssl(scalars.back().get(), "BN_bin2bn"));
    }
    EcPointPtr part(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
    check_openssl_rc(EC_POINTs_mul(group_.get(), part.get(), nullptr, n, points.data(),
                                   scalar_ptrs.data(), thread_bn_ctx()),
                     "EC_POINTs_mul");
    check_openssl_rc(EC_POINT_add(group_.get(), acc.get(), acc.get(), part.get(), thread_bn_ctx()),
                     "EC_POINT_add");
  }
  return wrap(std::move(acc));
}

std::unique_ptr<FixedBase> P256Group::precompute(const Element& base, std::size_t uses) const {
  return std::make_unique<P256FixedBase>(*this, base, uses);
}

Bytes P256Group::encode(const Element& a) const {
  Bytes out(kEncodedLength, 0);
  if (is_identity(a)) return out;
  const std::size_t n = EC_POINT_point2oct(group_.get(), a.ec_point(), POINT_CONVERSION_COMPRESSED,
                                           out.data(), out.size(), thread_bn_ctx());
  if (n != kEncodedLength) throw_openssl_error("EC_POINT_point2oct");
  return out;
}

Bytes P256Group::encode_var(const Element& a) const {
  if (is_identity(a)) return Bytes(kEncodedLength, 0);
  thread_local BnPtr x(BN_new()), y(BN_new()), z(BN_new());
  if (EC_POINT_get_Jprojective_coordinates_GFp(group_.get(), a.ec_point(), x.get(), y.get(),
                                               z.get(), thread_bn_ctx()) != 1) {
    ERR_clear_error();
    return encode(a);
  }
  if (!BN_is_one(z.get())) return encode(a);
  Bytes out(kEncodedLength);
  out[0] = static_cast<std::uint8_t>(BN_is_odd(y.get()) ? 0x03 : 0x02);
  if (BN_bn2binpad(x.get(), out.data() + 1, static_cast<int>(kCoordinateLength)) < 0) {
    throw std::runtime_error("BN_bn2binpad: value does not fit");
  }
  return out;
}

Element P256Group::decode_var(ByteView bytes) const {
  if (bytes.size() != kEncodedLength) {
    throw std::invalid_argument("P-256 element must be 33 bytes (SEC1 compressed), got " +
                                std::to_string(bytes.size()));
  }
  if (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; })) {
    throw std::invalid_argument("P-256 element is the identity, which is not allowed here");
  }
  if (bytes[0] != 0x02 && bytes[0] != 0x03) {
    throw std::invalid_argument("P-256 element must start with 0x02 or 0x03 (compressed)");
  }
  const mpz_class x = mpz_from_bytes(bytes.subspan(1));
  if (x >= p_) throw std::invalid_argument("P-256 element x coordinate is not reduced modulo p");
  // y^2 = f = x^3 - 3x + b. As p = 3 mod 4, f has a square root iff y = f^((p+1)/4) squares to
  // f. (GMP's exponentiation here is about 1.5x faster than EC_POINT_set_compressed_coordinates,
  // whose BN_mod_sqrt sets up a Montgomery context on every call.)
  thread_local mpz_class f, y, check;
  f = x * x;
  f -= 3;
  f *= x;
  f += b_;
  mpz_mod(f.get_mpz_t(), f.get_mpz_t(), p_.get_mpz_t());
  mpz_powm(y.get_mpz_t(), f.get_mpz_t(), sqrt_exponent_.get_mpz_t(), p_.get_mpz_t());
  check = y * y;
  mpz_mod(check.get_mpz_t(), check.get_mpz_t(), p_.get_mpz_t());
  if (check != f) {
    throw std::invalid_argument("P-256 element is not on the curve (x has no square root)");
  }
  if (mpz_odd_p(y.get_mpz_t()) != (bytes[0] & 1)) {
    // y = 0 has no odd twin (and no point of P-256 has y = 0: the order is prime).
    if (y == 0) {
      throw std::invalid_argument("P-256 element is not on the curve (x has no square root)");
    }
    y = p_ - y;
  }
  const Bytes y_bytes = mpz_to_bytes(y, kCoordinateLength);
  BnPtr bx(BN_bin2bn(bytes.data() + 1, kCoordinateLength, nullptr));
  BnPtr by(BN_bin2bn(y_bytes.data(), kCoordinateLength, nullptr));
  check_openssl(bx.get(), "BN_bin2bn");
  check_openssl(by.get(), "BN_bin2bn");
  EcPointPtr point(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  // OpenSSL checks again that (x, y) is on the curve.
  if (EC_POINT_set_affine_coordinates(group_.get(), point.get(), bx.get(), by.get(),
                                      thread_bn_ctx()) != 1) {
    ERR_clear_error();
    throw std::invalid_argument("P-256 element is not on the curve (x has no square root)");
  }
  return wrap(std::move(point));
}

Element P256Group::lift_x_var(const BIGNUM* x) const {
  if (BN_cmp(x, field_prime_.get()) >= 0) return Element();
  EcPointPtr point(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  if (EC_POINT_set_compressed_coordinates(group_.get(), point.get(), x, 0, thread_bn_ctx()) != 1) {
    ERR_clear_error();
    return Element();
  }
  return wrap(std::move(point));
}

// Try-and-increment: x_i = SHA-256(LP(dst) || LP(seed) || u32_be(i)) for i = 0, 1, ...; the first
// x_i < p that is the x coordinate of a point gives the point with even y. Cofactor 1, so the
// point is a group member; nobody knows its discrete log (it is a hash output).
Element P256Group::hash_to_element(ByteView seed, std::string_view dst) const {
  Bytes prefix;
  append_length_prefixed(prefix, to_bytes(dst));
  append_length_prefixed(prefix, seed);
  for (std::uint32_t i = 0;; ++i) {
    Bytes input = prefix;
    append_u32_be(input, i);
    const Digest x_bytes = sha256(input);
    BnPtr x(BN_bin2bn(x_bytes.data(), static_cast<int>(x_bytes.size()), nullptr));
    Element e = lift_x_var(x.get());
    if (!e.empty()) return e;
  }
}

// Embedding (variable time): x = u8(L) || message || zero padding to 31 bytes || u8(counter),
// for the first counter 0..255 for which x is a coordinate; the point with even y.
Element P256Group::encode_message_var(ByteView message) const {
  if (message.size() > message_capacity()) {
    throw std::invalid_argument("message of " + std::to_string(message.size()) +
                                " bytes exceeds the P-256 capacity of 30 bytes");
  }
  Bytes x_bytes(kCoordinateLength, 0);
  x_bytes[0] = static_cast<std::uint8_t>(message.size());
  std::copy(message.begin(), message.end(), x_bytes.begin() + 1);
  for (unsigned counter = 0; counter < 256; ++counter) {
    x_bytes[kCoordinateLength - 1] = static_cast<std::uint8_t>(counter);
    BnPtr x(BN_bin2bn(x_bytes.data(), static_cast<int>(x_bytes.size()), nullptr));
    Element e = lift_x_var(x.get());
    if (!e.empty()) return e;
  }
  // Probability 2^-256 for any message.
  throw std::runtime_error("P-256 message embedding found no point in 256 tries");
}

// Canonical means: the embedding of the message is exactly this point (first counter, even y).
// Checked without square roots: the point's own counter x[31] gives a point (it is one), so it
// is the first iff every smaller counter gives an x with no point, i.e. x^3 - 3x + b is a
// quadratic non-residue (Legendre symbol -1; never 0, as no point of P-256 has y = 0).
Bytes P256Group::decode_message_var(const Element& a) const {
  if (is_identity(a)) throw std::invalid_argument("the identity embeds no message");
  BnPtr x(BN_new()), y(BN_new());
  check_openssl_rc(EC_POINT_get_affine_coordinates(group_.get(), a.ec_point(), x.get(), y.get(),
                                                   thread_bn_ctx()),
                   "EC_POINT_get_affine_coordinates");
  Bytes x_bytes = bn_to_fixed(x.get(), kCoordinateLength);
  const std::size_t length = x_bytes[0];
  if (length > message_capacity()) {
    throw std::invalid_argument("element embeds no message (length byte out of range)");
  }
  for (std::size_t i = 1 + length; i < kCoordinateLength - 1; ++i) {
    if (x_bytes[i] != 0) throw std::invalid_argument("element embeds no message (bad padding)");
  }
  const std::string not_canonical = "element embeds no message (not the canonical embedding)";
  if (BN_is_odd(y.get())) throw std::invalid_argument(not_canonical);
  const unsigned counter = x_bytes[kCoordinateLength - 1];
  thread_local mpz_class candidate, f;
  for (unsigned earlier = 0; earlier < counter; ++earlier) {
    x_bytes[kCoordinateLength - 1] = static_cast<std::uint8_t>(earlier);
    candidate = mpz_from_bytes(x_bytes);  // < p: its first byte is at most 30
    f = candidate * candidate;
    f -= 3;
    f *= candidate;
    f += b_;
    mpz_mod(f.get_mpz_t(), f.get_mpz_t(), p_.get_mpz_t());
    if (mpz_legendre(f.get_mpz_t(), p_.get_mpz_t()) != -1) {
      throw std::invalid_argument(not_canonical);
    }
  }
  return Bytes(x_bytes.begin() + 1, x_bytes.begin() + 1 + static_cast<std::ptrdiff_t>(length));
}

// ---- Compact form: affine x || y (the identity all zero) ----

EcPointPtr P256Group::new_point() const {
  return EcPointPtr(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
}

void P256Group::reduce_to_bn(const mpz_class& k, BIGNUM* out) const {
  if (k >= 0 && k < order()) {
    bn_from_mpz(k, out);
    return;
  }
  thread_local mpz_class reduced;
  mpz_mod(reduced.get_mpz_t(), k.get_mpz_t(), order().get_mpz_t());
  bn_from_mpz(reduced, out);
}

void P256Group::load(const std::uint8_t* e, EC_POINT* out) const {
  if (all_zero(e)) {
    check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), out), "EC_POINT_set_to_infinity");
    return;
  }
  std::uint8_t oct[1 + kStride];
  oct[0] = 0x04;
  std::memcpy(oct + 1, e, kStride);
  check_openssl_rc(EC_POINT_oct2point(group_.get(), out, oct, sizeof oct, thread_bn_ctx()),
                   "EC_POINT_oct2point");
}

void P256Group::store(const EC_POINT* pt, std::uint8_t* out) const {
  if (EC_POINT_is_at_infinity(group_.get(), pt) == 1) {
    std::memset(out, 0, kStride);
    return;
  }
  // A point whose Jacobian Z is one (e.g. a decoded one): its Jacobian coordinates are the
  // affine ones, which saves the inversion EC_POINT_point2oct makes on every call.
  thread_local BnPtr x(BN_new()), y(BN_new()), z(BN_new());
  if (EC_POINT_get_Jprojective_coordinates_GFp(group_.get(), pt, x.get(), y.get(), z.get(),
                                               thread_bn_ctx()) == 1 &&
      BN_is_one(z.get()) && BN_bn2binpad(x.get(), out, kCoordinateLength) >= 0 &&
      BN_bn2binpad(y.get(), out + kCoordinateLength, kCoordinateLength) >= 0) {
    return;
  }
  ERR_clear_error();
  std::uint8_t oct[1 + kStride];
  if (EC_POINT_point2oct(group_.get(), pt, POINT_CONVERSION_UNCOMPRESSED, oct, sizeof oct,
                         thread_bn_ctx()) != sizeof oct) {
    throw_openssl_error("EC_POINT_point2oct");
  }
  std::memcpy(out, oct + 1, kStride);
}

Bytes P256Group::stored(const EC_POINT* pt) const {
  Bytes out(kStride);
  store(pt, out.data());
  return out;
}

void P256Group::store_all(std::vector<EC_POINT*>& pts, std::uint8_t* out) const {
  std::vector<EC_POINT*> finite;
  finite.reserve(pts.size());
  for (EC_POINT* p : pts) {
    if (EC_POINT_is_at_infinity(group_.get(), p) != 1) finite.push_back(p);
  }
  if (!finite.empty()) {
    check_openssl_rc(
        EC_POINTs_make_affine(group_.get(), finite.size(), finite.data(), thread_bn_ctx()),
        "EC_POINTs_make_affine");
  }
  for (std::size_t i = 0; i < pts.size(); ++i) store(pts[i], out + i * kStride);
}

void P256Group::mul_ct(const EC_POINT* base, const mpz_class& k, EC_POINT* r, BIGNUM* bk,
                       BN_CTX* ctx) const {
  reduce_to_bn(k, bk);
  BN_set_flags(bk, BN_FLG_CONSTTIME);
  check_openssl_rc(EC_POINT_mul(group_.get(), r, nullptr, base, bk, ctx), "EC_POINT_mul");
}

Bytes P256Group::to_compact_var(const Element& a) const {
  return stored(a.ec_point());
}

std::string P256Group::check_compact_var(ByteView e) const {
  if (e.size() != kStride) {
    return "element of " + std::to_string(e.size()) + " bytes, not " + std::to_string(kStride);
  }
  if (all_zero(e.data())) return "";
  if (std::memcmp(e.data(), p_bytes_.data(), kCoordinateLength) >= 0 ||
      std::memcmp(e.data() + kCoordinateLength, p_bytes_.data(), kCoordinateLength) >= 0) {
    return "coordinate not reduced modulo p";
  }
  // OpenSSL checks that the point is on the curve (cofactor 1: then it is a group member).
  std::uint8_t oct[1 + kStride];
  oct[0] = 0x04;
  std::memcpy(oct + 1, e.data(), kStride);
  EcPointPtr pt = new_point();
  if (EC_POINT_oct2point(group_.get(), pt.get(), oct, sizeof oct, thread_bn_ctx()) != 1) {
    ERR_clear_error();
    return "point is not on the curve P-256";
  }
  return "";
}

Element P256Group::from_compact_var(ByteView e) const {
  const std::string error = check_compact_var(e);
  if (!error.empty()) throw std::invalid_argument("P-256 element: " + error);
  EcPointPtr pt = new_point();
  load(e.data(), pt.get());
  return wrap(std::move(pt));
}

Bytes P256Group::mul(ByteView a, ByteView b) const {
  EcPointPtr pa = new_point(), pb = new_point();
  load(a.data(), pa.get());
  load(b.data(), pb.get());
  check_openssl_rc(EC_POINT_add(group_.get(), pa.get(), pa.get(), pb.get(), thread_bn_ctx()),
                   "EC_POINT_add");
  return stored(pa.get());
}

Bytes P256Group::inverse(ByteView a) const {
  EcPointPtr pa = new_point();
  load(a.data(), pa.get());
  check_openssl_rc(EC_POINT_invert(group_.get(), pa.get(), thread_bn_ctx()), "EC_POINT_invert");
  return stored(pa.get());
}

Bytes P256Group::exp_var(ByteView base, const mpz_class& k) const {
  EcPointPtr pb = new_point(), r = new_point();
  load(base.data(), pb.get());
  BnPtr bk(check_openssl(BN_new(), "BN_new"));
  reduce_to_bn(k, bk.get());
  check_openssl_rc(
      EC_POINT_mul(group_.get(), r.get(), nullptr, pb.get(), bk.get(), thread_bn_ctx()),
      "EC_POINT_mul");
  return stored(r.get());
}

Bytes P256Group::exp(ByteView base, const SecretScalar& k) const {
  EcPointPtr pb = new_point(), r = new_point();
  load(base.data(), pb.get());
  BnPtr bk(check_openssl(BN_new(), "BN_new"));
  mul_ct(pb.get(), k.reveal(), r.get(), bk.get(), thread_bn_ctx());
  BN_clear(bk.get());
  return stored(r.get());
}

std::unique_ptr<FixedBase> P256Group::precompute(ByteView base, std::size_t uses) const {
  EcPointPtr pt = new_point();
  load(base.data(), pt.get());
  return precompute(wrap(std::move(pt)), uses);
}

void P256Group::exp_combine(const FixedBase& t1, std::span<const SecretScalar> k1,
                            const FixedBase* t2, std::span<const SecretScalar> k2,
                            const ElementArray* factors, ElementArray& out,
                            Progress* progress) const {
  const auto& tab1 = dynamic_cast<const P256FixedBase&>(t1);
  const auto* tab2 = dynamic_cast<const P256FixedBase*>(t2);
  if ((t2 != nullptr && (tab2 == nullptr || k2.size() != k1.size())) ||
      (factors != nullptr && factors->size() != k1.size())) {
    throw std::invalid_argument("exp_combine: mismatched tables or sizes");
  }
  out = ElementArray(kStride, k1.size());
  constexpr std::size_t kBlock = 256;
  parallel_for(
      k1.size(), kBlock,
      [&](std::size_t begin, std::size_t end) {
        BN_CTX* ctx = thread_bn_ctx();
        // Points reused from block to block: no allocation per element.
        thread_local std::vector<EcPointPtr> pool;
        thread_local BnPtr k(BN_new());
        while (pool.size() < kBlock + 1) pool.push_back(new_point());
        EC_POINT* tmp = pool[kBlock].get();
        std::vector<EC_POINT*> raw(end - begin);
        for (std::size_t i = begin; i < end; ++i) {
          EC_POINT* r = pool[i - begin].get();
          tab1.exp_into(k1[i].reveal(), r, k.get(), ctx);
          if (tab2 != nullptr) {
            tab2->exp_into(k2[i].reveal(), tmp, k.get(), ctx);
            check_openssl_rc(EC_POINT_add(group_.get(), r, r, tmp, ctx), "EC_POINT_add");
          }
          if (factors != nullptr) {
            load(factors->at(i), tmp);
            check_openssl_rc(EC_POINT_add(group_.get(), r, r, tmp, ctx), "EC_POINT_add");
          }
          raw[i - begin] = r;
        }
        BN_clear(k.get());  // the last secret exponent
        store_all(raw, out.at(begin));
      },
      progress);
}

std::size_t P256Group::points_mul_chunk(std::size_t n) {
  // About four chunks per thread (balance), at least 256 bases per chunk (each chunk doubles 255
  // times), at most 2048 (OpenSSL's table takes 1.5 KiB per base).
  const std::size_t per_chunk = n / (4 * static_cast<std::size_t>(worker_count())) + 1;
  return std::clamp<std::size_t>(per_chunk, 256, 2048);
}

Bytes P256Group::multi_exp(const ElementArray& bases, std::span<const SecretScalar> exps,
                           std::size_t /*exponent_bits: the method's cost does not depend on it*/,
                           Progress* progress) const {
  const std::size_t n = bases.size();
  if (n != exps.size()) throw std::invalid_argument("multi_exp: size mismatch");
  if (n == 0) return identity_compact();
  if (!constant_time_points_mul_) return multi_exp_single_points(bases, exps, progress);
  return points_mul_sum(
      bases,
      [&](std::size_t i, BIGNUM* k) {
        reduce_to_bn(exps[i].reveal(), k);
        BN_set_flags(k, BN_FLG_CONSTTIME);
      },
      true, progress);
}

void P256Group::blinding_term(EC_POINT* r_point, BIGNUM* s0, EC_POINT* minus_s0_r,
                              BN_CTX* ctx) const {
  const BIGNUM* q = EC_GROUP_get0_order(group_.get());
  BnPtr t(check_openssl(BN_new(), "BN_new"));
  check_openssl_rc(BN_priv_rand_range(t.get(), q), "BN_priv_rand_range");
  BN_set_flags(t.get(), BN_FLG_CONSTTIME);
  check_openssl_rc(EC_POINT_mul(group_.get(), r_point, t.get(), nullptr, nullptr, ctx),
                   "EC_POINT_mul (generator)");
  BN_clear(t.get());
  // s0 uniform in [2^255, q).
  BnPtr low(check_openssl(BN_new(), "BN_new")), range(check_openssl(BN_new(), "BN_new"));
  check_openssl_rc(BN_lshift(low.get(), BN_value_one(), 255), "BN_lshift");
  check_openssl_rc(BN_sub(range.get(), q, low.get()), "BN_sub");
  check_openssl_rc(BN_priv_rand_range(s0, range.get()), "BN_priv_rand_range");
  check_openssl_rc(BN_add(s0, s0, low.get()), "BN_add");
  BN_set_flags(s0, BN_FLG_CONSTTIME);
  check_openssl_rc(EC_POINT_mul(group_.get(), minus_s0_r, nullptr, r_point, s0, ctx),
                   "EC_POINT_mul");
  check_openssl_rc(EC_POINT_invert(group_.get(), minus_s0_r, ctx), "EC_POINT_invert");
}

Bytes P256Group::points_mul_sum(const ElementArray& bases,
                                const std::function<void(std::size_t, BIGNUM*)>& scalar_of,
                                bool blind, Progress* progress) const {
  // OpenSSL's ecp_nistz256_points_mul with no generator term (crypto/ec/ecp_nistz256.c,
  // ecp_nistz256_windowed_mul), one chunk per task. With `blind`, each chunk leads with a
  // blinding term s0 R (blinding_term), removed afterwards: OpenSSL's point addition doubles
  // instead when its two inputs are equal, a branch that related bases (a base repeated, or
  // b_j = b_i^2) could reach with secret-dependent probability; with a non-zero multiple of R in
  // the accumulator that takes guessing R's discrete log (docs/crypto.md section 1).
  const std::size_t chunk = points_mul_chunk(bases.size());
  std::mutex mutex;
  EcPointPtr total = new_point();
  check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), total.get()), "infinity");
  parallel_for(
      bases.size(), chunk,
      [&](std::size_t begin, std::size_t end) {
        BN_CTX* ctx = thread_bn_ctx();
        // Points and scalars reused from chunk to chunk: no allocation per base.
        thread_local std::vector<EcPointPtr> pts;
        thread_local std::vector<BnPtr> ks;
        while (pts.size() < chunk + 1) pts.push_back(new_point());
        while (ks.size() < chunk + 1) ks.emplace_back(check_openssl(BN_new(), "BN_new"));
        std::vector<const EC_POINT*> raw_pts;
        std::vector<const BIGNUM*> raw_ks;
        raw_pts.reserve(end - begin + 1);
        raw_ks.reserve(end - begin + 1);
        EcPointPtr unblind = new_point();
        if (blind) {
          blinding_term(pts[0].get(), ks[0].get(), unblind.get(), ctx);
          raw_pts.push_back(pts[0].get());
          raw_ks.push_back(ks[0].get());
        }
        for (std::size_t i = begin; i < end; ++i) {
          if (all_zero(bases.at(i))) continue;  // the identity (a public base) adds nothing
          const std::size_t slot = raw_pts.size();
          load(bases.at(i), pts[slot].get());
          scalar_of(i, ks[slot].get());
          raw_pts.push_back(pts[slot].get());
          raw_ks.push_back(ks[slot].get());
        }
        EcPointPtr part = new_point();
        check_openssl_rc(EC_POINTs_mul(group_.get(), part.get(), nullptr, raw_pts.size(),
                                       raw_pts.data(), raw_ks.data(), ctx),
                         "EC_POINTs_mul");
        if (blind) {
          for (std::size_t slot = 0; slot < raw_ks.size(); ++slot) BN_clear(ks[slot].get());
          check_openssl_rc(EC_POINT_add(group_.get(), part.get(), part.get(), unblind.get(), ctx),
                           "EC_POINT_add");
        }
        std::lock_guard lock(mutex);
        check_openssl_rc(EC_POINT_add(group_.get(), total.get(), total.get(), part.get(), ctx),
                         "EC_POINT_add");
      },
      progress);
  return stored(total.get());
}

Bytes P256Group::multi_exp_single_points(const ElementArray& bases,
                                         std::span<const SecretScalar> exps,
                                         Progress* progress) const {
  const std::size_t n = bases.size();
  // One constant-time single-point multiplication per base (EC_POINT_mul with one point: the
  // ladder ossl_ec_scalar_mul_ladder of OpenSSL's generic code), summed per block.
  constexpr std::size_t kBlock = 256;
  std::mutex mutex;
  EcPointPtr total = new_point();
  check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), total.get()), "infinity");
  parallel_for(
      n, kBlock,
      [&](std::size_t begin, std::size_t end) {
        BN_CTX* ctx = thread_bn_ctx();
        thread_local BnPtr k(BN_new());
        EcPointPtr acc = new_point(), base = new_point(), term = new_point();
        check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), acc.get()), "infinity");
        for (std::size_t i = begin; i < end; ++i) {
          load(bases.at(i), base.get());
          mul_ct(base.get(), exps[i].reveal(), term.get(), k.get(), ctx);
          check_openssl_rc(EC_POINT_add(group_.get(), acc.get(), acc.get(), term.get(), ctx),
                           "EC_POINT_add");
        }
        BN_clear(k.get());
        std::lock_guard lock(mutex);
        check_openssl_rc(EC_POINT_add(group_.get(), total.get(), total.get(), acc.get(), ctx),
                         "EC_POINT_add");
      },
      progress);
  return stored(total.get());
}

Bytes P256Group::multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                               Progress* progress) const {
  const std::size_t n = bases.size();
  if (n != exps.size()) throw std::invalid_argument("multi_exp_var: size mismatch");
  if (n == 0) return identity_compact();
  // OpenSSL's multi-point multiplication (measured faster here than a bucket method over the
  // generic EC_POINT_add).
  return points_mul_sum(
      bases, [&](std::size_t i, BIGNUM* k) { reduce_to_bn(exps[i], k); }, false, progress);
}

Bytes P256Group::product(const ElementArray& a) const {
  std::mutex mutex;
  EcPointPtr total = new_point();
  check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), total.get()), "infinity");
  parallel_for(a.size(), 8192, [&](std::size_t begin, std::size_t end) {
    BN_CTX* ctx = thread_bn_ctx();
    EcPointPtr acc = new_point(), p = new_point();
    check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), acc.get()), "infinity");
    for (std::size_t i = begin; i < end; ++i) {
      load(a.at(i), p.get());
      check_openssl_rc(EC_POINT_add(group_.get(), acc.get(), acc.get(), p.get(), ctx),
                       "EC_POINT_add");
    }
    std::lock_guard lock(mutex);
    check_openssl_rc(EC_POINT_add(group_.get(), total.get(), total.get(), acc.get(), ctx),
                     "EC_POINT_add");
  });
  return stored(total.get());
}

ElementArray P256Group::random_elements_var(const std::function<mpz_class(unsigned)>& next_integer,
                                            std::size_t n, unsigned statdist) const {
  const unsigned bits = static_cast<unsigned>(mpz_sizeinbase(p_.get_mpz_t(), 2)) + statdist;
  ElementArray out(kStride, n);
  Progress progress("derive generators", n);
  std::size_t filled = 0;
  while (filled < n) {
    const std::size_t remaining = n - filled;
    // Verificatum draws twice the number still needed, keeps the x with f(x) a quadratic
    // residue in order, and discards the surplus (ECqPGroup.randomElementArray).
    std::vector<mpz_class> xs(2 * remaining);
    for (auto& x : xs) x = next_integer(bits) % p_;
    std::vector<mpz_class> fx(xs.size());
    std::vector<char> ok(xs.size(), 0);
    parallel_for(xs.size(), 1024, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        fx[i] = (xs[i] * xs[i] % p_ * xs[i] + a_ * xs[i] + b_) % p_;
        ok[i] = mpz_jacobi(fx[i].get_mpz_t(), p_.get_mpz_t()) == 1 ? 1 : 0;
      }
    });
    std::vector<std::size_t> picked;
    for (std::size_t i = 0; i < xs.size() && picked.size() < remaining; ++i) {
      if (ok[i] != 0) picked.push_back(i);
    }
    parallel_for(
        picked.size(), 256,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t j = begin; j < end; ++j) {
            const std::size_t i = picked[j];
            mpz_class y;
            mpz_powm(y.get_mpz_t(), fx[i].get_mpz_t(), sqrt_exponent_.get_mpz_t(), p_.get_mpz_t());
            const mpz_class y_neg = p_ - y;
            if (y_neg < y) y = y_neg;
            std::uint8_t* e = out.at(filled + j);
            mpz_to_bytes_into(xs[i], e, kCoordinateLength);
            mpz_to_bytes_into(y, e + kCoordinateLength, kCoordinateLength);
          }
        },
        &progress);
    filled += picked.size();
  }
  return out;
}

std::vector<mpz_class> P256Group::to_integers(ByteView e) const {
  if (all_zero(e.data())) return {-1, -1};
  return {mpz_from_bytes(e.subspan(0, kCoordinateLength)),
          mpz_from_bytes(e.subspan(kCoordinateLength))};
}

Bytes P256Group::from_integers(std::span<const mpz_class> values) const {
  if (values.size() != 2) throw std::invalid_argument("P-256 element needs two coordinates");
  if (values[0] == -1 && values[1] == -1) return identity_compact();
  if (values[0] < 0 || values[0] >= p_ || values[1] < 0 || values[1] >= p_) {
    throw std::invalid_argument("P-256 coordinate out of range");
  }
  Bytes out(kStride);
  mpz_to_bytes_into(values[0], out.data(), kCoordinateLength);
  mpz_to_bytes_into(values[1], out.data() + kCoordinateLength, kCoordinateLength);
  const std::string error = check_compact_var(out);
  if (!error.empty()) throw std::invalid_argument(error);
  return out;
}

const P256Group& p256_group() {
  static const P256Group instance;
  return instance;
}

}  // namespace haal::crypto
