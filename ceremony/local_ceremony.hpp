// Runs a whole key ceremony on one machine, every trustee in turn, through the same files and
// passphrase-sealed stores the separate machines would use. For demos and tests only: in a
// real election each trustee runs its own steps on its own machine (docs/ceremony.md).
#pragma once

#include <filesystem>
#include <ostream>

#include "ceremony/result.hpp"
#include "crypto/passphrase_box.hpp"

namespace haal::ceremony {

// Returns TRUSTEES_ROOT/trustee-<i>: where run_local_ceremony keeps trustee i's store.
std::filesystem::path local_trustee_dir(const std::filesystem::path& trustees_root,
                                        std::uint32_t trustee);

// Writes a minimal ELECTION_DIR/manifest.json for a demo ceremony: {"election_id",
// "group", "trustees": {"count", "threshold"}}. Throws CeremonyError if a manifest exists
// (real manifests come from `haal election new`).
void write_demo_manifest(const std::filesystem::path& election_dir, const std::string& election_id,
                         const std::string& group, std::uint32_t count, std::uint32_t threshold);

// Runs rounds 0-3 and finalize for trustees 1..n of ELECTION_DIR/manifest.json, each trustee's
// secrets sealed under `passphrase` in local_trustee_dir(trustees_root, i). Returns the result
// (also written to ELECTION_DIR/ceremony/result.json). Throws CeremonyError if the ceremony
// already started in that folder or fails.
CeremonyResult run_local_ceremony(const std::filesystem::path& election_dir,
                                  const std::filesystem::path& trustees_root,
                                  std::string_view passphrase, std::ostream& log,
                                  const crypto::ScryptParameters& scrypt = {});

}  // namespace haal::ceremony
