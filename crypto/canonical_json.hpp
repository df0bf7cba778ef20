// Canonical JSON: the byte form of every hashed or signed JSON object in Haal.
// nlohmann::json objects keep keys sorted (std::map, by UTF-8 bytes); dump() with no indent is
// compact (no whitespace); strings must be valid UTF-8; floating-point numbers are not allowed.
#pragma once

#include "crypto/json_codec.hpp"
#include "crypto/sha256.hpp"

namespace haal::crypto {

// Returns the canonical bytes of `j`. Throws FormatError if `j` holds a floating-point number
// or invalid UTF-8.
Bytes canonical_json_bytes(const Json& j);

// Returns SHA-256(canonical_json_bytes(j)).
Digest canonical_json_hash(const Json& j);

}  // namespace haal::crypto
