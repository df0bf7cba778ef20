// Everything published so far in one ceremony, loaded from the board and checked for format and
// signatures. Semantic checks (hash commitments, proofs, shares) are done by the rounds and by
// compute_ceremony_result.
#pragma once

#include <optional>
#include <ostream>
#include <vector>

#include "ceremony/board.hpp"
#include "ceremony/messages.hpp"

namespace haal::ceremony {

struct TrusteeMessages {
  Identity identity;
  std::optional<Commitment> commitment;
  std::optional<Reveal> reveal;
  std::optional<Shares> shares;
  std::optional<Complaints> complaints;
  std::optional<Answer> answer;
};

enum class Round { kCommitment, kReveal, kShares, kComplaints, kAnswer };

// Returns the file name of `trustee`'s message of `round`.
std::string round_file(Round round, std::uint32_t trustee);

class CeremonyRecord {
 public:
  // Loads every message on the board. Every identity must be present (the set of trustees is
  // fixed in round 0); other rounds may be incomplete. Throws CeremonyError listing missing
  // identities, or FormatError naming the file and field of a malformed or badly signed message
  // (such a file must be replaced by a genuine copy; it is never silently ignored). Also
  // rejects two trustees sharing a signing or encryption key.
  static CeremonyRecord load(const CeremonyParameters& params, const CeremonyBoard& board);

  const TrusteeMessages& trustee(std::uint32_t index) const { return trustees_.at(index - 1); }
  std::uint32_t count() const { return static_cast<std::uint32_t>(trustees_.size()); }
  // Returns whether trustee `index` published its message of `round`.
  bool has(Round round, std::uint32_t index) const;
  // Returns the file names of `round` not yet published (trustees ascending).
  std::vector<std::string> missing(Round round) const;
  // SHA-256 of the canonical JSON of every loaded message, by file name (ascending).
  const std::vector<FileHash>& file_hashes() const { return hashes_; }
  // Returns the hash of a loaded file, or nullopt.
  std::optional<Digest> file_hash(const std::string& file) const;

 private:
  std::vector<TrusteeMessages> trustees_;
  std::vector<FileHash> hashes_;
};

// Checks that `round` is complete. When files are missing: with allow_missing, logs them as
// absent (their trustees will be disqualified) and returns false; otherwise throws
// CeremonyError naming each missing file. Returns true when complete.
bool require_round(const CeremonyRecord& record, Round round, bool allow_missing,
                   std::ostream& log);

// Checks that `round` is complete where no deadline can excuse a missing message (`step`, e.g.
// "reveal", needs every trustee's; docs/ceremony.md section 5). Throws CeremonyError naming
// each missing file and saying that only waiting (or a new ceremony) helps; logs success.
void require_round_without_override(const CeremonyRecord& record, Round round,
                                    const std::string& step, std::ostream& log);

// Loads the identities only (round 0), for trustees who have not reached later rounds.
// Throws CeremonyError listing missing identity files.
std::vector<Identity> load_identities(const CeremonyParameters& params, const CeremonyBoard& board);

}  // namespace haal::ceremony
