// Strict readers for the board's JSON objects. Every failure throws crypto::FormatError naming
// the field path, e.g. "tree_head.root_hash: expected 64 hex characters".
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "board/merkle.hpp"
#include "crypto/json_codec.hpp"

namespace haal::board {

using Json = nlohmann::json;

// Throws FormatError(path, ...) unless j is an object with exactly the keys in `fields`.
void require_exact_object(const Json& j, std::initializer_list<std::string_view> fields,
                          std::string_view path);
// Returns the unsigned integer j[key] (no sign, no fraction). Throws FormatError otherwise.
std::uint64_t read_uint(const Json& j, std::string_view key, std::string_view path);
// Returns the string j[key]. Throws FormatError unless a string.
std::string read_string(const Json& j, std::string_view key, std::string_view path);
// Returns the bytes of the canonical lowercase hex string j[key]; when expected_length is
// non-zero the byte length must equal it. Throws FormatError otherwise.
crypto::Bytes read_hex(const Json& j, std::string_view key, std::string_view path,
                       std::size_t expected_length = 0);
// Returns the 32-byte hash in hex at j[key].
Hash read_hash(const Json& j, std::string_view key, std::string_view path);
// Returns the array of 32-byte hex hashes at j[key].
std::vector<Hash> read_hash_array(const Json& j, std::string_view key, std::string_view path);
// Returns the JSON array of the hashes in lowercase hex.
Json hash_array_to_json(const std::vector<Hash>& hashes);

}  // namespace haal::board
