#include "crypto/ecies.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>

#include "crypto/passphrase_box.hpp"

namespace haal::crypto {

namespace {

constexpr std::string_view kSuite = "HAAL-V1-ECIES-X25519-HKDF-SHA256-AES256GCM";
constexpr std::size_t kKeyLength = 32;
constexpr std::size_t kNonceLength = 12;

using EvpKdfPtr = std::unique_ptr<EVP_KDF, OpenSslDeleter<EVP_KDF, EVP_KDF_free>>;
using EvpKdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OpenSslDeleter<EVP_KDF_CTX, EVP_KDF_CTX_free>>;

EvpPkeyPtr public_key_from_bytes(ByteView raw) {
  if (raw.size() != kX25519KeyLength) {
    throw std::invalid_argument("X25519 public key must be 32 bytes, got " +
                                std::to_string(raw.size()));
  }
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, raw.data(), raw.size()));
  if (!key) {
    ERR_clear_error();
    throw std::invalid_argument("invalid X25519 public key");
  }
  return key;
}

// X25519(own, peer). OpenSSL rejects an all-zero result (RFC 7748 section 6.1 check).
// Returns an empty vector when the derivation fails.
Bytes x25519_agree(const EVP_PKEY* own, const EVP_PKEY* peer) {
  EvpPkeyCtxPtr ctx(
      check_openssl(EVP_PKEY_CTX_new(const_cast<EVP_PKEY*>(own), nullptr), "X25519 ctx"));
  Bytes secret(kX25519KeyLength);
  std::size_t len = secret.size();
  if (EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), const_cast<EVP_PKEY*>(peer)) != 1 ||
      EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1 || len != kX25519KeyLength) {
    ERR_clear_error();
    wipe(secret);
    return {};
  }
  return secret;
}

}  // namespace

void require_x25519_public_key(ByteView public_key, const std::string& path) {
  if (public_key.size() != kX25519KeyLength) {
    throw FormatError(path,
                      "an X25519 public key is 32 bytes, got " + std::to_string(public_key.size()));
  }
  const EvpPkeyPtr peer = public_key_from_bytes(public_key);
  const X25519PrivateKey probe = X25519PrivateKey::generate();
  Bytes secret = x25519_agree(probe.pkey(), peer.get());
  if (secret.empty()) {
    throw FormatError(path,
                      "a small-order X25519 point (every shared secret with it is zero, "
                      "RFC 7748 section 6.1)");
  }
  wipe(secret);
}

namespace {

// info = LP(suite) || LP(sender) || LP(recipient) || LP(context)
Bytes binding_info(const EciesBinding& binding) {
  Bytes info;
  append_length_prefixed(info, to_bytes(kSuite));
  append_length_prefixed(info, to_bytes(binding.sender));
  append_length_prefixed(info, to_bytes(binding.recipient));
  append_length_prefixed(info, binding.context);
  return info;
}

// HKDF-SHA256 (RFC 5869 section 2) through OpenSSL's EVP_KDF "HKDF" (extract then expand).
Bytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
  EvpKdfPtr kdf(check_openssl(EVP_KDF_fetch(nullptr, "HKDF", nullptr), "HKDF fetch"));
  EvpKdfCtxPtr ctx(check_openssl(EVP_KDF_CTX_new(kdf.get()), "HKDF ctx"));
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(ikm.data()),
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<std::uint8_t*>(info.data()),
                                        info.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  check_openssl_rc(EVP_KDF_derive(ctx.get(), out.data(), out.size(), params), "HKDF derive");
  return out;
}

// Derives key || nonce from the shared secret; salt = ephemeral public || recipient public.
Bytes derive_key_and_nonce(ByteView shared, ByteView ephemeral_public, ByteView recipient_public,
                           ByteView info) {
  Bytes salt(ephemeral_public.begin(), ephemeral_public.end());
  salt.insert(salt.end(), recipient_public.begin(), recipient_public.end());
  return hkdf_sha256(shared, salt, info, kKeyLength + kNonceLength);
}

// aad = info || LP(ephemeral public key)
Bytes associated_data(ByteView info, ByteView ephemeral_public) {
  Bytes aad(info.begin(), info.end());
  append_length_prefixed(aad, ephemeral_public);
  return aad;
}

Bytes raw_public(const EVP_PKEY* key) {
  Bytes out(kX25519KeyLength);
  std::size_t len = out.size();
  check_openssl_rc(EVP_PKEY_get_raw_public_key(key, out.data(), &len), "X25519 public export");
  return out;
}

}  // namespace

X25519PrivateKey X25519PrivateKey::generate() {
  EvpPkeyCtxPtr ctx(check_openssl(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr), "X25519 ctx"));
  check_openssl_rc(EVP_PKEY_keygen_init(ctx.get()), "X25519 keygen init");
  EVP_PKEY* raw = nullptr;
  check_openssl_rc(EVP_PKEY_keygen(ctx.get(), &raw), "X25519 keygen");
  return X25519PrivateKey(EvpPkeyPtr(raw));
}

X25519PrivateKey X25519PrivateKey::from_bytes(ByteView raw) {
  if (raw.size() != kX25519KeyLength) {
    throw std::invalid_argument("X25519 private key must be 32 bytes, got " +
                                std::to_string(raw.size()));
  }
  return X25519PrivateKey(EvpPkeyPtr(
      check_openssl(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, raw.data(), raw.size()),
                    "X25519 private key import")));
}

Bytes X25519PrivateKey::private_bytes() const {
  Bytes out(kX25519KeyLength);
  std::size_t len = out.size();
  check_openssl_rc(EVP_PKEY_get_raw_private_key(key_.get(), out.data(), &len), "X25519 export");
  return out;
}

Bytes X25519PrivateKey::public_key() const {
  return raw_public(key_.get());
}

EciesCiphertext ecies_encrypt(ByteView recipient_public_key, const EciesBinding& binding,
                              ByteView plaintext) {
  const EvpPkeyPtr recipient = public_key_from_bytes(recipient_public_key);
  const X25519PrivateKey ephemeral = X25519PrivateKey::generate();
  Bytes shared = x25519_agree(ephemeral.pkey(), recipient.get());
  if (shared.empty()) throw std::invalid_argument("X25519 public key is a low-order point");
  EciesCiphertext out;
  out.ephemeral_public_key = ephemeral.public_key();
  const Bytes info = binding_info(binding);
  Bytes okm = derive_key_and_nonce(shared, out.ephemeral_public_key, recipient_public_key, info);
  wipe(shared);
  const Bytes aad = associated_data(info, out.ephemeral_public_key);

  EvpCipherCtxPtr ctx(check_openssl(EVP_CIPHER_CTX_new(), "EVP_CIPHER_CTX_new"));
  const int init = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, okm.data(),
                                      okm.data() + kKeyLength);
  wipe(okm);
  check_openssl_rc(init, "AES-256-GCM init");
  int len = 0;
  check_openssl_rc(
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())),
      "AES-256-GCM aad");
  out.ciphertext.resize(plaintext.size() + 16);
  check_openssl_rc(EVP_EncryptUpdate(ctx.get(), out.ciphertext.data(), &len, plaintext.data(),
                                     static_cast<int>(plaintext.size())),
                   "AES-256-GCM encrypt");
  int total = len;
  check_openssl_rc(EVP_EncryptFinal_ex(ctx.get(), out.ciphertext.data() + total, &len),
                   "AES-256-GCM final");
  total += len;
  out.ciphertext.resize(static_cast<std::size_t>(total));
  out.tag.resize(kEciesTagLength);
  check_openssl_rc(
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kEciesTagLength, out.tag.data()),
      "AES-256-GCM tag");
  return out;
}

Bytes ecies_decrypt(const X25519PrivateKey& recipient, const EciesBinding& binding,
                    const EciesCiphertext& c) {
  constexpr const char* kFailure = "share decryption failed (wrong recipient, binding or data)";
  if (c.tag.size() != kEciesTagLength) throw EciesError(kFailure);
  EvpPkeyPtr ephemeral;
  try {
    ephemeral = public_key_from_bytes(c.ephemeral_public_key);
  } catch (const std::invalid_argument&) {
    throw EciesError(kFailure);
  }
  Bytes shared = x25519_agree(recipient.pkey(), ephemeral.get());
  if (shared.empty()) throw EciesError(kFailure);
  const Bytes info = binding_info(binding);
  Bytes okm = derive_key_and_nonce(shared, c.ephemeral_public_key, recipient.public_key(), info);
  wipe(shared);
  const Bytes aad = associated_data(info, c.ephemeral_public_key);

  EvpCipherCtxPtr ctx(check_openssl(EVP_CIPHER_CTX_new(), "EVP_CIPHER_CTX_new"));
  const int init = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, okm.data(),
                                      okm.data() + kKeyLength);
  wipe(okm);
  check_openssl_rc(init, "AES-256-GCM init");
  int len = 0;
  check_openssl_rc(
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())),
      "AES-256-GCM aad");
  Bytes plaintext(c.ciphertext.size() + 16);
  check_openssl_rc(EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len, c.ciphertext.data(),
                                     static_cast<int>(c.ciphertext.size())),
                   "AES-256-GCM decrypt");
  int total = len;
  Bytes tag = c.tag;
  check_openssl_rc(
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kEciesTagLength, tag.data()),
      "AES-256-GCM tag");
  if (EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + total, &len) != 1) {
    wipe(plaintext);
    ERR_clear_error();
    throw EciesError(kFailure);
  }
  total += len;
  plaintext.resize(static_cast<std::size_t>(total));
  return plaintext;
}

Json ecies_ciphertext_to_json(const EciesCiphertext& c) {
  return Json{{"ephemeral_public_key", to_hex(c.ephemeral_public_key)},
              {"ciphertext", to_hex(c.ciphertext)},
              {"tag", to_hex(c.tag)}};
}

EciesCiphertext ecies_ciphertext_from_json(const Json& j, std::string_view path) {
  const std::string p(path);
  reject_unknown_fields(j, {"ephemeral_public_key", "ciphertext", "tag"}, p);
  EciesCiphertext c;
  c.ephemeral_public_key = bytes_from_json(require_field(j, "ephemeral_public_key", p),
                                           p + ".ephemeral_public_key", kX25519KeyLength);
  c.ciphertext = bytes_from_json(require_field(j, "ciphertext", p), p + ".ciphertext");
  c.tag = bytes_from_json(require_field(j, "tag", p), p + ".tag", kEciesTagLength);
  return c;
}

}  // namespace haal::crypto
