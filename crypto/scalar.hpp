// Scalars: integers modulo a group's prime order q, and the field operations on them.
#pragma once

#include <gmpxx.h>

#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/random_source.hpp"

namespace haal::crypto {

// An integer in [0, q). Holds secrets as well as public values; it is zeroed on destruction.
class Scalar {
 public:
  Scalar() = default;
  Scalar(const Scalar&) = default;
  Scalar(Scalar&&) noexcept = default;
  Scalar& operator=(const Scalar&) = default;
  Scalar& operator=(Scalar&&) noexcept = default;
  ~Scalar();

  // Precondition: 0 <= value < q of the field it is used with (ScalarField checks on entry).
  explicit Scalar(mpz_class value) : value_(std::move(value)) {}
  const mpz_class& value() const { return value_; }
  bool is_zero() const { return value_ == 0; }
  // Variable time: compare public values only.
  friend bool operator==(const Scalar& a, const Scalar& b) { return a.value_ == b.value_; }

 private:
  mpz_class value_;
};

// Overwrites the limbs of a secret integer (best effort: GMP may have left copies in memory it
// reallocated earlier). The value reads as 0 afterwards.
void wipe(mpz_class& secret);
void wipe(std::vector<mpz_class>& secrets);

// A secret exponent: the only type the constant-time exponentiations of crypto/group.hpp take
// (single elements and batches), and the type of the mix-net's shuffle randomness and every
// prover value that depends on the permutation, of ballot randomness on its way to encryption,
// of proof nonces and of trustee secrets when exponentiated. It converts neither to mpz_class
// nor to Scalar, so no variable-time (`_var`) function accepts it; a Scalar or an integer becomes
// one only explicitly (tests/crypto/test_secret_types.cpp and tests/mixnet/
// test_prover_secrets.cpp check both at compile time). Wiped on destruction. reveal() gives the
// value for arithmetic mod q (GMP's mpz arithmetic is not constant time; the exponentiations
// that take a SecretScalar are).
class SecretScalar {
 public:
  SecretScalar() = default;
  explicit SecretScalar(mpz_class value) : value_(std::move(value)) {}
  // A secret held as a Scalar (a key, a nonce, a share), marked secret for exponentiation.
  explicit SecretScalar(const Scalar& k) : value_(k.value()) {}
  SecretScalar(const SecretScalar&) = default;
  SecretScalar(SecretScalar&&) noexcept = default;
  SecretScalar& operator=(const SecretScalar&) = default;
  SecretScalar& operator=(SecretScalar&&) noexcept = default;
  ~SecretScalar() { wipe(value_); }
  const mpz_class& reveal() const { return value_; }
  mpz_class& reveal() { return value_; }

 private:
  mpz_class value_;
};

// Arithmetic modulo a prime q. GMP's mpz arithmetic (add, mul) runs in time that depends on
// operand sizes in limbs, not on their bits beyond that; inversion of secrets uses mpz_powm_sec.
class ScalarField {
 public:
  // Precondition: q is an odd prime.
  explicit ScalarField(mpz_class q);

  const mpz_class& order() const { return q_; }
  std::size_t bit_length() const { return bits_; }
  // Length of the canonical encoding: ceil(bits(q) / 8) bytes, big-endian.
  std::size_t byte_length() const { return bytes_; }

  // Returns value mod q (any integer, negative included).
  Scalar reduce(const mpz_class& value) const;
  Scalar from_u64(std::uint64_t value) const;

  Scalar add(const Scalar& a, const Scalar& b) const;
  Scalar sub(const Scalar& a, const Scalar& b) const;
  Scalar mul(const Scalar& a, const Scalar& b) const;
  Scalar neg(const Scalar& a) const;
  // Returns a^-1 via a^(q-2) with mpz_powm_sec (constant time). Throws on a == 0.
  Scalar inverse(const Scalar& a) const;

  // Returns a uniform scalar in [1, q) by rejection sampling bits(q)-bit strings (no bias).
  Scalar random_nonzero(RandomSource& rng) const;
  // random_nonzero as a SecretScalar (a nonce or randomness that is exponentiated).
  SecretScalar random_secret(RandomSource& rng) const { return SecretScalar(random_nonzero(rng)); }

  // Returns OS2IP(expand_message_xmd_sha256(message, dst, ceil((bits(q)+128)/8))) mod q,
  // as RFC 9380 section 5.2 hash_to_field with k = 128 (statistical bias < 2^-128).
  Scalar hash_to_scalar(ByteView message, std::string_view dst) const;

  // Returns the fixed-length big-endian encoding (byte_length() bytes).
  Bytes encode(const Scalar& a) const;
  // Parses a fixed-length big-endian encoding. Throws std::invalid_argument when the length is
  // not byte_length() or the value is >= q.
  Scalar decode(ByteView bytes) const;
  // Hex of encode(a), and its strict inverse (canonical lowercase hex only).
  std::string to_hex(const Scalar& a) const;
  Scalar from_hex(std::string_view hex) const;

 private:
  mpz_class q_;
  mpz_class q_minus_2_;
  std::size_t bits_;
  std::size_t bytes_;
};

// Big-endian fixed-length export of a non-negative integer (throws if it does not fit).
Bytes mpz_to_bytes(const mpz_class& value, std::size_t length);
// The same into out[0, length).
void mpz_to_bytes_into(const mpz_class& value, std::uint8_t* out, std::size_t length);
// Big-endian import (empty input is zero).
mpz_class mpz_from_bytes(ByteView bytes);

}  // namespace haal::crypto
