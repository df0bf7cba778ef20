#include "crypto/scalar.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/expand_message.hpp"

namespace haal::crypto {

void wipe(mpz_class& secret) {
  const std::size_t limbs = mpz_size(secret.get_mpz_t());
  if (limbs > 0) {
    mp_limb_t* p = mpz_limbs_modify(secret.get_mpz_t(), static_cast<mp_size_t>(limbs));
    OPENSSL_cleanse(p, limbs * sizeof(mp_limb_t));
  }
  mpz_limbs_finish(secret.get_mpz_t(), 0);
}

void wipe(std::vector<mpz_class>& secrets) {
  for (auto& s : secrets) wipe(s);
}

// Wipe the limbs: scalars hold secret keys, shares and randomness.
Scalar::~Scalar() {
  wipe(value_);
}

void mpz_to_bytes_into(const mpz_class& value, std::uint8_t* out, std::size_t length) {
  if (value < 0) throw std::invalid_argument("cannot encode a negative integer");
  const std::size_t needed = (mpz_sizeinbase(value.get_mpz_t(), 2) + 7) / 8;
  if (value != 0 && needed > length) {
    throw std::invalid_argument("integer needs " + std::to_string(needed) + " bytes, only " +
                                std::to_string(length) + " available");
  }
  std::fill(out, out + length, std::uint8_t{0});
  if (value != 0) {
    std::size_t written = 0;
    mpz_export(out + (length - needed), &written, 1, 1, 1, 0, value.get_mpz_t());
  }
}

Bytes mpz_to_bytes(const mpz_class& value, std::size_t length) {
  Bytes out(length);
  mpz_to_bytes_into(value, out.data(), length);
  return out;
}

mpz_class mpz_from_bytes(ByteView bytes) {
  mpz_class v;
  if (!bytes.empty()) mpz_import(v.get_mpz_t(), bytes.size(), 1, 1, 1, 0, bytes.data());
  return v;
}

ScalarField::ScalarField(mpz_class q)
    : q_(std::move(q)),
      q_minus_2_(q_ - 2),
      bits_(mpz_sizeinbase(q_.get_mpz_t(), 2)),
      bytes_((bits_ + 7) / 8) {
  if (q_ < 3 || mpz_even_p(q_.get_mpz_t())) throw std::invalid_argument("q must be an odd prime");
}

Scalar ScalarField::reduce(const mpz_class& value) const {
  mpz_class r;
  mpz_mod(r.get_mpz_t(), value.get_mpz_t(), q_.get_mpz_t());  // result in [0, q)
  return Scalar(std::move(r));
}

Scalar ScalarField::from_u64(std::uint64_t value) const {
  mpz_class v;
  mpz_import(v.get_mpz_t(), 1, 1, sizeof value, 0, 0, &value);
  return reduce(v);
}

Scalar ScalarField::add(const Scalar& a, const Scalar& b) const {
  mpz_class r = a.value() + b.value();
  if (r >= q_) r -= q_;
  return Scalar(std::move(r));
}

Scalar ScalarField::sub(const Scalar& a, const Scalar& b) const {
  mpz_class r = a.value() - b.value();
  if (r < 0) r += q_;
  return Scalar(std::move(r));
}

Scalar ScalarField::mul(const Scalar& a, const Scalar& b) const {
  return reduce(a.value() * b.value());
}

Scalar ScalarField::neg(const Scalar& a) const {
  if (a.is_zero()) return a;
  return Scalar(q_ - a.value());
}

Scalar ScalarField::inverse(const Scalar& a) const {
  if (a.is_zero()) throw std::domain_error("zero has no inverse modulo q");
  mpz_class r;
  mpz_powm_sec(r.get_mpz_t(), a.value().get_mpz_t(), q_minus_2_.get_mpz_t(), q_.get_mpz_t());
  return Scalar(std::move(r));
}

Scalar ScalarField::random_nonzero(RandomSource& rng) const {
  Bytes buf(bytes_);
  const unsigned excess_bits = static_cast<unsigned>(bytes_ * 8 - bits_);
  const std::uint8_t top_mask = static_cast<std::uint8_t>(0xff >> excess_bits);
  for (;;) {
    rng.fill(buf);
    buf[0] &= top_mask;
    mpz_class v = mpz_from_bytes(buf);
    OPENSSL_cleanse(buf.data(), buf.size());
    if (v != 0 && v < q_) return Scalar(std::move(v));
  }
}

Scalar ScalarField::hash_to_scalar(ByteView message, std::string_view dst) const {
  const std::size_t length = (bits_ + 128 + 7) / 8;
  return reduce(mpz_from_bytes(expand_message_xmd_sha256(message, dst, length)));
}

Bytes ScalarField::encode(const Scalar& a) const {
  return mpz_to_bytes(a.value(), bytes_);
}

Scalar ScalarField::decode(ByteView bytes) const {
  if (bytes.size() != bytes_) {
    throw std::invalid_argument("scalar must be " + std::to_string(bytes_) + " bytes, got " +
                                std::to_string(bytes.size()));
  }
  mpz_class v = mpz_from_bytes(bytes);
  if (v >= q_) throw std::invalid_argument("scalar is not reduced modulo the group order");
  return Scalar(std::move(v));
}

std::string ScalarField::to_hex(const Scalar& a) const {
  return crypto::to_hex(encode(a));
}

Scalar ScalarField::from_hex(std::string_view hex) const {
  return decode(crypto::from_hex(hex));
}

}  // namespace haal::crypto
