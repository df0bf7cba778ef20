// Step "decrypt" of the tally ceremony (docs/record.md): each trustee, on its own machine, checks
// the mix chains and writes partial decryptions of every contest's mixed list
// (decrypt/<contest>/trustee-<i>.json, docs/ceremony.md section 11). Ciphertexts are flattened
// ballot-major: index k = n w + j for mixed ballot n, component j.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "crypto/elgamal.hpp"
#include "tally/ceremony/record.hpp"

namespace haal::tally {

struct TrusteeDecryption {
  std::uint32_t trustee = 0;
  std::size_t contests = 0;
  std::size_t ciphertexts = 0;  // over all contests
};

// Trustee side: verifies every contest's mix chain (tally/ceremony/mix.hpp verified_mix_output)
// and writes RECORD/decrypt/<contest>/trustee-<i>.json with the partial decryptions, the batched
// Chaum-Pedersen proof and signature of the trustee whose sealed store is TRUSTEE_DIR/trustee.json.
// Constant time in the share. Throws TallyError (or CeremonyError for a wrong passphrase or
// unqualified trustee).
TrusteeDecryption decrypt_as_trustee(const std::filesystem::path& record_dir,
                                     const std::filesystem::path& trustee_dir,
                                     const std::string& passphrase, std::ostream* progress);

// Returns the ciphertexts of `ballots` flattened ballot-major (index k = n w + j). Never throws
// beyond allocation.
std::vector<crypto::Ciphertext> flatten_ballot_major(
    const std::vector<crypto::CiphertextVector>& ballots);

// Returns RECORD/decrypt/<contest_id>/trustee-<trustee>.json, trustee's partial decryptions.
std::filesystem::path trustee_decryption_file(const std::filesystem::path& record_dir,
                                              const std::string& contest_id, std::uint32_t trustee);

}  // namespace haal::tally
