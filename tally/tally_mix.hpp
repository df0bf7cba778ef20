// Step 3 of the tally ceremony: the mix-net over each contest's column of counted ballots
// (contests are mixed separately, so a voter's choices in different contests cannot be linked
// after the mix). Each contest's chain is a Verificatum proof directory mix/<contest_id>/
// (docs/mixnet.md) bound to the election by sid = "Haal" || hex(context_hash) and to the contest
// by auxsid = "c" || the contest id's ASCII letters and digits (docs/record.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/elgamal.hpp"
#include "tally/tally_record.hpp"

namespace haal::tally {

// Returns the Verificatum session id of the election: "Haal" || hex(context_hash).
std::string mix_session_id(const crypto::Digest& context_hash);
// Returns the auxiliary session id of a contest: "c" || the contest id without characters
// outside [A-Za-z0-9].
std::string mix_auxiliary_session_id(const std::string& contest_id);

// The ciphertext vectors of contest `contest_index` (manifest order) of the ballots listed in
// RECORD/cleanse/cast.json, in that order: the contest's mix input. Each ballot is read from the
// board, its hash compared with cast.json, every element membership-checked. Throws TallyError.
std::vector<crypto::CiphertextVector> contest_mix_input(const std::filesystem::path& record_dir,
                                                        std::size_t contest_index);

struct MixStep {
  std::string contest_id;
  unsigned server = 0;   // the mix server that ran (1-based); 0: no counted ballot, no mix
  unsigned servers = 0;  // length of the chain
  std::size_t ciphertexts = 0;
  std::size_t width = 0;
};

// Runs the next mix server of every contest's chain in RECORD/mix/<contest_id>/ (the first run
// creates the chains of `servers` mix servers from cleanse/cast.json; `servers` is ignored
// after). The shuffle's randomness is drawn from the system CSPRNG and discarded. Throws
// TallyError when every server of the chain has already mixed.
std::vector<MixStep> run_next_mix_server(const std::filesystem::path& record_dir, unsigned servers,
                                         std::ostream* progress);

// Verifies contest `contest_index`'s whole mix chain (every proof of shuffle, and that its input
// is contest_mix_input) and returns the final mixed list, ballot by ballot. Returns an empty list
// for a contest with no counted ballot. Throws TallyError naming the failing mix server.
std::vector<crypto::CiphertextVector> verified_mix_output(const std::filesystem::path& record_dir,
                                                          std::size_t contest_index);

}  // namespace haal::tally
