// The election record on disk (docs/record.md): canonical JSON files, the index of every file
// with its SHA-256, and the POSIX ustar archive of the whole directory.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"

namespace haal::tally {

using crypto::Json;

// Thrown for any tally failure: the message names the file or step and says what is wrong.
class TallyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Writes canonical_json_bytes(j) followed by "\n" to `file` (creating its directory), through a
// temporary file, fsync and rename, so a crash leaves the old file or the new one.
void write_record_json(const std::filesystem::path& file, const Json& j);
// Writes `data` the same way.
void write_record_bytes(const std::filesystem::path& file, crypto::ByteView data);
// Returns the parsed JSON of `file`; throws TallyError naming the file on a read or syntax error.
Json read_record_json(const std::filesystem::path& file);

// Writes RECORD/index.json: {"format": "haal-record-v1", "election_id", "context_hash",
// "files": [{"path", "bytes", "sha256"}]} for every regular file except index.json, sorted by
// path. Throws TallyError on a symbolic link or other non-regular file.
void write_record_index(const std::filesystem::path& record_dir);

// Writes a POSIX ustar archive of the record (every regular file, sorted by path, paths relative to
// the record, mode 0644, owner 0, mtime 0: the same record gives the same archive).
// Throws TallyError when a path does not fit ustar's 100+155-byte name fields.
void write_record_tar(const std::filesystem::path& record_dir, const std::filesystem::path& tar);

}  // namespace haal::tally
