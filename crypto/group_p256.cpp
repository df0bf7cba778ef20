// EC_POINTs_mul, EC_GROUP_precompute_mult and EC_POINT_get_Jprojective_coordinates_GFp are
// deprecated in OpenSSL 3.0 but remain the only public entry points to its multi-exponentiation,
// fixed-base tables for arbitrary points and coordinates without a field inversion.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/group_p256.hpp"

#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <algorithm>
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

// Fixed-base table: a copy of the curve whose generator is the base, with OpenSSL's
// precomputed multiples (EC_GROUP_precompute_mult). Scalar multiplication by the generator of
// that copy uses the table; OpenSSL's P-256 code does so in constant time.
class P256FixedBase final : public FixedBase {
 public:
  P256FixedBase(const P256Group& curve, const Element& base)
      : curve_(curve), base_(base), table_(EC_GROUP_dup(curve.ec_group())) {
    check_openssl(table_.get(), "EC_GROUP_dup");
    BnPtr one(BN_new());
    BN_one(one.get());
    check_openssl_rc(EC_GROUP_set_generator(table_.get(), base.ec_point(),
                                            EC_GROUP_get0_order(curve.ec_group()), one.get()),
                     "EC_GROUP_set_generator");
    check_openssl_rc(EC_GROUP_precompute_mult(table_.get(), thread_bn_ctx()),
                     "EC_GROUP_precompute_mult");
  }
  Element exp(const Scalar& k) const override {
    BnPtr bn = scalar_to_bn(k, kCoordinateLength);
    EcPointPtr r(check_openssl(EC_POINT_new(table_.get()), "EC_POINT_new"));
    check_openssl_rc(
        EC_POINT_mul(table_.get(), r.get(), bn.get(), nullptr, nullptr, thread_bn_ctx()),
        "EC_POINT_mul (fixed base)");
    return curve_.wrap(std::move(r));
  }
  Element exp_var(const Scalar& k) const override { return exp(k); }
  const Element& base() const override { return base_; }

 private:
  const P256Group& curve_;
  Element base_;
  EcGroupPtr table_;
};

}  // namespace

BnPtr scalar_to_bn(const Scalar& k, std::size_t length) {
  const Bytes bytes = mpz_to_bytes(k.value(), length);
  BnPtr bn(
      check_openssl(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr), "BN_bin2bn"));
  BN_set_flags(bn.get(), BN_FLG_CONSTTIME);
  return bn;
}

P256Group::P256Group()
    : Group(bn_to_mpz(EC_GROUP_get0_order(new_p256().get())), p256_descriptor(new_p256().get())),
      group_(new_p256()),
      field_prime_(BN_new()) {
  BnPtr b(BN_new());
  check_openssl_rc(
      EC_GROUP_get_curve(group_.get(), field_prime_.get(), nullptr, b.get(), thread_bn_ctx()),
      "EC_GROUP_get_curve");
  p_ = bn_to_mpz(field_prime_.get());
  b_ = bn_to_mpz(b.get());
  sqrt_exponent_ = (p_ + 1) / 4;
  generator_ = wrap(EcPointPtr(check_openssl(
      EC_POINT_dup(EC_GROUP_get0_generator(group_.get()), group_.get()), "EC_POINT_dup")));
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

Element P256Group::exp(const Element& base, const Scalar& k) const {
  BnPtr bn = scalar_to_bn(k, kCoordinateLength);
  EcPointPtr r(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  check_openssl_rc(
      EC_POINT_mul(group_.get(), r.get(), nullptr, base.ec_point(), bn.get(), thread_bn_ctx()),
      "EC_POINT_mul");
  return wrap(std::move(r));
}

Element P256Group::exp_var(const Element& base, const Scalar& k) const {
  return exp(base, k);
}

Element P256Group::exp_generator(const Scalar& k) const {
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

std::unique_ptr<FixedBase> P256Group::precompute(const Element& base) const {
  return std::make_unique<P256FixedBase>(*this, base);
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

Element P256Group::decode(ByteView bytes) const {
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
Element P256Group::encode_message(ByteView message) const {
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
Bytes P256Group::decode_message(const Element& a) const {
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

const P256Group& p256_group() {
  static const P256Group instance;
  return instance;
}

}  // namespace haal::crypto
