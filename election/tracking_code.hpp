// Tracking codes: the short, human-friendly rendering of a ballot hash shown to the voter and
// used to find the ballot on the board (docs/ballots.md, "Tracking code").
#pragma once

#include <string>

#include "crypto/bytes.hpp"

namespace haal::election {

// Returns the RFC 4648 section 6 base32 (alphabet A-Z2-7, no padding) of `data`.
std::string base32_encode(crypto::ByteView data);

// Returns `plain` in groups of four characters joined by '-'.
std::string group_by_four(std::string_view plain);

// Returns the `length` bytes whose base32 is `text` (case-insensitive; '-' and spaces are
// ignored): exactly ceil(8 length / 5) symbols whose unused trailing bits are zero. Throws
// std::invalid_argument starting with `what` otherwise.
crypto::Bytes base32_decode_grouped(std::string_view text, std::size_t length,
                                    std::string_view what);

// Returns the tracking code of a 32-byte tracking hash: base32 of its first 15 bytes (120 bits,
// 24 characters) in six groups of four joined by '-', e.g. "ABCD-EFGH-IJKL-MNOP-QRST-UVWX".
// Precondition: tracking_hash.size() >= 15.
std::string tracking_code(crypto::ByteView tracking_hash);

// Returns the 15 hash bytes a tracking code stands for (case-insensitive; '-' and spaces are
// ignored). Throws std::invalid_argument for a malformed code.
crypto::Bytes tracking_code_prefix(std::string_view code);

}  // namespace haal::election
