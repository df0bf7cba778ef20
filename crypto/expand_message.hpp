// expand_message_xmd with SHA-256, RFC 9380 section 5.3.1.
#pragma once

#include "crypto/bytes.hpp"

namespace haal::crypto {

// Returns `length` uniform bytes derived from `message` under domain tag `dst`.
// Preconditions: length <= 8160 (255 blocks), 0 < dst.size() <= 255. Throws otherwise.
// Constant time in the message's content.
Bytes expand_message_xmd_sha256(ByteView message, std::string_view dst, std::size_t length);

}  // namespace haal::crypto
