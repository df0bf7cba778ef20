#include "crypto/base/file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace haal::base {

namespace {
std::string reason() {
  return errno != 0 ? std::string(": ") + std::strerror(errno) : std::string();
}

// Reads the whole file into a string or a byte vector (one allocation: large mix-net files).
template <class Container>
Container read_whole(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw FileError(path.string() + ": is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path.string() + ": cannot open" + reason());
  Container data;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec) data.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.insert(data.end(), buffer, buffer + in.gcount());
  }
  if (in.bad()) throw FileError(path.string() + ": read error" + reason());
  return data;
}
}  // namespace

std::string read_file(const std::filesystem::path& path) {
  return read_whole<std::string>(path);
}

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  return read_whole<std::vector<std::uint8_t>>(path);
}

}  // namespace haal::base
