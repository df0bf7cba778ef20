// ECIES-style public-key encryption of short secrets (the key ceremony's shares): an ephemeral
// X25519 key agreement (RFC 7748 section 6.1) with the recipient's static key, HKDF-SHA256
// (RFC 5869) to derive an AES-256-GCM key and nonce (NIST SP 800-38D), the whole construction
// shaped after SEC 1 v2.0 section 5.1 (ECIES) and RFC 9180 (HPKE base mode). Sender id,
// recipient id and a context (the election's manifest hash) go into the HKDF info and the AEAD
// associated data, so a ciphertext cannot be replayed to another trustee, as another sender or
// in another election. Byte layout in docs/ceremony.md ("Share encryption").
#pragma once

#include <stdexcept>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/openssl_handles.hpp"

namespace haal::crypto {

inline constexpr std::size_t kX25519KeyLength = 32;
inline constexpr std::size_t kEciesTagLength = 16;

// A static X25519 key pair (a trustee's encryption identity).
class X25519PrivateKey {
 public:
  // Returns a fresh key from OpenSSL's CSPRNG.
  static X25519PrivateKey generate();
  // Returns the key with these 32 raw bytes. Throws std::invalid_argument on bad length.
  static X25519PrivateKey from_bytes(ByteView raw);

  // Returns the 32 raw private bytes. SECRET: for encrypted storage only.
  Bytes private_bytes() const;
  // Returns the 32-byte public key (RFC 7748 u-coordinate).
  Bytes public_key() const;
  // The OpenSSL key, for key agreement.
  const EVP_PKEY* pkey() const { return key_.get(); }

 private:
  explicit X25519PrivateKey(EvpPkeyPtr key) : key_(std::move(key)) {}
  EvpPkeyPtr key_;
};

// Throws FormatError(path, ...) unless `public_key` is 32 bytes that X25519 (RFC 7748 section 5)
// maps to a non-zero shared secret: a small-order u-coordinate makes every shared secret all
// zeros (RFC 7748 section 6.1), so shares encrypted to it would be unreadable by anyone but
// public to all. Checked by one key agreement with a fresh key (clamping kills any small-order
// component, so the result is zero exactly for small-order points). Variable time in the public
// input only.
void require_x25519_public_key(ByteView public_key, const std::string& path);

// What a ciphertext is bound to: who sent it, for whom, and in which context.
struct EciesBinding {
  std::string sender;     // e.g. "trustee-1"
  std::string recipient;  // e.g. "trustee-3"
  Bytes context;          // e.g. the 32-byte manifest hash
};

struct EciesCiphertext {
  Bytes ephemeral_public_key;  // 32 bytes
  Bytes ciphertext;            // same length as the plaintext
  Bytes tag;                   // 16 bytes
};

// Decryption failed: wrong recipient, wrong binding, or a tampered ciphertext (indistinguishable
// by design).
class EciesError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns the encryption of `plaintext` to `recipient_public_key` under `binding`, with a fresh
// ephemeral key. Throws std::invalid_argument if the recipient key is not 32 bytes or is a
// low-order point (the shared secret would be all zeros).
EciesCiphertext ecies_encrypt(ByteView recipient_public_key, const EciesBinding& binding,
                              ByteView plaintext);

// Returns the plaintext. Throws EciesError when authentication fails for any reason.
// Constant time in the recipient's private key (OpenSSL X25519).
Bytes ecies_decrypt(const X25519PrivateKey& recipient, const EciesBinding& binding,
                    const EciesCiphertext& ciphertext);

// Returns {"ephemeral_public_key": hex, "ciphertext": hex, "tag": hex}, and parses it strictly
// (FormatError naming the field; lengths checked).
Json ecies_ciphertext_to_json(const EciesCiphertext& c);
EciesCiphertext ecies_ciphertext_from_json(const Json& j, std::string_view path);

}  // namespace haal::crypto
