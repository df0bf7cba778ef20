// What the collector and its clients read from an election directory (COMMON.md layout): the
// sealed context (manifest.json + context.json) and roll.json through the election library,
// whose parties pin the officials' and the collector's keys (docs/api.md, "Officials' key").
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"
#include "election/context.hpp"
#include "election/roll.hpp"

namespace haal::collector {

using Json = nlohmann::json;

// The manifest's voting window in unix milliseconds: [opens_at_ms, closes_at_ms).
struct VotingWindow {
  std::uint64_t opens_at_ms = 0;
  std::uint64_t closes_at_ms = UINT64_MAX;
  // Returns true iff opens_at_ms <= now_ms < closes_at_ms.
  bool contains(std::uint64_t now_ms) const {
    return opens_at_ms <= now_ms && now_ms < closes_at_ms;
  }
};

struct ElectionView {
  std::filesystem::path dir;
  std::shared_ptr<const election::ElectionContext> context;
  std::shared_ptr<const election::Roll> roll;
  crypto::Digest roll_hash{};
  VotingWindow window;

  const std::string& election_id() const { return context->election_id(); }
};

// Reads and checks the election directory (sealed context and roll).
// Throws crypto::FormatError naming the file and field, std::runtime_error on I/O errors.
ElectionView load_election_view(const std::filesystem::path& dir);

// Returns the unix milliseconds of an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SSZ".
// Throws std::invalid_argument otherwise.
std::uint64_t parse_rfc3339_utc_ms(const std::string& text);

// Returns the parsed JSON of `path`. Throws base::FileError (crypto/base/file.hpp) on I/O
// errors, std::runtime_error naming the file on syntax errors.
Json read_json_file(const std::filesystem::path& path);

// Writes `j` (pretty-printed) to `path` atomically (temporary file + rename).
void write_json_file(const std::filesystem::path& path, const Json& j);

// Returns the current unix time in milliseconds.
std::uint64_t unix_time_ms();

}  // namespace haal::collector
