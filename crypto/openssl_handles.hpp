// RAII owners for OpenSSL handles: each is a std::unique_ptr with the matching free function.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace haal::crypto {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const noexcept { Free(p); }
};

using BnPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<BIGNUM, BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, OpenSslDeleter<BN_CTX, BN_CTX_free>>;
using BnMontCtxPtr = std::unique_ptr<BN_MONT_CTX, OpenSslDeleter<BN_MONT_CTX, BN_MONT_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, OpenSslDeleter<EC_GROUP, EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, OpenSslDeleter<EC_POINT, EC_POINT_clear_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpPkeyCtxPtr =
    std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EvpCipherCtxPtr =
    std::unique_ptr<EVP_CIPHER_CTX, OpenSslDeleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;

// Throws std::runtime_error("<what>: <OpenSSL's error queue>") and clears the queue.
[[noreturn]] void throw_openssl_error(const std::string& what);

// Returns `p` when non-null; otherwise throws like throw_openssl_error(what).
template <typename T>
T* check_openssl(T* p, const char* what) {
  if (p == nullptr) throw_openssl_error(what);
  return p;
}

// Throws like throw_openssl_error(what) unless `rc` is 1 (OpenSSL's success value).
inline void check_openssl_rc(int rc, const char* what) {
  if (rc != 1) throw_openssl_error(what);
}

// Returns this thread's reusable BN_CTX (OpenSSL's scratch space is not thread-safe).
BN_CTX* thread_bn_ctx();

}  // namespace haal::crypto
