// Ed25519 signatures (RFC 8032) through OpenSSL: voter credentials, trustee identities, the
// collector's signed tree heads and officials' requests.
#pragma once

#include <string>

#include "crypto/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace haal::crypto {

inline constexpr std::size_t kEd25519PublicKeyLength = 32;
inline constexpr std::size_t kEd25519PrivateKeyLength = 32;
inline constexpr std::size_t kEd25519SignatureLength = 64;

class Ed25519PrivateKey {
 public:
  // Returns a fresh key from OpenSSL's CSPRNG.
  static Ed25519PrivateKey generate();
  // Returns the key with this 32-byte RFC 8032 seed. Throws std::invalid_argument on bad length.
  static Ed25519PrivateKey from_seed(ByteView seed);

  // Returns the 32-byte seed. SECRET: for encrypted storage only.
  Bytes seed() const;
  // Returns the 32-byte public key. It always passes ed25519_public_key_problem_var: it is
  // [a]B for the base point B of prime order L and a clamped scalar a with 0 < a mod L (RFC 8032
  // 5.1.5), so it has order L and OpenSSL encodes it canonically; no check is needed here.
  Bytes public_key() const;
  // Returns the 64-byte signature of `message` (deterministic, RFC 8032). Constant time.
  Bytes sign(ByteView message) const;

 private:
  explicit Ed25519PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// Returns "" when `public_key` is an acceptable Ed25519 public key: 32 bytes, the canonical
// encoding of a curve point (y < 2^255-19, no "negative zero" x sign bit for x = 0), and not of
// small order (not one of the 8 points of order dividing 8, in any encoding). Otherwise returns
// why, in a short sentence. Variable time (public input). The small-order test is libsodium's
// encoding blocklist (ge25519_has_small_order of libsodium 1.0.18,
// src/libsodium/crypto_core/ed25519/ref10/ed25519_ref10.c; the points are those of Chalkias,
// Garillot and Nikolaenko, "Taming the many EdDSAs", SSR 2020); canonical decoding is RFC 8032
// section 5.1.3. docs/crypto.md states the rule.
std::string ed25519_public_key_problem_var(ByteView public_key);
// Throws crypto::FormatError(path, reason) unless ed25519_public_key_problem_var(public_key) is "".
void require_ed25519_public_key(ByteView public_key, const std::string& path);

// Returns true iff `public_key` passes ed25519_public_key_problem_var and `signature` is a valid
// Ed25519 signature of `message` under it. Wrong lengths and invalid keys return false (OpenSSL
// alone would accept a forged signature under a small-order key). Variable time (public inputs).
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace haal::crypto
