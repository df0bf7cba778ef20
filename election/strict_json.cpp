#include "election/strict_json.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "crypto/canonical_json.hpp"
#include "crypto/json_strict.hpp"

namespace haal::election {

using crypto::FormatError;

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

namespace {

// nlohmann's message reads "[json.exception.parse_error.101] parse error at line L, column C:
// <reason>"; keep only the reason (we print our own position).
std::string parse_error_reason(const std::string& what) {
  const std::string marker = ": ";
  const std::size_t at = what.find("parse error");
  if (at == std::string::npos) return what;
  const std::size_t colon = what.find(marker, at);
  return colon == std::string::npos ? what : what.substr(colon + marker.size());
}

}  // namespace

Json parse_json_strict(std::string_view text, std::string_view source) {
  try {
    return crypto::parse_json_rejecting_duplicate_keys(text);
  } catch (const Json::parse_error& e) {
    // e.byte is the 1-based count of bytes read when the error was found.
    const auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
    throw FormatError(
        std::string(source) + ":" + std::to_string(line) + ":" + std::to_string(column),
        "JSON syntax error: " + parse_error_reason(e.what()));
  } catch (const crypto::DuplicateKeyError& e) {
    throw FormatError(std::string(source), e.what());
  }
}

Json read_json_file(const std::filesystem::path& path) {
  return parse_json_strict(base::read_file(path), path.string());
}

namespace {
void write_to_new_fd(const std::filesystem::path& temporary, std::string_view content,
                     bool private_file, int extra_flags) {
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | extra_flags,
                        private_file ? 0600 : 0644);
  if (fd < 0) {
    throw std::runtime_error(temporary.string() + ": cannot create: " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      throw std::runtime_error(temporary.string() + ": write error: " + std::strerror(saved));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    throw std::runtime_error(temporary.string() + ": close error: " + std::strerror(errno));
  }
}
}  // namespace

void write_text_file(const std::filesystem::path& path, std::string_view content,
                     bool private_file) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  write_to_new_fd(temporary, content, private_file, O_TRUNC);
  std::filesystem::rename(temporary, path);
}

void create_new_file(const std::filesystem::path& path, std::string_view content,
                     bool private_file) {
  write_to_new_fd(path, content, private_file, O_EXCL);
}

void write_canonical_json_file(const std::filesystem::path& path, const Json& j,
                               bool private_file) {
  const crypto::Bytes bytes = crypto::canonical_json_bytes(j);
  std::string content(bytes.begin(), bytes.end());
  content.push_back('\n');
  write_text_file(path, content, private_file);
}

}  // namespace haal::election
