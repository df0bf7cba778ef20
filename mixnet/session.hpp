// Verificatum proof directories ("nizkp", verifier specification section 7 "File layout") and
// the mix chain built on them: k mix servers shuffle in sequence, each appending its proof.
//
//   DIR/protInfo.xml                  protocol info (group, session id, width, parties)
//   DIR/nizkp/version, type, auxsid, width        text files ("3.1.0", "shuffling", ...)
//   DIR/nizkp/FullPublicKey.bt        node(g, y)
//   DIR/nizkp/Ciphertexts.bt          input list of server 1
//   DIR/nizkp/ShuffledCiphertexts.bt  output of the last server
//   DIR/nizkp/proofs/activethreshold  number of servers that shuffled
//   DIR/nizkp/proofs/PermutationCommitmentLL.bt, PoSCommitmentLL.bt, PoSReplyLL.bt,
//                    CiphertextsLL.bt  (LL = 01, 02, ...: server l's proof and output)
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/base/file.hpp"
#include "crypto/random_source.hpp"
#include "mixnet/protocol_info.hpp"
#include "mixnet/shuffle_proof.hpp"

namespace haal::mixnet {

void write_file(const std::filesystem::path& path, ByteView data);

// Parameters of a new session written by Haal.
struct SessionSetup {
  std::string sid = "HaalMix";  // [A-Za-z0-9]{1,256}
  std::string auxsid = "default";
  std::string group_name = "P-256";  // Haal group name
  std::size_t width = 1;
  unsigned servers = 1;  // k mix servers (nopart = thres = activethreshold = k)
  Bytes y;               // election public key (stored element form)
  // The servers' names and descriptions in protInfo.xml (empty: "MixServerLL", no description).
  std::vector<std::string> party_names;
  std::vector<std::string> party_descriptions;
};

// Creates DIR/protInfo.xml and the nizkp header (version, type, auxsid, width, public key,
// input list, active threshold). Party entries carry placeholder signature keys. Throws if DIR
// already holds a session.
void create_session(const std::filesystem::path& dir, const SessionSetup& setup,
                    const CiphertextList& input);

// Server l (1-based) shuffles the previous list and writes its proof and output. Returns the
// output list. Throws unless servers 1..l-1 have written theirs and l <= k, and (FormatError)
// when protInfo.xml's proof parameters are refused as by verify_session.
CiphertextList run_mix_server(const std::filesystem::path& dir, unsigned l,
                              crypto::RandomSource& rng);

struct PartyReport {
  unsigned index = 0;
  std::string name;
  bool verified = false;
  std::string failure;
  PosTrace trace;
};

struct SessionReport {
  bool ok = false;
  bool haal_profile = false;  // the parameters were checked against Haal's profile
  std::string message;        // what failed, naming the mix server
  Bytes rho;
  ElementArray generators;
  std::vector<PartyReport> parties;
  CiphertextList output;  // the verified final list
  std::string type;
};

struct VerifyOptions {
  // Demand Haal's profile (haal_profile.hpp) whatever the <sid>; a session whose <sid> is a
  // Haal session id (is_haal_session_id) gets it anyway.
  bool haal_profile = false;
  // Check servers 1..servers only (0: every server up to activethreshold).
  unsigned servers = 0;
};

// Verifies every shuffle of a proof directory (types "shuffling" and "mixing"; for "mixing" the
// decryption proof is not checked). First checks the proof parameters (check_proof_parameters:
// exactly Haal's profile for a Haal session, never weaker than it otherwise), the session ids'
// syntax (Verificatum's: at most 256 of [A-Za-z0-9_]) and that no server used Verificatum's
// pre-computation. Stops at the first failed server, naming it. Malformed files and refused
// parameters throw FormatError with file, field and offset or value. With options.servers > 0
// only servers 1..servers are checked (a chain still being mixed: the next server checks its
// predecessors) and `output` is server `servers`' list.
SessionReport verify_session(const std::filesystem::path& protinfo_xml,
                             const std::filesystem::path& nizkp_dir,
                             const VerifyOptions& options = {});

// Two-digit index as in Verificatum's file names (01, 02, ...).
std::string party_suffix(unsigned l);

}  // namespace haal::mixnet
