// Strict JSON parsing for everything Haal reads from outside: RFC 8259 text into a Json value,
// refusing duplicate object keys (nlohmann would keep the last one silently, so two readers could
// see different documents). Linear in the text: nlohmann's callback parser, the obvious way to
// watch keys, rescans the enclosing container at every object end (quadratic in the length of
// an array of objects: minutes for a million ballots), so this drives nlohmann's plain DOM
// builder through its SAX interface instead.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/json_codec.hpp"

namespace haal::crypto {

// A key repeated in one object. `path` names that object ("" for the top level,
// "contests[2]", "a.b[0].c"); `key` is the repeated key.
class DuplicateKeyError : public std::invalid_argument {
 public:
  DuplicateKeyError(std::string path, std::string key);
  const std::string& path() const { return path_; }
  const std::string& key() const { return key_; }
  // Returns "<path>.<key>" ("<key>" at the top level): the repeated field's own path.
  std::string field_path() const;

 private:
  std::string path_;
  std::string key_;
};

// Returns the value of `text`. Throws Json::parse_error (with its byte position) on a syntax
// error and DuplicateKeyError on the first repeated key in document order. Comments are
// refused. Time linear in the text's length.
Json parse_json_rejecting_duplicate_keys(std::string_view text);

}  // namespace haal::crypto
