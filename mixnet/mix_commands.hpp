// Library side of `haal mix run` and `haal mix verify`: one mix server's step of a chain of k
// servers sharing one proof directory (see session.hpp for its layout), and the verification of
// the whole chain.
//
// Ciphertext list files (--in, --out) are either Verificatum byte trees (as Ciphertexts.bt) or
// Haal JSON: [[{"alpha": hex, "beta": hex}, ... w components], ... N ballots] with elements in
// Haal's canonical hex encoding. The output is written in the input's format.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "mixnet/session.hpp"

namespace haal::mixnet {

struct MixRunOptions {
  std::filesystem::path in;
  std::filesystem::path out;
  std::filesystem::path proof_dir;
  // Used only when proof_dir holds no session yet (the first server creates it):
  std::string group = "P-256";
  unsigned servers = 1;
  std::string sid = "HaalMix";
  std::string auxsid = "default";
  std::string public_key_hex;  // election public key, Haal canonical hex
};

struct MixRunResult {
  unsigned server = 0;  // which server this run was (1-based)
  unsigned servers = 0;
  std::size_t ciphertexts = 0;
  std::size_t width = 0;
};

// Runs the next mix server of the chain in proof_dir on the list in `in` (which must equal the
// list that server has to shuffle), writes its proof into proof_dir and its output to `out`.
MixRunResult mix_run(const MixRunOptions& options, crypto::RandomSource& rng);

// Verifies every shuffle in proof_dir (protInfo.xml + nizkp/). The report names the first
// server whose proof fails; the chain stops there. `haal_profile` demands Haal's profile of
// proof parameters even when the <sid> is not a Haal session id (verify_session).
SessionReport mix_verify(const std::filesystem::path& proof_dir, bool haal_profile = false);

// Reads a ciphertext list file (byte tree or Haal JSON, see above) of any size; `json` tells
// which format it was.
CiphertextList read_list_file(const crypto::Group& group, const std::filesystem::path& path,
                              std::optional<std::size_t> width, bool& json);
void write_list_file(const crypto::Group& group, const std::filesystem::path& path,
                     const CiphertextList& list, bool json);

}  // namespace haal::mixnet
