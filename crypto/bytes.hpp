// Byte strings and their canonical hex rendering.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace haal::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Returns the lowercase hex of `data`. Variable time (use only on public data).
std::string to_hex(ByteView data);

// Returns the bytes of a canonical hex string: even length, lowercase 0-9a-f only.
// Throws std::invalid_argument naming the first offending character otherwise.
Bytes from_hex(std::string_view hex);

// Returns the bytes of a string (no terminator).
Bytes to_bytes(std::string_view text);

// Appends `value` as 4 big-endian bytes.
void append_u32_be(Bytes& out, std::uint32_t value);

// Appends `value` as 8 big-endian bytes.
void append_u64_be(Bytes& out, std::uint64_t value);

// Appends `data` as u32_be(length) || data: the length prefix every Haal hash input uses.
// Precondition: data.size() < 2^32.
void append_length_prefixed(Bytes& out, ByteView data);

// Returns true when a and b are equal, in time depending only on their lengths.
bool equal_constant_time(ByteView a, ByteView b);

}  // namespace haal::crypto
