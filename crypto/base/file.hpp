// The base layer's one whole-file reader, with precise errors (which file, what failed, the
// system's reason).
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace haal::base {

// A file could not be read. what() is "<path>: <what failed>[: <system reason>]".
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Returns the whole content of the regular file `path`, byte for byte. Throws FileError
// "<path>: cannot open: <reason>" (missing, no permission...), "<path>: is a directory" or
// "<path>: read error: <reason>".
std::string read_file(const std::filesystem::path& path);

// Returns read_file(path) as bytes. Same errors.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);

}  // namespace haal::base
