#include "tally/ceremony/record.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

namespace {

// Writes all of `data` to fd; false on error.
bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void write_record_bytes(const fs::path& file, crypto::ByteView data) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  const fs::path tmp = file.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw TallyError(tmp.string() + ": cannot be created: " + std::strerror(errno));
  const bool ok = write_all(fd, data.data(), data.size()) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    fs::remove(tmp);
    throw TallyError(file.string() + ": write failed: " + std::strerror(saved));
  }
  fs::rename(tmp, file);
}

void write_record_json(const fs::path& file, const Json& j) {
  crypto::Bytes bytes = crypto::canonical_json_bytes(j);
  bytes.push_back('\n');
  write_record_bytes(file, bytes);
}

Json read_record_json(const fs::path& file) {
  const std::string text = base::read_file(file);
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw TallyError(file.string() + ": not valid JSON: " + e.what());
  }
}
}  // namespace haal::tally
