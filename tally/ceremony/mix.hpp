// Step 3 of the tally ceremony: the mix-net over each contest's column of counted ballots
// (contests are mixed separately, so a voter's choices in different contests cannot be linked
// after the mix). Each contest's chain is a Verificatum proof directory mix/<contest_id>/
// (docs/mixnet.md) bound to the election by sid = "Haal" || hex(context_hash) and to the contest
// by auxsid = "c" || lowercase hex of the contest id's bytes (docs/record.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/elgamal.hpp"
#include "election/context.hpp"
#include "tally/ceremony/mix_server.hpp"
#include "tally/ceremony/record.hpp"

namespace haal::tally {

// Returns the Verificatum session id of the election: "Haal" || hex(context_hash).
std::string mix_session_id(const crypto::Digest& context_hash);
// Returns the auxiliary session id of a contest: "c" || lowercase hex of the contest id's bytes
// (injective over contest ids; at most 129 characters of [0-9a-f] for a 64-byte id, within
// Verificatum's 256 characters of [A-Za-z0-9]).
std::string mix_auxiliary_session_id(const std::string& contest_id);

// The mix input of every contest: for contest i (manifest order), the contest-i ciphertext
// vectors of the ballots listed in RECORD/cleanse/cast.json, in that order. The board is read
// once; each ballot's hash is compared with cast.json and every element membership-checked.
// Throws TallyError.
std::vector<std::vector<crypto::CiphertextVector>> mix_inputs(
    const std::filesystem::path& record_dir, const election::ElectionContext& context);

struct MixStep {
  std::string contest_id;
  unsigned server = 0;   // the mix server that ran (1-based); 0: no counted ballot, no mix
  unsigned servers = 0;  // length of the chain
  std::size_t ciphertexts = 0;
  std::size_t width = 0;
};

// Mix server `identity` takes its turn on every contest's chain in RECORD/mix/<contest_id>/: its
// position is that of its key in context.json mix_servers (server 1 creates the chains from
// cleanse/cast.json). It first checks every earlier server's proof of shuffle and signed
// statement and that the chain starts from the counted ballots, then shuffles, proves, and signs
// its statement. The shuffle's randomness is drawn from the system CSPRNG and discarded. Throws
// TallyError when the key is not a context mix server, when it is not this server's turn, or
// when an earlier server's work fails its check (naming that server).
std::vector<MixStep> run_mix_server_turn(const std::filesystem::path& record_dir,
                                         const MixServerIdentity& identity, std::ostream* progress);

// Verifies contest `contest_index`'s whole mix chain (Haal's profile of proof parameters, exactly
// the context's mix servers in order, every proof of shuffle and signed statement, its session
// ids, that nizkp/FullPublicKey.bt is the election's key, and that its input is `input`, the
// contest's entry of mix_inputs) and returns the final mixed list, ballot by ballot. Returns an
// empty list for a contest with no counted ballot. Throws TallyError naming the failing mix
// server, or mixnet::FormatError naming the file and field (e.g. "<vbitlenro>: 8, Haal's profile
// requires 256").
std::vector<crypto::CiphertextVector> verified_mix_output(
    const std::filesystem::path& record_dir, const election::ElectionContext& context,
    std::size_t contest_index, const std::vector<crypto::CiphertextVector>& input);

}  // namespace haal::tally
