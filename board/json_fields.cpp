#include "board/json_fields.hpp"

#include <algorithm>

namespace haal::board {

using crypto::FormatError;

namespace {

std::string field_path(std::string_view path, std::string_view key) {
  return std::string(path) + "." + std::string(key);
}

const Json& field(const Json& j, std::string_view key, std::string_view path) {
  const auto it = j.find(key);
  if (it == j.end()) throw FormatError(field_path(path, key), "missing");
  return *it;
}

crypto::Bytes hex_value(const Json& value, const std::string& where, std::size_t expected_length) {
  if (!value.is_string()) throw FormatError(where, "expected a hex string");
  crypto::Bytes bytes;
  try {
    bytes = crypto::from_hex(value.get_ref<const std::string&>());
  } catch (const std::invalid_argument& e) {
    throw FormatError(where, e.what());
  }
  if (expected_length != 0 && bytes.size() != expected_length) {
    throw FormatError(where, "expected " + std::to_string(expected_length) + " bytes, got " +
                                 std::to_string(bytes.size()));
  }
  return bytes;
}

Hash to_hash(const crypto::Bytes& bytes) {
  Hash h{};
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

}  // namespace

void require_exact_object(const Json& j, std::initializer_list<std::string_view> fields,
                          std::string_view path) {
  if (!j.is_object()) throw FormatError(std::string(path), "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
      throw FormatError(field_path(path, key), "unknown field");
    }
  }
  for (const auto key : fields) field(j, key, path);
}

std::uint64_t read_uint(const Json& j, std::string_view key, std::string_view path) {
  const Json& value = field(j, key, path);
  // Parsed text stores non-negative integers as unsigned; values built in code may be signed.
  const bool non_negative_integer =
      value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0);
  if (!non_negative_integer) {
    throw FormatError(field_path(path, key), "expected a non-negative integer");
  }
  return value.get<std::uint64_t>();
}

std::string read_string(const Json& j, std::string_view key, std::string_view path) {
  const Json& value = field(j, key, path);
  if (!value.is_string()) throw FormatError(field_path(path, key), "expected a string");
  return value.get<std::string>();
}

crypto::Bytes read_hex(const Json& j, std::string_view key, std::string_view path,
                       std::size_t expected_length) {
  return hex_value(field(j, key, path), field_path(path, key), expected_length);
}

Hash read_hash(const Json& j, std::string_view key, std::string_view path) {
  return to_hash(read_hex(j, key, path, std::tuple_size_v<Hash>));
}

std::vector<Hash> read_hash_array(const Json& j, std::string_view key, std::string_view path) {
  const Json& value = field(j, key, path);
  const std::string where = field_path(path, key);
  if (!value.is_array()) throw FormatError(where, "expected an array");
  std::vector<Hash> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.push_back(to_hash(
        hex_value(value[i], where + "[" + std::to_string(i) + "]", std::tuple_size_v<Hash>)));
  }
  return out;
}

Json hash_array_to_json(const std::vector<Hash>& hashes) {
  Json out = Json::array();
  for (const auto& h : hashes) out.push_back(crypto::to_hex(h));
  return out;
}

}  // namespace haal::board
