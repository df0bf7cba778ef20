// A Verificatum proof directory as Haal's record stores it (docs/record.md, mix/<contest>/):
// protInfo.xml and nizkp/, read through a file source, and the verification of its whole mix
// chain (verifier specification, "Verifying a shuffle session" / "mixing session", shuffling
// part only: Haal decrypts with its own threshold protocol, checked in stage 7).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/elgamal.hpp"
#include "verifier-app/shuffle/shuffle_verifier.hpp"

namespace haal::verifier::shuffle {

// Returns the bytes of a file relative to the session directory, or nullopt when absent.
using FileSource = std::function<std::optional<Bytes>(const std::string& relative_path)>;

// The fields of protInfo.xml the verifier uses (comments stripped; each tag must occur once).
struct ProtocolInfo {
  std::string version;     // <version>
  std::string sid;         // <sid>
  unsigned nopart = 0;     // <nopart>
  unsigned thres = 0;      // <thres>
  unsigned statdist = 0;   // <statdist>   n_r
  unsigned keywidth = 0;   // <keywidth>
  unsigned vbitlen = 0;    // <vbitlen>
  unsigned vbitlenro = 0;  // <vbitlenro>  n_v
  unsigned ebitlen = 0;    // <ebitlen>
  unsigned ebitlenro = 0;  // <ebitlenro>  n_e
  std::string prg;         // <prg>
  std::string rohash;      // <rohash>
  std::string pgroup;      // <pgroup>
  std::string corr;        // <corr>
};

// Parses protInfo.xml. Throws VmnFormatError naming the tag.
ProtocolInfo parse_protocol_info(std::string_view xml);

// rho = SHA-256(node(leaf(version), leaf(sid "." auxsid), leaf(u32 n_r), leaf(u32 n_v),
//                    leaf(u32 n_e), leaf(prg), leaf(pgroup), leaf(rohash))).
Bytes derive_rho(const ProtocolInfo& info, std::string_view auxsid);

// Returns the N independent generators as an array serialization node(N) || subtrees:
// PRG seeded with RO_256(rho | leaf("generators")), then VmnGroup::derive_generators.
Bytes derive_generator_array(const VmnGroup& group, ByteView rho, unsigned n_r, std::size_t n,
                             const Workers& workers = {});

struct ServerResult {
  unsigned index = 0;   // 1-based
  std::string failure;  // "" when the proof holds
  ShuffleTrace trace;   // filled only by verify_mix_directory(..., with_traces = true)
};

// Everything learnt from a proof directory.
struct MixChainResult {
  ProtocolInfo info;
  std::string auxsid;
  std::string type;  // nizkp/type: "shuffling" or "mixing"
  std::size_t width = 0;
  std::size_t count = 0;
  crypto::Element public_key;  // y of nizkp/FullPublicKey.bt
  Bytes rho;
  Bytes input_file;   // nizkp/Ciphertexts.bt
  Bytes output_file;  // the last server's output list
  std::vector<ServerResult> servers;
  // Problems with the directory itself (missing file, version/width/group mismatch, output
  // not chained); each names the file.
  std::vector<std::string> errors;
  bool ok() const;
};

// Reads and verifies the whole chain: L_0 = nizkp/Ciphertexts.bt; for l = 1..activethreshold
// the proof (PermutationCommitmentLL, PoSCommitmentLL, PoSReplyLL) that
// L_l = proofs/CiphertextsLL.bt is a shuffle of L_{l-1}; ShuffledCiphertexts.bt (when present)
// equals L_last. `group` must be the election's group: <pgroup> must be its description, and
// the other parameters must be Haal's profile (haal_profile.hpp; a violation is reported in
// `errors`, naming the field, and no proof is verified under other parameters).
// The servers' proofs are checked together (verify_shuffle_chain_var); with `with_traces` each
// alone instead, filling ServerResult::trace (the values `vmnv -t` prints; tests compare them).
// Throws VmnFormatError for malformed files (naming file, field and offset).
MixChainResult verify_mix_directory(const VmnGroup& group, const FileSource& files,
                                    const Workers& workers = {}, bool with_traces = false);

// Decodes a ciphertext list into per-ciphertext vectors of width w (membership-checked).
std::vector<std::vector<crypto::Ciphertext>> decode_ciphertexts(const VmnGroup& group,
                                                                const CiphertextListView& list,
                                                                const Workers& workers = {});

}  // namespace haal::verifier::shuffle

namespace haal::verifier::shuffle {

// The last server's output of a proof directory (proofs/CiphertextsLL.bt with LL =
// activethreshold), decoded. Throws VmnFormatError for a missing or malformed file.
struct MixOutput {
  std::size_t width = 0;
  std::string path;  // the file it came from, relative to the directory
  std::vector<std::vector<crypto::Ciphertext>> ciphertexts;
};
MixOutput read_mix_output(const VmnGroup& group, const FileSource& files,
                          const Workers& workers = {});

}  // namespace haal::verifier::shuffle
