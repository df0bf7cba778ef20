// What `haal trustee` and `haal ceremony` share: the ceremony's files as the command line reads
// and writes them (context hash, ciphertext lists, public JSON) and the ceremony's status.
#pragma once

#include <filesystem>
#include <vector>

#include "ceremony/board.hpp"
#include "ceremony/parameters.hpp"
#include "cli/args.hpp"
#include "crypto/elgamal.hpp"

namespace haal::cli {

// Returns the context hash for decryption proofs: --context-hash (32 bytes in hex), else
// canonical_json_hash of ELECTION_DIR/context.json (written by `haal election seal`). Throws
// UsageError when neither is there or the option is malformed.
crypto::Bytes context_hash_of(const Args& args, const std::filesystem::path& election);

// Returns the ciphertexts of a list file {"ciphertexts": [{"alpha": hex, "beta": hex}, ...]},
// each element checked to be in `group`. Throws naming the file and the entry.
std::vector<crypto::Ciphertext> read_ciphertexts(const crypto::Group& group,
                                                 const std::filesystem::path& file);

// Writes canonical JSON and a newline to `file` atomically, mode 0644.
void write_public_json(const std::filesystem::path& file, const crypto::Json& j);

// Prints on stdout which trustees published each round, the identity message hashes and whether
// result.json is there.
void print_status(const ceremony::CeremonyParameters& params, const ceremony::CeremonyBoard& board);

}  // namespace haal::cli
