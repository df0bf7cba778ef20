#include "verifier-app/record_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "crypto/json_strict.hpp"

namespace haal::verifier {
namespace {

constexpr std::size_t kBlock = 512;

std::string offset_text(std::uint64_t offset) {
  return "offset " + std::to_string(offset);
}

// Parses a ustar numeric field: octal digits, optionally space/NUL padded (POSIX.1-1988).
std::uint64_t parse_octal(const char* field, std::size_t length, const std::string& where) {
  std::size_t i = 0;
  while (i < length && field[i] == ' ') ++i;
  std::uint64_t value = 0;
  std::size_t digits = 0;
  for (; i < length && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
    if (value > (std::uint64_t{1} << 60)) throw RecordError(where + ": numeric field overflows");
    value = value * 8 + static_cast<std::uint64_t>(field[i] - '0');
  }
  for (; i < length; ++i) {
    if (field[i] != ' ' && field[i] != '\0') {
      throw RecordError(where + ": numeric field is not octal");
    }
  }
  if (digits == 0) throw RecordError(where + ": numeric field is empty");
  return value;
}

std::string c_string(const char* field, std::size_t length) {
  return std::string(field, strnlen(field, length));
}

// Checks a member path: relative, '/'-separated, no "." or ".." components, no empty ones.
std::string normalise_member_path(std::string path, const std::string& where) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  if (path.empty() || path.front() == '/')
    throw RecordError(where + ": invalid path \"" + path + "\"");
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if ((part.empty() && end != path.size()) || part == "." || part == "..") {
      throw RecordError(where + ": invalid path \"" + path + "\"");
    }
    start = end + 1;
  }
  return path;
}

// Parses "len key=value\n" records of a pax extended header (POSIX.1-2001 pax format).
std::map<std::string, std::string> parse_pax(const std::string& data, const std::string& where) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t space = data.find(' ', pos);
    if (space == std::string::npos) throw RecordError(where + ": malformed pax record");
    std::size_t length = 0;
    for (std::size_t i = pos; i < space; ++i) {
      if (data[i] < '0' || data[i] > '9' || length > data.size()) {
        throw RecordError(where + ": malformed pax record length");
      }
      length = length * 10 + static_cast<std::size_t>(data[i] - '0');
    }
    if (length == 0 || pos + length > data.size() || data[pos + length - 1] != '\n') {
      throw RecordError(where + ": malformed pax record");
    }
    const std::string record = data.substr(space + 1, pos + length - 1 - (space + 1));
    const std::size_t eq = record.find('=');
    if (eq == std::string::npos) throw RecordError(where + ": malformed pax record (no '=')");
    out[record.substr(0, eq)] = record.substr(eq + 1);
    pos += length;
  }
  return out;
}

}  // namespace

RecordReader RecordReader::open(const std::filesystem::path& path) {
  RecordReader reader;
  reader.origin_ = path.string();
  reader.root_ = path;
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw RecordError(reader.origin_ + ": no such file or directory");
  }
  if (std::filesystem::is_directory(status)) {
    for (auto it = std::filesystem::recursive_directory_iterator(path);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
      const auto entry_status = it->symlink_status();
      const std::string relative = std::filesystem::relative(it->path(), path).generic_string();
      if (std::filesystem::is_symlink(entry_status)) {
        throw RecordError(reader.origin_ + ": " + relative + ": symbolic links are not allowed");
      }
      if (std::filesystem::is_directory(entry_status)) continue;
      if (!std::filesystem::is_regular_file(entry_status)) {
        throw RecordError(reader.origin_ + ": " + relative + ": not a regular file");
      }
      reader.members_[relative] = Member{0, std::filesystem::file_size(it->path())};
    }
    return reader;
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw RecordError(reader.origin_ + ": neither a directory nor a regular file");
  }

  // A ustar archive (POSIX.1-1988 ustar, with pax 'x' and GNU 'L' long-name extensions).
  reader.archive_ = true;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RecordError(reader.origin_ + ": cannot open");
  const std::uint64_t total = std::filesystem::file_size(path);
  if (total % kBlock != 0) {
    throw RecordError(reader.origin_ + ": size " + std::to_string(total) +
                      " is not a multiple of 512 bytes: the archive is truncated or not a tar");
  }
  std::uint64_t offset = 0;
  std::string pending_name;  // from a pax or GNU long-name header
  bool has_pending_size = false;
  std::uint64_t pending_size = 0;
  std::map<std::string, Member, std::less<>> members;
  bool ended = false;
  std::array<char, kBlock> block{};
  while (offset < total) {
    const std::string where = reader.origin_ + ": " + offset_text(offset);
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(block.data(), kBlock)) throw RecordError(where + ": read failed");
    if (std::all_of(block.begin(), block.end(), [](char c) { return c == 0; })) {
      // End of archive: two zero blocks; everything after them must be zero padding.
      if (offset + 2 * kBlock > total) {
        throw RecordError(where + ": truncated: only one of the two end-of-archive blocks");
      }
      in.read(block.data(), kBlock);
      if (!std::all_of(block.begin(), block.end(), [](char c) { return c == 0; })) {
        throw RecordError(reader.origin_ + ": " + offset_text(offset + kBlock) +
                          ": a header follows a zero block");
      }
      for (std::uint64_t rest = offset + 2 * kBlock; rest < total; rest += kBlock) {
        in.read(block.data(), kBlock);
        if (!std::all_of(block.begin(), block.end(), [](char c) { return c == 0; })) {
          throw RecordError(reader.origin_ + ": " + offset_text(rest) +
                            ": data after the end-of-archive marker");
        }
      }
      ended = true;
      break;
    }
    // Header checksum: sum of all bytes with the checksum field read as spaces.
    const std::uint64_t stored = parse_octal(block.data() + 148, 8, where + " (chksum)");
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kBlock; ++i) {
      sum += (i >= 148 && i < 156) ? 32u : static_cast<unsigned char>(block[i]);
    }
    if (sum != stored) {
      throw RecordError(where + ": header checksum " + std::to_string(stored) +
                        " does not match the header's bytes (" + std::to_string(sum) + ")");
    }
    const std::string magic(block.data() + 257, 5);
    if (magic != "ustar") throw RecordError(where + ": not a ustar header (magic)");
    std::uint64_t size = parse_octal(block.data() + 124, 12, where + " (size)");
    const char type = block[156];
    std::string name = c_string(block.data(), 100);
    const std::string prefix = c_string(block.data() + 345, 155);
    if (!prefix.empty()) name = prefix + "/" + name;
    const std::uint64_t content = offset + kBlock;
    const std::uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;
    if (content + padded > total) {
      throw RecordError(where + ": member \"" + name +
                        "\" truncated: " + std::to_string(total - content) + " of " +
                        std::to_string(size) + " bytes present");
    }
    if (type == 'x' || type == 'L') {
      std::string data(size, '\0');
      in.seekg(static_cast<std::streamoff>(content));
      in.read(data.data(), static_cast<std::streamsize>(size));
      if (type == 'L') {
        pending_name = c_string(data.data(), data.size());
      } else {
        const auto pax = parse_pax(data, where);
        if (auto it = pax.find("path"); it != pax.end()) pending_name = it->second;
        if (auto it = pax.find("size"); it != pax.end()) {
          std::uint64_t v = 0;
          for (char c : it->second) {
            if (c < '0' || c > '9') throw RecordError(where + ": pax size is not decimal");
            v = v * 10 + static_cast<std::uint64_t>(c - '0');
          }
          pending_size = v;
          has_pending_size = true;
        }
      }
      offset = content + padded;
      continue;
    }
    if (!pending_name.empty()) name = pending_name;
    if (has_pending_size) size = pending_size;
    pending_name.clear();
    has_pending_size = false;
    const std::uint64_t member_padded = (size + kBlock - 1) / kBlock * kBlock;
    if (content + member_padded > total) {
      throw RecordError(where + ": member \"" + name +
                        "\" truncated: " + std::to_string(total - content) + " of " +
                        std::to_string(size) + " bytes present");
    }
    if (type == '5') {
      offset = content + member_padded;
      continue;
    }
    if (type != '0' && type != '\0') {
      throw RecordError(where + ": member \"" + name + "\" has type '" + std::string(1, type) +
                        "': only regular files and directories are allowed");
    }
    name = normalise_member_path(name, where);
    if (members.count(name) != 0) {
      throw RecordError(where + ": member \"" + name + "\" appears twice");
    }
    members[name] = Member{content, size};
    offset = content + member_padded;
  }
  if (!ended) {
    throw RecordError(reader.origin_ + ": truncated: no end-of-archive marker after " +
                      offset_text(offset));
  }
  // Strip a top-level directory common to every member ("record/index.json" -> "index.json").
  if (!members.empty()) {
    const std::string& first = members.begin()->first;
    const std::size_t slash = first.find('/');
    if (slash != std::string::npos) {
      const std::string top = first.substr(0, slash + 1);
      const bool common = std::all_of(members.begin(), members.end(),
                                      [&](const auto& m) { return m.first.rfind(top, 0) == 0; });
      if (common && members.count(top.substr(0, slash)) == 0 && !members.count("index.json")) {
        for (auto& [name, member] : members) reader.members_[name.substr(top.size())] = member;
        return reader;
      }
    }
  }
  reader.members_ = std::move(members);
  return reader;
}

std::vector<std::string> RecordReader::files() const {
  std::vector<std::string> out;
  out.reserve(members_.size());
  for (const auto& [name, member] : members_) out.push_back(name);
  return out;
}

std::vector<std::string> RecordReader::files_under(std::string_view prefix) const {
  std::vector<std::string> out;
  for (auto it = members_.lower_bound(prefix);
       it != members_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->first);
  }
  return out;
}

bool RecordReader::exists(std::string_view path) const {
  return members_.find(path) != members_.end();
}

const RecordReader::Member& RecordReader::member(std::string_view path) const {
  auto it = members_.find(path);
  if (it == members_.end()) throw RecordError(std::string(path) + ": missing from the record");
  return it->second;
}

std::uint64_t RecordReader::size(std::string_view path) const {
  return member(path).size;
}

void RecordReader::stream(std::string_view path,
                          const std::function<void(std::string_view)>& sink) const {
  const Member& m = member(path);
  const std::filesystem::path file =
      archive_ ? root_ : root_ / std::filesystem::path(std::string(path));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw RecordError(std::string(path) + ": cannot open");
  if (archive_) in.seekg(static_cast<std::streamoff>(m.offset));
  // At most 1 MiB, never more than the file, and not zero-filled: records hold hundreds of
  // thousands of small files (board/heads/), read twice each.
  const auto capacity = static_cast<std::size_t>(std::min<std::uint64_t>(m.size, 1 << 20));
  const auto buffer = std::make_unique_for_overwrite<char[]>(std::max<std::size_t>(capacity, 1));
  std::uint64_t left = m.size;
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, capacity));
    in.read(buffer.get(), static_cast<std::streamsize>(want));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got != want) {
      throw RecordError(std::string(path) + ": read failed at byte " +
                        std::to_string(m.size - left + got) + " of " + std::to_string(m.size));
    }
    sink(std::string_view(buffer.get(), got));
    left -= got;
  }
}

std::string RecordReader::read(std::string_view path) const {
  std::string out;
  out.reserve(static_cast<std::size_t>(size(path)));
  stream(path, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}

crypto::Json RecordReader::read_json(std::string_view path) const {
  return parse_json_strict(read(path), path);
}

void RecordReader::for_each_line(
    std::string_view path,
    const std::function<bool(std::size_t, std::string_view)>& on_line) const {
  std::string pending;
  std::size_t line_number = 0;
  bool stopped = false;
  stream(path, [&](std::string_view chunk) {
    while (!stopped && !chunk.empty()) {
      const std::size_t newline = chunk.find('\n');
      if (newline == std::string_view::npos) {
        pending.append(chunk);
        return;
      }
      pending.append(chunk.substr(0, newline));
      chunk.remove_prefix(newline + 1);
      if (!on_line(++line_number, pending)) stopped = true;
      pending.clear();
    }
  });
  if (!stopped && !pending.empty()) on_line(++line_number, pending);
}

crypto::Digest RecordReader::sha256(std::string_view path) const {
  crypto::Sha256 hasher;
  stream(path, [&](std::string_view chunk) { hasher.update(chunk); });
  return hasher.finish();
}

crypto::Json parse_json_strict(std::string_view text, std::string_view source) {
  try {
    return crypto::parse_json_rejecting_duplicate_keys(text);
  } catch (const crypto::Json::parse_error& e) {
    // Convert the byte position into line and column.
    const std::size_t position = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < position; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw RecordError(std::string(source) + ":" + std::to_string(line) + ":" +
                      std::to_string(column) + ": invalid JSON");
  } catch (const crypto::DuplicateKeyError& e) {
    throw RecordError(std::string(source) + ": duplicate object key \"" + e.key() + "\"");
  }
}

}  // namespace haal::verifier
