#include "election/roll.hpp"

#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "election/context.hpp"
#include "election/manifest.hpp"
#include "election/strict_json.hpp"

namespace haal::election {

using crypto::FormatError;

void Roll::add(const std::string& voter_id, const crypto::Bytes& public_key) {
  const std::string problem = crypto::ed25519_public_key_problem_var(public_key);
  if (!problem.empty()) {
    throw std::invalid_argument("voter \"" + voter_id + "\": credential public key: " + problem);
  }
  insert(voter_id, public_key);
}

void Roll::insert(const std::string& voter_id, const crypto::Bytes& public_key) {
  if (!is_valid_identifier(voter_id)) {
    throw std::invalid_argument("invalid voter id \"" + voter_id +
                                "\" (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})");
  }
  if (voters_.count(voter_id) > 0) {
    throw std::invalid_argument("voter \"" + voter_id + "\" is already on the roll");
  }
  const auto owner = owners_.find(public_key);
  if (owner != owners_.end()) {
    throw std::invalid_argument("voter \"" + voter_id +
                                "\": credential public key already on the roll for voter \"" +
                                owner->second + "\"");
  }
  voters_.emplace(voter_id, public_key);
  owners_.emplace(public_key, voter_id);
}

const crypto::Bytes* Roll::find(const std::string& voter_id) const {
  const auto it = voters_.find(voter_id);
  return it == voters_.end() ? nullptr : &it->second;
}

Roll Roll::from_json(const Json& j) {
  const std::string path = kRollFile;
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(j, {"election_id", "voters"}, path);
  Roll roll(crypto::require_string(j, "election_id", path));
  const Json& voters = crypto::require_array(j, "voters", path);
  const std::string* previous = nullptr;
  for (std::size_t i = 0; i < voters.size(); ++i) {
    const std::string entry = path + ".voters[" + std::to_string(i) + "]";
    if (!voters[i].is_object()) throw FormatError(entry, "must be a JSON object");
    crypto::reject_unknown_fields(voters[i], {"voter_id", "public_key"}, entry);
    const std::string& voter_id = crypto::require_string(voters[i], "voter_id", entry);
    if (previous && !(*previous < voter_id)) {
      throw FormatError(entry + ".voter_id", "voters must be strictly sorted by voter_id");
    }
    previous = &voter_id;
    const crypto::Bytes key =
        crypto::bytes_from_json(crypto::require_field(voters[i], "public_key", entry),
                                entry + ".public_key", crypto::kEd25519PublicKeyLength);
    crypto::require_ed25519_public_key(key, entry + ".public_key");
    try {
      roll.insert(voter_id, key);
    } catch (const std::invalid_argument& e) {
      throw FormatError(entry, e.what());
    }
  }
  return roll;
}

Json Roll::to_json() const {
  Json voters = Json::array();
  for (const auto& [voter_id, key] : voters_) {
    voters.push_back({{"voter_id", voter_id}, {"public_key", crypto::to_hex(key)}});
  }
  return Json{{"election_id", election_id_}, {"voters", std::move(voters)}};
}

crypto::Digest Roll::hash() const {
  return crypto::canonical_json_hash(to_json());
}

Roll load_roll(const std::filesystem::path& election_dir, const std::string& election_id) {
  const std::filesystem::path file = election_dir / kRollFile;
  if (!std::filesystem::exists(file)) return Roll(election_id);
  Roll roll = Roll::from_json(read_json_file(file));
  if (roll.election_id() != election_id) {
    throw FormatError(
        file.string() + ".election_id",
        "belongs to election \"" + roll.election_id() + "\", not \"" + election_id + "\"");
  }
  return roll;
}

void save_roll(const std::filesystem::path& election_dir, const Roll& roll) {
  write_canonical_json_file(election_dir / kRollFile, roll.to_json());
}

}  // namespace haal::election
