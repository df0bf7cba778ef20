// Step "combine" of the tally ceremony (docs/record.md): anyone checks every trustee's partial
// decryptions, combines the t valid trustees of lowest index (Lagrange at 0, docs/ceremony.md
// section 11), decodes the plaintexts (decode.hpp) and counts (count.hpp).
#pragma once

#include <filesystem>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "ceremony/result.hpp"
#include "crypto/elgamal.hpp"
#include "election/context.hpp"
#include "tally/ceremony/record.hpp"

namespace haal::tally {

struct CombinedShares {
  std::vector<crypto::Element> plaintexts;  // one per ciphertext, in the same order
  std::vector<std::uint32_t> trustees_used;
  std::vector<std::string> rejected;  // one line per trustee file that failed its checks
};

// Checks every RECORD/decrypt/<contest_id>/trustee-*.json against `mixed` (the contest's mixed
// ciphertexts, ballot-major) and combines the t valid trustees of lowest index. Variable time
// (public data). Throws TallyError naming the contest when fewer than t trustees are valid, and
// naming the file for a file other than trustee-<i>.json in that folder.
CombinedShares combine_shares_var(const std::filesystem::path& record_dir,
                                  const election::ElectionContext& context,
                                  const ceremony::CeremonyResult& result,
                                  const std::string& contest_id,
                                  std::span<const crypto::Ciphertext> mixed,
                                  std::ostream* progress);

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

// Combines, decodes and counts every contest: for each, combine_shares_var, then
// plaintexts/<contest>.json (decode.hpp); then results.json (ranked contests counted by the
// manifest's method in "contests" and by the other in "ranked_alternatives"; tie-break seed = the
// final head's root hash, docs/record.md) and results.html (count.hpp). Throws TallyError when
// fewer than t trustees decrypted a contest validly.
CombineSummary combine_and_count(const std::filesystem::path& record_dir, std::ostream* progress);

}  // namespace haal::tally
