#include "tally/ceremony/publish.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "crypto/canonical_json.hpp"
#include "crypto/sha256.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

namespace {

// Streams a file through SHA-256; returns its digest and size.
std::pair<crypto::Digest, std::uintmax_t> hash_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw TallyError(file.string() + ": cannot be read");
  crypto::Sha256 h;
  std::vector<char> buf(1 << 16);
  std::uintmax_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    h.update(crypto::ByteView(reinterpret_cast<const std::uint8_t*>(buf.data()), n));
    total += n;
  }
  return {h.finish(), total};
}

// Every regular file under `dir`, as sorted relative paths ("a/b"). Throws TallyError on a
// symbolic link or any other file type (a record holds only directories and regular files).
std::vector<std::string> list_files(const fs::path& dir) {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_symlink()) throw TallyError(e.path().string() + ": symbolic links are not allowed");
    if (e.is_regular_file()) {
      files.push_back(fs::relative(e.path(), dir).generic_string());
    } else if (!e.is_directory()) {
      throw TallyError(e.path().string() + ": not a regular file");
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void write_record_index(const fs::path& record_dir) {
  const Json context = read_record_json(record_dir / "context.json");
  const std::vector<std::string> files = list_files(record_dir);
  Json list = Json::array();
  for (const std::string& rel : files) {
    if (rel == "index.json") continue;
    const auto [digest, size] = hash_file(record_dir / rel);
    list.push_back({{"path", rel},
                    {"bytes", static_cast<std::uint64_t>(size)},
                    {"sha256", crypto::to_hex(digest)}});
  }
  write_record_json(record_dir / "index.json",
                    Json{{"format", "haal-record-v1"},
                         {"election_id", context.at("election_id")},
                         {"context_hash", crypto::to_hex(crypto::canonical_json_hash(context))},
                         {"files", std::move(list)}});
}

namespace {

// One 512-byte ustar header of a regular file (POSIX.1-1988 "ustar" format, IEEE Std 1003.1,
// pax section).
std::array<char, 512> ustar_header(const std::string& path, std::uintmax_t size) {
  std::array<char, 512> h{};
  std::string name = path, prefix;
  if (name.size() > 100) {
    // Split at a '/' so that the prefix has at most 155 and the name at most 100 bytes.
    std::size_t cut = name.rfind('/', 155);
    while (cut != std::string::npos && name.size() - cut - 1 > 100) cut = std::string::npos;
    if (cut == std::string::npos) throw TallyError(path + ": path too long for a ustar archive");
    prefix = name.substr(0, cut);
    name = name.substr(cut + 1);
  }
  std::memcpy(h.data(), name.data(), name.size());
  std::snprintf(h.data() + 100, 8, "%07o", 0644U);
  std::snprintf(h.data() + 108, 8, "%07o", 0U);
  std::snprintf(h.data() + 116, 8, "%07o", 0U);
  if (size > 077777777777ULL) throw TallyError(path + ": file too large for a ustar archive");
  std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(size));
  std::snprintf(h.data() + 136, 12, "%011o", 0U);
  h[156] = '0';                             // a regular file
  std::memcpy(h.data() + 257, "ustar", 6);  // magic "ustar\0"
  h[263] = '0';
  h[264] = '0';
  std::memcpy(h.data() + 345, prefix.data(), prefix.size());
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  std::snprintf(h.data() + 148, 8, "%06o", sum);  // six digits, NUL, then the space kept
  h[155] = ' ';
  return h;
}

}  // namespace

void write_record_tar(const fs::path& record_dir, const fs::path& tar) {
  const std::vector<std::string> files = list_files(record_dir);
  const fs::path tmp = tar.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw TallyError(tmp.string() + ": cannot be created");
    std::vector<char> buf(1 << 16);
    for (const std::string& rel : files) {
      const std::uintmax_t size = fs::file_size(record_dir / rel);
      const auto header = ustar_header(rel, size);
      out.write(header.data(), header.size());
      std::ifstream in(record_dir / rel, std::ios::binary);
      std::uintmax_t copied = 0;
      while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        out.write(buf.data(), in.gcount());
        copied += static_cast<std::uintmax_t>(in.gcount());
      }
      if (copied != size)
        throw TallyError((record_dir / rel).string() + ": changed while archiving");
      const std::size_t pad = (512 - size % 512) % 512;
      static const std::array<char, 512> zeros{};
      out.write(zeros.data(), static_cast<std::streamsize>(pad));
    }
    static const std::array<char, 1024> end{};
    out.write(end.data(), end.size());
    out.flush();
    if (!out) throw TallyError(tar.string() + ": write failed");
  }
  fs::rename(tmp, tar);
}

}  // namespace haal::tally
