// Tracking codes: the short, human-friendly rendering of a ballot hash shown to the voter and
// used to find the ballot on the board (docs/ballots.md, "Tracking code").
#pragma once

#include <string>

#include "crypto/bytes.hpp"

namespace haal::election {

// Returns the RFC 4648 section 6 base32 (alphabet A-Z2-7, no padding) of `data`.
std::string base32_encode(crypto::ByteView data);

// Returns the tracking code of a 32-byte ballot hash: base32 of its first 15 bytes (120 bits,
// 24 characters) in six groups of four joined by '-', e.g. "ABCD-EFGH-IJKL-MNOP-QRST-UVWX".
// Precondition: ballot_hash.size() >= 15.
std::string tracking_code(crypto::ByteView ballot_hash);

// Returns the 15 hash bytes a tracking code stands for (case-insensitive; '-' and spaces are
// ignored). Throws std::invalid_argument for a malformed code.
crypto::Bytes tracking_code_prefix(std::string_view code);

}  // namespace haal::election
