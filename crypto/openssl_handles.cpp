#include "crypto/openssl_handles.hpp"

#include <openssl/err.h>

namespace haal::crypto {

void throw_openssl_error(const std::string& what) {
  std::string detail;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!detail.empty()) detail += "; ";
    detail += buf;
  }
  throw std::runtime_error(what + (detail.empty() ? "" : ": " + detail));
}

BN_CTX* thread_bn_ctx() {
  thread_local BnCtxPtr ctx(check_openssl(BN_CTX_new(), "BN_CTX_new"));
  return ctx.get();
}

}  // namespace haal::crypto
