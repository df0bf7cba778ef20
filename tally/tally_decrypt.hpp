// Steps 4 and 5 of the tally ceremony: each trustee, on its own machine, checks the mix chains
// and writes partial decryptions of every contest's mixed list (decrypt/<contest>/trustee-<i>.json,
// docs/ceremony.md section 11); then anyone combines t valid trustees, decodes the plaintexts
// (invalid ones marked, never dropped) and counts (plaintexts/<contest>.json, results.json,
// results.html). Ciphertexts are flattened ballot-major: index k = n w + j.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tally/tally_record.hpp"

namespace haal::tally {

struct TrusteeDecryption {
  std::uint32_t trustee = 0;
  std::size_t contests = 0;
  std::size_t ciphertexts = 0;  // over all contests
};

// Trustee side: verifies every contest's mix chain (tally_mix.hpp verified_mix_output) and writes
// RECORD/decrypt/<contest>/trustee-<i>.json with the partial decryptions, the batched
// Chaum-Pedersen proof and signature of the trustee whose sealed store is TRUSTEE_DIR/trustee.json.
// Constant time in the share. Throws TallyError (or CeremonyError for a wrong passphrase or
// unqualified trustee).
TrusteeDecryption decrypt_as_trustee(const std::filesystem::path& record_dir,
                                     const std::filesystem::path& trustee_dir,
                                     const std::string& passphrase, std::ostream* progress);

struct ContestOutcome {
  std::string contest_id;
  std::size_t ballots = 0;
  std::size_t invalid = 0;
  std::vector<std::uint32_t> trustees_used;
  std::vector<std::string> rejected;  // one line per trustee file that failed its checks
};

struct CombineSummary {
  std::vector<ContestOutcome> contests;
  std::string tie_break_seed_hex;
};

// Combines, decodes and counts every contest: checks every decrypt/<contest>/trustee-*.json,
// combines the t valid trustees of lowest index, writes plaintexts/<contest>.json, then
// results.json (ranked contests counted by instant-runoff in "contests" and by Schulze in
// "ranked_alternatives"; tie-break seed = the final head's root hash, docs/record.md) and
// results.html. Throws TallyError when fewer than t trustees decrypted a contest validly.
CombineSummary combine_and_count(const std::filesystem::path& record_dir, std::ostream* progress);

}  // namespace haal::tally
