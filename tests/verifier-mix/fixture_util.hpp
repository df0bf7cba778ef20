// Test helpers: reading a Verificatum fixture directory into memory, tampering with it, and the
// `vmnv -t` test-vector file.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "verifier-app/shuffle/mix_session.hpp"

namespace haal::verifier::test {

using crypto::Bytes;

inline std::filesystem::path data_dir() {
  return std::filesystem::path(HAAL_SOURCE_DIR) / "tests" / "data" / "verifier-mix";
}

inline Bytes read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + p.string());
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// All files of a directory, by path relative to it.
struct MemoryDir {
  std::map<std::string, Bytes> files;
  static MemoryDir load(const std::filesystem::path& root) {
    MemoryDir d;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      d.files[std::filesystem::relative(entry.path(), root).generic_string()] =
          read_bytes(entry.path());
    }
    return d;
  }
  shuffle::FileSource source() const {
    return [this](const std::string& path) -> std::optional<Bytes> {
      const auto it = files.find(path);
      if (it == files.end()) return std::nullopt;
      return it->second;
    };
  }
};

// name -> values in order of appearance (a name repeats once per party).
inline std::multimap<std::string, std::string> read_test_vectors(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::multimap<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line != "TEST VECTOR") continue;
    std::string header, value;
    std::getline(in, header);
    std::getline(in, value);
    out.emplace(header.substr(0, header.find(" - ")), value);
  }
  return out;
}

// Returns the hex integers of a printed value: "(a, b)", "((x, y),(x, y))", "abc".
inline std::vector<mpz_class> hex_integers(const std::string& printed) {
  std::vector<mpz_class> out;
  std::string token;
  for (const char c : printed + ",") {
    if (std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '-') {
      token.push_back(c);
    } else if (!token.empty()) {
      out.emplace_back(token, 16);
      token.clear();
    }
  }
  return out;
}

}  // namespace haal::verifier::test
