// The election context: the manifest fixed together with the group, the joint public key from
// the key ceremony (whose result, hashed into ceremony_hash, pins the trustees), the per-contest
// encoding widths and the other parties' keys (officials, collector, mix servers). Its canonical
// hash, context_hash, is ProofContext.election_hash of every ballot, mix and decryption proof
// (docs/ballots.md section 3).
#pragma once

#include <filesystem>
#include <memory>

#include "crypto/elgamal.hpp"
#include "election/manifest.hpp"
#include "election/parties.hpp"

namespace haal::election {

class ElectionContext {
 public:
  // Returns the context of `manifest` sealed with the ceremony result (which must hold
  // "public_key": hex of an element of the manifest's group) and the parties' keys (checked as
  // parties_from_json does). Throws crypto::FormatError naming "ceremony/result.json.public_key"
  // when the key is missing or not a group element, or naming the party field.
  static ElectionContext seal(const Manifest& manifest, const Json& ceremony_result,
                              const ElectionParties& parties);

  // Returns the context described by `context_json` for `manifest`, checking every field
  // (manifest hash, group, widths, key membership, parties). Throws crypto::FormatError naming the
  // field.
  static ElectionContext from_json(const Manifest& manifest, const Json& context_json);

  const Manifest& manifest() const { return manifest_; }
  const crypto::Group& group() const { return *group_; }
  const crypto::Element& public_key() const { return encryptor_->public_key(); }
  const crypto::ElGamalEncryptor& encryptor() const { return *encryptor_; }
  const std::string& election_id() const { return manifest_.election_id; }
  // The context.json object and context_hash = canonical_json_hash(to_json()).
  const Json& to_json() const { return json_; }
  const crypto::Digest& hash() const { return hash_; }
  // The officials', collector's and mix servers' keys this context pins.
  const ElectionParties& parties() const { return parties_; }
  crypto::Bytes hash_bytes() const { return crypto::Bytes(hash_.begin(), hash_.end()); }
  // Width (number of elements) of contest i, in manifest order.
  std::size_t width(std::size_t contest_index) const { return widths_.at(contest_index); }

 private:
  ElectionContext(Manifest manifest, const crypto::Element& public_key, const Json& ceremony_hash,
                  ElectionParties parties);
  Manifest manifest_;
  ElectionParties parties_;
  const crypto::Group* group_;
  std::shared_ptr<const crypto::ElGamalEncryptor> encryptor_;
  std::vector<std::size_t> widths_;
  Json json_;
  crypto::Digest hash_{};
};

// File names inside ELECTION_DIR (COMMON.md).
inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kContextFile = "context.json";
inline constexpr const char* kRollFile = "roll.json";
inline constexpr const char* kCeremonyResultFile = "ceremony/result.json";

// `haal election new`: validates the manifest text, creates `election_dir` and writes its
// canonical manifest.json. Refuses to overwrite a different existing manifest. Returns it.
Manifest create_election(std::string_view manifest_text, std::string_view source,
                         const std::filesystem::path& election_dir);

// Returns the validated manifest.json of `election_dir`.
Manifest load_manifest(const std::filesystem::path& election_dir);

// Throws std::runtime_error saying to run the key ceremony first (and how) unless
// ELECTION_DIR/ceremony/result.json exists: sealing needs the ceremony's result.
void require_ceremony_result(const std::filesystem::path& election_dir);

// `haal election seal`: reads manifest.json and ceremony/result.json, writes context.json with
// `parties`. Refuses to replace a different existing context.json. Returns the context.
ElectionContext seal_election(const std::filesystem::path& election_dir,
                              const ElectionParties& parties);

// Returns the context of a sealed election directory (manifest.json + context.json, checked).
ElectionContext load_election_context(const std::filesystem::path& election_dir);

}  // namespace haal::election
