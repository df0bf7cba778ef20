// Ed25519 signatures (RFC 8032) through OpenSSL: voter credentials, trustee identities, the
// collector's signed tree heads and officials' requests.
#pragma once

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
  // Returns the 32-byte public key.
  Bytes public_key() const;
  // Returns the 64-byte signature of `message` (deterministic, RFC 8032). Constant time.
  Bytes sign(ByteView message) const;

 private:
  explicit Ed25519PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// Returns true iff `signature` is a valid Ed25519 signature of `message` under `public_key`.
// Wrong lengths and invalid keys return false. Variable time (public inputs).
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace haal::crypto
