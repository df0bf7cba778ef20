// Canonical JSON for public objects: elements and scalars as lowercase hex of their canonical
// bytes. Parsing is strict and names the offending field.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "crypto/group.hpp"

namespace haal::crypto {

using Json = nlohmann::json;

// A malformed public object; what() reads "<field path>: <reason>".
class FormatError : public std::invalid_argument {
 public:
  FormatError(const std::string& field, const std::string& reason)
      : std::invalid_argument(field + ": " + reason) {}
};

// Returns j[key], throwing FormatError("<path>.<key>", "missing") when absent.
const Json& require_field(const Json& j, std::string_view key, std::string_view path);
// Returns the string at j[key] (throws FormatError unless a string).
const std::string& require_string(const Json& j, std::string_view key, std::string_view path);
// Returns the array at j[key] (throws FormatError unless an array).
const Json& require_array(const Json& j, std::string_view key, std::string_view path);
// Returns the unsigned integer at j[key].
std::uint64_t require_uint(const Json& j, std::string_view key, std::string_view path);
// Throws FormatError naming any key of object j that is not in `allowed`.
void reject_unknown_fields(const Json& j, std::initializer_list<std::string_view> allowed,
                           std::string_view path);

// Element/scalar <-> hex JSON string. Parsing checks canonical hex and group membership.
Json element_to_json(const Group& group, const Element& a);
Element element_from_json(const Group& group, const Json& j, std::string_view path);
Json scalar_to_json(const Group& group, const Scalar& a);
Scalar scalar_from_json(const Group& group, const Json& j, std::string_view path);
Json bytes_to_json(ByteView bytes);
// Parses hex; when expected_length is non-zero the decoded length must equal it.
Bytes bytes_from_json(const Json& j, std::string_view path, std::size_t expected_length = 0);

}  // namespace haal::crypto
