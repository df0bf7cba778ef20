// Step "publish" of the tally ceremony (docs/record.md): the index of every file of the record
// with its SHA-256, and the POSIX ustar archive of the whole directory.
#pragma once

#include <filesystem>

#include "tally/ceremony/record.hpp"

namespace haal::tally {

// Writes RECORD/index.json: {"format": "haal-record-v1", "election_id", "context_hash",
// "files": [{"path", "bytes", "sha256"}]} for every regular file except index.json, sorted by
// path. Throws TallyError on a symbolic link or other non-regular file.
void write_record_index(const std::filesystem::path& record_dir);

// Writes a POSIX ustar archive of the record (every regular file, sorted by path, paths relative to
// the record, mode 0644, owner 0, mtime 0: the same record gives the same archive).
// Throws TallyError when a path does not fit ustar's 100+155-byte name fields.
void write_record_tar(const std::filesystem::path& record_dir, const std::filesystem::path& tar);

}  // namespace haal::tally
