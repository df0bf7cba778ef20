// Strict JSON input for election files and ballots: syntax errors carry line:column, and
// duplicate object keys (which different parsers resolve differently) are rejected.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "crypto/base/file.hpp"
#include "crypto/json_codec.hpp"

namespace haal::election {

using crypto::Json;

// Returns the JSON value in `text`. Throws crypto::FormatError("<source>:<line>:<column>",
// reason) on a syntax error and FormatError("<source>: <path>", "duplicate key ...") on a
// repeated object key. `source` names the input in messages (e.g. a file name).
Json parse_json_strict(std::string_view text, std::string_view source);

// Returns the 1-based line and column of byte offset `offset` (0-based) in `text`.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset);

// Returns parse_json_strict(base::read_file(path), path). Throws base::FileError or
// crypto::FormatError.
Json read_json_file(const std::filesystem::path& path);

// Writes `content` to `path` atomically (temporary file in the same folder, then rename).
// `private_file` makes the file readable by its owner only (mode 0600).
void write_text_file(const std::filesystem::path& path, std::string_view content,
                     bool private_file = false);

// Creates `path` with `content`; fails (std::runtime_error) if it already exists (O_EXCL), so a
// file is never overwritten. Not atomic: for the many small files of credential issuing.
void create_new_file(const std::filesystem::path& path, std::string_view content,
                     bool private_file);

// Writes the canonical bytes of `j` followed by a newline (what every ELECTION_DIR file holds).
void write_canonical_json_file(const std::filesystem::path& path, const Json& j,
                               bool private_file = false);

}  // namespace haal::election
