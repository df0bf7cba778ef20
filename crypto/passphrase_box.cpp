#include "crypto/passphrase_box.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "crypto/openssl_handles.hpp"
#include "crypto/random_source.hpp"

namespace haal::crypto {

namespace {

constexpr std::string_view kFormat = "haal-passphrase-box-v1";
constexpr std::size_t kSaltLength = 16;
constexpr std::size_t kNonceLength = 12;
constexpr std::size_t kTagLength = 16;
constexpr std::size_t kKeyLength = 32;

Bytes derive_key(std::string_view passphrase, ByteView salt, const ScryptParameters& params) {
  Bytes key(kKeyLength);
  check_openssl_rc(EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(),
                                  params.n, params.r, params.p, 1ull << 30, key.data(), key.size()),
                   "scrypt");
  return key;
}

Bytes associated_data(std::string_view label) {
  Bytes aad;
  append_length_prefixed(aad, to_bytes(kFormat));
  append_length_prefixed(aad, to_bytes(label));
  return aad;
}

}  // namespace

void wipe(Bytes& secret) {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

Json passphrase_box_seal(ByteView secret, std::string_view passphrase, std::string_view label,
                         const ScryptParameters& params) {
  Bytes salt(kSaltLength), nonce(kNonceLength);
  system_random().fill(salt);
  system_random().fill(nonce);
  Bytes key = derive_key(passphrase, salt, params);
  const Bytes aad = associated_data(label);

  EvpCipherCtxPtr ctx(check_openssl(EVP_CIPHER_CTX_new(), "EVP_CIPHER_CTX_new"));
  check_openssl_rc(
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()),
      "AES-256-GCM init");
  wipe(key);
  int len = 0;
  check_openssl_rc(
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())),
      "AES-256-GCM aad");
  Bytes ciphertext(secret.size() + 16);
  check_openssl_rc(EVP_EncryptUpdate(ctx.get(), ciphertext.data(), &len, secret.data(),
                                     static_cast<int>(secret.size())),
                   "AES-256-GCM encrypt");
  int total = len;
  check_openssl_rc(EVP_EncryptFinal_ex(ctx.get(), ciphertext.data() + total, &len),
                   "AES-256-GCM final");
  total += len;
  ciphertext.resize(static_cast<std::size_t>(total));
  Bytes tag(kTagLength);
  check_openssl_rc(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagLength, tag.data()),
                   "AES-256-GCM tag");
  return Json{{"format", kFormat},
              {"label", label},
              {"kdf", {{"name", "scrypt"}, {"n", params.n}, {"r", params.r}, {"p", params.p}}},
              {"salt", to_hex(salt)},
              {"nonce", to_hex(nonce)},
              {"ciphertext", to_hex(ciphertext)},
              {"tag", to_hex(tag)}};
}

Bytes passphrase_box_open(const Json& box, std::string_view passphrase, std::string_view label) {
  const std::string path = "passphrase box";
  reject_unknown_fields(box, {"format", "label", "kdf", "salt", "nonce", "ciphertext", "tag"},
                        path);
  if (require_string(box, "format", path) != kFormat) {
    throw FormatError(path + ".format", "must be \"" + std::string(kFormat) + "\"");
  }
  if (require_string(box, "label", path) != label) {
    throw FormatError(path + ".label", "this box is for \"" + require_string(box, "label", path) +
                                           "\", not \"" + std::string(label) + "\"");
  }
  const Json& kdf = require_field(box, "kdf", path);
  reject_unknown_fields(kdf, {"name", "n", "r", "p"}, path + ".kdf");
  if (require_string(kdf, "name", path + ".kdf") != "scrypt") {
    throw FormatError(path + ".kdf.name", "must be \"scrypt\"");
  }
  ScryptParameters params{require_uint(kdf, "n", path + ".kdf"),
                          require_uint(kdf, "r", path + ".kdf"),
                          require_uint(kdf, "p", path + ".kdf")};
  // Bounds keep a tampered file from either weakening the KDF or exhausting memory.
  if (params.n < (1u << 14) || params.n > (1u << 20) || (params.n & (params.n - 1)) != 0) {
    throw FormatError(path + ".kdf.n", "must be a power of two in [2^14, 2^20]");
  }
  if (params.r < 8 || params.r > 16) throw FormatError(path + ".kdf.r", "must be in [8, 16]");
  if (params.p < 1 || params.p > 4) throw FormatError(path + ".kdf.p", "must be in [1, 4]");
  const Bytes salt = bytes_from_json(require_field(box, "salt", path), path + ".salt", kSaltLength);
  const Bytes nonce =
      bytes_from_json(require_field(box, "nonce", path), path + ".nonce", kNonceLength);
  const Bytes ciphertext =
      bytes_from_json(require_field(box, "ciphertext", path), path + ".ciphertext");
  Bytes tag = bytes_from_json(require_field(box, "tag", path), path + ".tag", kTagLength);

  Bytes key = derive_key(passphrase, salt, params);
  const Bytes aad = associated_data(label);
  EvpCipherCtxPtr ctx(check_openssl(EVP_CIPHER_CTX_new(), "EVP_CIPHER_CTX_new"));
  check_openssl_rc(
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()),
      "AES-256-GCM init");
  wipe(key);
  int len = 0;
  check_openssl_rc(
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())),
      "AES-256-GCM aad");
  Bytes plaintext(ciphertext.size() + 16);
  check_openssl_rc(EVP_DecryptUpdate(ctx.get(), plaintext.data(), &len, ciphertext.data(),
                                     static_cast<int>(ciphertext.size())),
                   "AES-256-GCM decrypt");
  int total = len;
  check_openssl_rc(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagLength, tag.data()),
                   "AES-256-GCM tag");
  if (EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + total, &len) != 1) {
    wipe(plaintext);
    ERR_clear_error();
    throw std::runtime_error("wrong passphrase or corrupted box");
  }
  total += len;
  plaintext.resize(static_cast<std::size_t>(total));
  return plaintext;
}

}  // namespace haal::crypto
