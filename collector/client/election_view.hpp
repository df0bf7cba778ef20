// What the collector and its clients read from an election directory (COMMON.md layout):
// manifest.json, context.json, roll.json and officials.json. Formats: docs/api.md,
// "Election directory as read by the collector".
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"

namespace haal::collector {

using Json = nlohmann::json;

// The manifest's voting window in unix milliseconds; an absent bound is unbounded.
struct VotingWindow {
  std::optional<std::uint64_t> opens_at_ms;
  std::optional<std::uint64_t> closes_at_ms;
  // Returns true iff opens_at_ms <= now_ms < closes_at_ms (absent bounds always hold).
  bool contains(std::uint64_t now_ms) const;
};

struct ElectionView {
  std::filesystem::path dir;
  Json manifest;
  Json context;
  std::string election_id;
  const crypto::Group* group = nullptr;
  crypto::Element public_key;
  crypto::Digest manifest_hash{};
  crypto::Digest context_hash{};
  crypto::Digest roll_hash{};                   // canonical_json_hash(roll.json)
  std::map<std::string, crypto::Bytes> roll;    // voter id -> 32-byte Ed25519 credential key
  VotingWindow window;
  std::optional<crypto::Bytes> officials_public_key;  // officials.json, 32-byte Ed25519
};

// Reads and strictly checks the election directory. Throws crypto::FormatError naming the file
// and field, std::runtime_error if a file cannot be read. officials.json is optional here
// (the server requires it).
ElectionView load_election_view(const std::filesystem::path& dir);

// Returns the parsed JSON of `path`. Throws std::runtime_error naming the file on I/O or
// syntax errors.
Json read_json_file(const std::filesystem::path& path);

// Writes `j` (pretty-printed) to `path` atomically (temporary file + rename).
void write_json_file(const std::filesystem::path& path, const Json& j);

// Returns the current unix time in milliseconds.
std::uint64_t unix_time_ms();

}  // namespace haal::collector
