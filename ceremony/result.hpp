// The public outcome of a key ceremony (ELECTION_DIR/ceremony/result.json): who qualified, the
// joint public key, each qualified trustee's verification key g^{s_j} and signing key, and the
// hash of every message it was computed from. Anyone can recompute it from the messages.
#pragma once

#include <filesystem>
#include <ostream>
#include <vector>

#include "ceremony/board.hpp"
#include "ceremony/messages.hpp"
#include "ceremony/record.hpp"

namespace haal::ceremony {

struct Disqualification {
  std::uint32_t trustee = 0;
  // "missing-commitment" | "missing-reveal" | "commitment-mismatch" | "invalid-proof" |
  // "missing-shares" | "unanswered-complaint" | "invalid-revealed-share"
  std::string reason;
};

struct TrusteeKeys {
  std::uint32_t trustee = 0;
  Bytes signing_key;         // Ed25519 identity key (signs partial decryptions)
  Element verification_key;  // g^{s_j}
};

struct CeremonyResult {
  std::string election_id;
  Digest manifest_hash{};
  const crypto::Group* group = nullptr;
  std::uint32_t trustee_count = 0;
  std::uint32_t threshold = 0;
  std::vector<std::uint32_t> qualified;  // ascending
  std::vector<Disqualification> disqualified;
  Element joint_public_key;           // prod_{i in qualified} C_{i,0}
  std::vector<TrusteeKeys> trustees;  // qualified trustees, ascending
  std::vector<FileHash> messages;     // every message file, by name

  // Returns the keys of a qualified trustee, or nullptr.
  const TrusteeKeys* find(std::uint32_t trustee) const;
};

// Returns, for trustee `i` whose messages are in `record`, nullopt if it qualifies, otherwise
// why not. Variable time (public data).
std::optional<Fault> qualification_fault_var(const CeremonyParameters& params,
                                             const CeremonyRecord& record, std::uint32_t i);

// Computes the result from the board. Requires every round's messages unless allow_missing
// (then absent trustees are disqualified). Throws CeremonyError when files are missing, when
// a complaint statement verified a different version of a message than the one on the board,
// or when fewer than t trustees qualify. Logs what it checked to `log`.
CeremonyResult compute_ceremony_result(const CeremonyParameters& params, const CeremonyBoard& board,
                                       bool allow_missing, std::ostream& log);

// Returns the result.json object (docs/ceremony.md section 8).
Json ceremony_result_to_json(const CeremonyResult& result);
// Parses strictly (FormatError naming the field); checks keys are group members.
CeremonyResult ceremony_result_from_json(const Json& j, const std::string& path);
// Returns the parsed ELECTION_DIR/ceremony/result.json, after checking that its election id,
// manifest hash, group, trustee count and threshold are those of ELECTION_DIR/manifest.json
// (CeremonyError otherwise). It does not recompute the result from the messages: that is
// compute_ceremony_result's job (`haal ceremony finalize`).
CeremonyResult load_ceremony_result(const std::filesystem::path& election_dir);

// For observers and the verifier (read-only): recomputes the result from the messages in
// ELECTION_DIR/ceremony/ (absent messages count as absent, as after a deadline) and returns it
// if ceremony/result.json is present and byte-for-byte equal. Throws CeremonyError otherwise,
// or whatever compute_ceremony_result throws.
CeremonyResult verify_ceremony_result(const std::filesystem::path& election_dir, std::ostream& log);

// Writes result.json, or, when it exists, checks it is byte-for-byte the same result (throws
// CeremonyError otherwise).
void publish_ceremony_result(const CeremonyBoard& board, const CeremonyResult& result,
                             std::ostream& log);

}  // namespace haal::ceremony
