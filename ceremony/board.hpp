// The ceremony's public message folder, ELECTION_DIR/ceremony/: every message is one canonical
// JSON file, so trustees on offline machines can carry files between them (or the collector's
// board can relay them). Files are public (mode 0644).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "ceremony/parameters.hpp"

namespace haal::ceremony {

class CeremonyBoard {
 public:
  // The board of ELECTION_DIR (its ceremony/ subfolder, created on first publish).
  explicit CeremonyBoard(const std::filesystem::path& election_dir);

  const std::filesystem::path& directory() const { return dir_; }
  bool has(const std::string& file) const;
  // Returns the parsed file, or nullopt when it does not exist. Throws CeremonyError when it
  // exists but is not JSON.
  std::optional<Json> load(const std::string& file) const;
  // Writes canonical_json_bytes(message) + "\n". Publishing the same content again is a no-op;
  // publishing different content under an existing name throws CeremonyError (a message, once
  // out, must not change).
  void publish(const std::string& file, const Json& message) const;
  // Overwrites unconditionally (used for result.json checks and by tests that forge messages).
  void replace(const std::string& file, const Json& message) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace haal::ceremony
