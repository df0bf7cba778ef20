// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface.
#pragma once

#include <array>

#include "crypto/bytes.hpp"
#include "crypto/openssl_handles.hpp"

namespace haal::crypto {

using Digest = std::array<std::uint8_t, 32>;

// Incremental SHA-256. Constant time in the data's content (not its length).
class Sha256 {
 public:
  Sha256();
  // Feeds `data` into the hash.
  Sha256& update(ByteView data);
  Sha256& update(std::string_view text);
  // Returns the digest and resets the hasher for reuse.
  Digest finish();

 private:
  EvpMdCtxPtr ctx_;
};

// Returns SHA-256(data).
Digest sha256(ByteView data);
Digest sha256(std::string_view text);

// Returns HMAC-SHA256(key, data).
Digest hmac_sha256(ByteView key, ByteView data);

}  // namespace haal::crypto
