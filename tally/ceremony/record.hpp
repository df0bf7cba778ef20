// The election record on disk (docs/record.md): its canonical JSON files written atomically and
// read back with precise errors; the error every step of the tally ceremony throws.
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

}  // namespace haal::tally
