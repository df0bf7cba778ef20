#include "ceremony/board.hpp"

#include "crypto/canonical_json.hpp"

namespace haal::ceremony {

CeremonyBoard::CeremonyBoard(const std::filesystem::path& election_dir)
    : dir_(election_dir / "ceremony") {}

bool CeremonyBoard::has(const std::string& file) const {
  return std::filesystem::exists(dir_ / file);
}

std::optional<Json> CeremonyBoard::load(const std::string& file) const {
  if (!has(file)) return std::nullopt;
  return read_json_file(dir_ / file);
}

void CeremonyBoard::publish(const std::string& file, const Json& message) const {
  if (const auto existing = load(file)) {
    if (crypto::canonical_json_bytes(*existing) == crypto::canonical_json_bytes(message)) return;
    throw CeremonyError((dir_ / file).string() +
                        " already exists with different content; a published message must not "
                        "change");
  }
  replace(file, message);
}

void CeremonyBoard::replace(const std::string& file, const Json& message) const {
  std::filesystem::create_directories(dir_);
  Bytes data = crypto::canonical_json_bytes(message);
  data.push_back('\n');
  write_file_atomically(dir_ / file, data, 0644);
}

}  // namespace haal::ceremony
