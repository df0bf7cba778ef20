// Secrets at rest under a passphrase: scrypt (RFC 7914) derives a 256-bit key, AES-256-GCM
// (NIST SP 800-38D) encrypts, and a caller's label is the associated data, so a box for one
// purpose (say, trustee 2's share of election X) cannot be passed off as another.
// JSON layout in docs/crypto.md ("Passphrase boxes").
#pragma once

#include <string>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"

namespace haal::crypto {

struct ScryptParameters {
  std::uint64_t n = 1u << 15;  // CPU/memory cost (32 MiB with r = 8)
  std::uint64_t r = 8;
  std::uint64_t p = 1;
};

// Returns the box JSON of `secret` under `passphrase`, bound to `label`. Fresh salt and nonce.
Json passphrase_box_seal(ByteView secret, std::string_view passphrase, std::string_view label,
                         const ScryptParameters& params = {});

// Returns the secret in `box`. Throws FormatError for a malformed box, and
// std::runtime_error("wrong passphrase or corrupted box") when authentication fails (the two
// cannot be told apart, by design). Precondition: `label` is the label the box was sealed with.
Bytes passphrase_box_open(const Json& box, std::string_view passphrase, std::string_view label);

// Overwrites `secret` with zeros (OPENSSL_cleanse) before it is released.
void wipe(Bytes& secret);

}  // namespace haal::crypto
