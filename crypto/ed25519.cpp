#include "crypto/ed25519.hpp"

#include <openssl/err.h>

#include <stdexcept>

namespace haal::crypto {

Ed25519PrivateKey Ed25519PrivateKey::generate() {
  EvpPkeyCtxPtr ctx(check_openssl(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), "Ed25519 ctx"));
  check_openssl_rc(EVP_PKEY_keygen_init(ctx.get()), "Ed25519 keygen init");
  EVP_PKEY* raw = nullptr;
  check_openssl_rc(EVP_PKEY_keygen(ctx.get(), &raw), "Ed25519 keygen");
  return Ed25519PrivateKey(EvpPkeyPtr(raw));
}

Ed25519PrivateKey Ed25519PrivateKey::from_seed(ByteView seed) {
  if (seed.size() != kEd25519PrivateKeyLength) {
    throw std::invalid_argument("Ed25519 private key must be 32 bytes, got " +
                                std::to_string(seed.size()));
  }
  return Ed25519PrivateKey(EvpPkeyPtr(check_openssl(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()),
      "Ed25519 private key import")));
}

Bytes Ed25519PrivateKey::seed() const {
  Bytes out(kEd25519PrivateKeyLength);
  std::size_t len = out.size();
  check_openssl_rc(EVP_PKEY_get_raw_private_key(key_.get(), out.data(), &len), "Ed25519 export");
  return out;
}

Bytes Ed25519PrivateKey::public_key() const {
  Bytes out(kEd25519PublicKeyLength);
  std::size_t len = out.size();
  check_openssl_rc(EVP_PKEY_get_raw_public_key(key_.get(), out.data(), &len),
                   "Ed25519 public key export");
  return out;
}

Bytes Ed25519PrivateKey::sign(ByteView message) const {
  EvpMdCtxPtr ctx(check_openssl(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  check_openssl_rc(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()),
                   "Ed25519 sign init");
  Bytes sig(kEd25519SignatureLength);
  std::size_t len = sig.size();
  check_openssl_rc(EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()),
                   "Ed25519 sign");
  return sig;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() != kEd25519PublicKeyLength || signature.size() != kEd25519SignatureLength) {
    return false;
  }
  EvpPkeyPtr key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!key) {
    ERR_clear_error();
    return false;
  }
  EvpMdCtxPtr ctx(check_openssl(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                  message.size());
  ERR_clear_error();
  return rc == 1;
}

}  // namespace haal::crypto
