#include "crypto/json_codec.hpp"

#include <algorithm>

namespace haal::crypto {

namespace {
std::string join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}
}  // namespace

const Json& require_field(const Json& j, std::string_view key, std::string_view path) {
  if (!j.is_object())
    throw FormatError(std::string(path.empty() ? "(top)" : path), "must be a JSON object");
  const auto it = j.find(std::string(key));
  if (it == j.end()) throw FormatError(join(path, key), "missing");
  return *it;
}

const std::string& require_string(const Json& j, std::string_view key, std::string_view path) {
  const Json& v = require_field(j, key, path);
  if (!v.is_string()) throw FormatError(join(path, key), "must be a string");
  return v.get_ref<const std::string&>();
}

const Json& require_array(const Json& j, std::string_view key, std::string_view path) {
  const Json& v = require_field(j, key, path);
  if (!v.is_array()) throw FormatError(join(path, key), "must be an array");
  return v;
}

std::uint64_t require_uint(const Json& j, std::string_view key, std::string_view path) {
  const Json& v = require_field(j, key, path);
  if (!v.is_number_unsigned()) throw FormatError(join(path, key), "must be a non-negative integer");
  return v.get<std::uint64_t>();
}

void reject_unknown_fields(const Json& j, std::initializer_list<std::string_view> allowed,
                           std::string_view path) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw FormatError(join(path, key), "unknown field");
    }
  }
}

Json element_to_json(const Group& group, const Element& a) {
  return group.to_hex(a);
}

Element element_from_json(const Group& group, const Json& j, std::string_view path) {
  if (!j.is_string()) throw FormatError(std::string(path), "must be a hex string");
  try {
    return group.decode_var(from_hex(j.get_ref<const std::string&>()));
  } catch (const std::invalid_argument& e) {
    throw FormatError(std::string(path), e.what());
  }
}

Json scalar_to_json(const Group& group, const Scalar& a) {
  return group.scalars().to_hex(a);
}

Scalar scalar_from_json(const Group& group, const Json& j, std::string_view path) {
  if (!j.is_string()) throw FormatError(std::string(path), "must be a hex string");
  try {
    return group.scalars().from_hex(j.get_ref<const std::string&>());
  } catch (const std::invalid_argument& e) {
    throw FormatError(std::string(path), e.what());
  }
}

Json bytes_to_json(ByteView bytes) {
  return to_hex(bytes);
}

Bytes bytes_from_json(const Json& j, std::string_view path, std::size_t expected_length) {
  if (!j.is_string()) throw FormatError(std::string(path), "must be a hex string");
  Bytes out;
  try {
    out = from_hex(j.get_ref<const std::string&>());
  } catch (const std::invalid_argument& e) {
    throw FormatError(std::string(path), e.what());
  }
  if (expected_length != 0 && out.size() != expected_length) {
    throw FormatError(std::string(path), "must be " + std::to_string(expected_length) +
                                             " bytes, got " + std::to_string(out.size()));
  }
  return out;
}

}  // namespace haal::crypto
