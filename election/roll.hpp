// The voter roll: voter id -> Ed25519 credential public key. Published in the election record
// (ELECTION_DIR/roll.json); the collector and the verifier accept only ballots signed by a
// credential on it. Layout: docs/ballots.md ("Voter roll").
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/sha256.hpp"

namespace haal::election {

using crypto::Json;

class Roll {
 public:
  explicit Roll(std::string election_id) : election_id_(std::move(election_id)) {}

  // Returns the roll in `j` ({election_id, voters: [{voter_id, public_key}]}, voters strictly
  // sorted by voter_id, no key used twice). Throws crypto::FormatError naming the field.
  static Roll from_json(const Json& j);

  // Adds a voter. Throws std::invalid_argument for an invalid id, a key refused by
  // crypto::ed25519_public_key_problem_var (wrong length, small order, non-canonical, off the
  // curve), a voter already on the roll or a key already on the roll.
  void add(const std::string& voter_id, const crypto::Bytes& public_key);

  // Returns the voter's credential public key, or nullptr when the voter is not on the roll.
  const crypto::Bytes* find(const std::string& voter_id) const;

  const std::string& election_id() const { return election_id_; }
  std::size_t size() const { return voters_.size(); }
  const std::map<std::string, crypto::Bytes>& voters() const { return voters_; }

  // The roll.json object, and roll_hash = canonical_json_hash(to_json()).
  Json to_json() const;
  crypto::Digest hash() const;

 private:
  // add() without the key check (for a key already checked). Same throws otherwise.
  void insert(const std::string& voter_id, const crypto::Bytes& public_key);

  std::string election_id_;
  std::map<std::string, crypto::Bytes> voters_;
  std::map<crypto::Bytes, std::string> owners_;  // public key -> voter id
};

// Returns ELECTION_DIR/roll.json, or an empty roll for `election_id` when the file is absent.
// Throws crypto::FormatError when it exists but belongs to another election or is malformed.
Roll load_roll(const std::filesystem::path& election_dir, const std::string& election_id);

// Writes ELECTION_DIR/roll.json (canonical JSON).
void save_roll(const std::filesystem::path& election_dir, const Roll& roll);

}  // namespace haal::election
