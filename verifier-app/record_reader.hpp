// Read-only access to an election record (docs/record.md), given as a directory or as a ustar
// archive of that directory. Files are addressed by their record path ("board/head.json"),
// always with '/' separators and no leading "./".
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/json_codec.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier {

// A record that cannot be read: missing file, truncated archive, malformed JSON. what() starts
// with the record path (and, for archives, the byte offset) concerned.
class RecordError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RecordReader {
 public:
  // Opens a record directory, or a ustar archive (any regular file). Archives are indexed
  // strictly at open: every header checksum, size and padding; throws RecordError naming the
  // byte offset of the first defect (e.g. "record.tar: offset 1536: file board/head.json
  // truncated: 120 of 245 bytes present"). A leading "<dir>/" common to every archive member is
  // stripped. Directories are listed recursively (regular files only; symlinks are refused).
  static RecordReader open(const std::filesystem::path& path);

  // Where the record was opened from (for messages).
  const std::string& origin() const { return origin_; }
  bool is_archive() const { return archive_; }

  // Every file of the record, sorted bytewise by path.
  std::vector<std::string> files() const;
  // Files whose path starts with `prefix` (e.g. "mix/contest-1/"), sorted.
  std::vector<std::string> files_under(std::string_view prefix) const;
  bool exists(std::string_view path) const;
  // Returns the size in bytes. Throws RecordError("<path>: missing from the record").
  std::uint64_t size(std::string_view path) const;

  // Returns the whole file. Throws RecordError when missing or unreadable.
  std::string read(std::string_view path) const;
  // Returns the file parsed as JSON, strictly (syntax errors name path, line and column;
  // duplicate object keys are refused). Throws RecordError.
  crypto::Json read_json(std::string_view path) const;
  // Streams the file line by line (without the '\n'), calling `on_line(line_number, line)`
  // with 1-based line numbers; stops early when on_line returns false. A last line without
  // '\n' is delivered too. Throws RecordError on read failure.
  void for_each_line(std::string_view path,
                     const std::function<bool(std::size_t, std::string_view)>& on_line) const;
  // Returns SHA-256 of the file's bytes (streamed).
  crypto::Digest sha256(std::string_view path) const;

 private:
  struct Member {
    std::uint64_t offset = 0;  // byte offset of the content in the archive (archives only)
    std::uint64_t size = 0;
  };
  RecordReader() = default;
  // Calls `sink` with consecutive chunks of the file.
  void stream(std::string_view path, const std::function<void(std::string_view)>& sink) const;
  const Member& member(std::string_view path) const;

  std::string origin_;
  std::filesystem::path root_;
  bool archive_ = false;
  std::map<std::string, Member, std::less<>> members_;
};

// Parses JSON text strictly: syntax errors name `source`, line and column; duplicate keys are
// refused. Throws RecordError.
crypto::Json parse_json_strict(std::string_view text, std::string_view source);

}  // namespace haal::verifier
