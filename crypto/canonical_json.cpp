#include "crypto/canonical_json.hpp"

namespace haal::crypto {

namespace {
void reject_floats(const Json& j, const std::string& path) {
  if (j.is_number_float()) throw FormatError(path, "floating-point numbers are not canonical");
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      std::string child = path;
      child.append(".").append(key);
      reject_floats(value, child);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      reject_floats(j[i], path + "[" + std::to_string(i) + "]");
  }
}

// True iff j contains a floating-point number (a scan without building paths).
bool has_float(const Json& j) {
  if (j.is_number_float()) return true;
  if (j.is_object() || j.is_array()) {
    for (const Json& child : j) {
      if (has_float(child)) return true;
    }
  }
  return false;
}
}  // namespace

Bytes canonical_json_bytes(const Json& j) {
  // Paths for the error message only when there is an error.
  if (has_float(j)) reject_floats(j, "$");
  std::string text;
  try {
    text = j.dump(-1, ' ', false, Json::error_handler_t::strict);
  } catch (const Json::type_error& e) {
    throw FormatError("$", std::string("not valid UTF-8: ") + e.what());
  }
  return to_bytes(text);
}

Digest canonical_json_hash(const Json& j) {
  return sha256(canonical_json_bytes(j));
}

}  // namespace haal::crypto
