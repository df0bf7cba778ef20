// A mix server as a party of its own (docs/mixnet.md section 9): its Ed25519 key, made before the
// election is sealed and pinned in context.json mix_servers, and the statement it signs after
// each shuffle. The statement binds the election context, the contest, the server's position in
// the chain and the hashes of protInfo.xml, its input list, its proof files and its output list,
// so a chain that is shortened, reordered, extended or re-signed by another key is refused.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/ed25519.hpp"
#include "crypto/json_codec.hpp"
#include "election/context.hpp"

namespace haal::tally {

using crypto::Json;

// Domain-separation tag of a mix statement's signature.
inline constexpr std::string_view kMixStatementTag = "HAAL-V1-MIX-STATEMENT";
inline constexpr std::string_view kMixStatementType = "haal-mix-statement-v1";

// A mix server's identity, unsealed from its store.
struct MixServerIdentity {
  std::string id;
  crypto::Ed25519PrivateKey key;
};

// File names in a mix server's folder (its own machine).
inline constexpr const char* kMixServerKeyFile = "mix-server-key.json";  // SECRET, 0600
inline constexpr const char* kMixServerPublicFile = "mix-server.json";

// `haal mix-server keygen`: creates SERVER_DIR (mode 0700) with the passphrase-sealed key and
// the public file {"election_id", "role": "mix-server", "id", "public_key"} for `haal election
// seal --mix-servers`. Refuses to overwrite either file. Returns the public key.
crypto::Bytes create_mix_server_key(const std::filesystem::path& server_dir,
                                    const std::string& election_id, const std::string& server_id,
                                    std::string_view passphrase);

// Returns the identity sealed in SERVER_DIR. Throws std::runtime_error on a wrong passphrase
// or a store of another election.
MixServerIdentity load_mix_server_key(const std::filesystem::path& server_dir,
                                      const std::string& election_id, std::string_view passphrase);

// Returns the 1-based chain position of `public_key` in the context's mix_servers, or 0.
unsigned mix_server_position(const election::ElectionContext& context, crypto::ByteView public_key);

// Returns the relative name of server l's signed statement in a contest's mix directory:
// "statements/LL.json" (LL = 01, 02, ...).
std::string mix_statement_file(unsigned l);

// Returns the statement server l (1-based) signs for the chain in `mix_dir` (its files must be
// written): {"type", "election_id", "context_hash", "contest_id", "position", "server_id",
// "protinfo_hash", "input_hash", "permutation_commitment_hash", "pos_commitment_hash",
// "pos_reply_hash", "output_hash"}, each hash = hex(SHA-256(the file's bytes)); the three proof
// hashes are of the empty string when the list is empty (no proof files).
Json mix_statement(const election::ElectionContext& context, std::size_t contest_index,
                   const std::filesystem::path& mix_dir, unsigned l);

// Returns the signed bytes lp(kMixStatementTag) || canonical_json_bytes(statement).
crypto::Bytes mix_statement_signed_bytes(const Json& statement);

// Signs server l's statement with `identity` and writes {"statement", "signature"} to
// mix_dir/mix_statement_file(l). Throws TallyError if `identity` is not server l of the context.
void sign_mix_statement(const election::ElectionContext& context, std::size_t contest_index,
                        const std::filesystem::path& mix_dir, unsigned l,
                        const MixServerIdentity& identity);

// Checks servers 1..servers of the chain in `mix_dir`: each statement file exists, is exactly
// the statement recomputed from the files, and is signed by the context's server of that
// position. Throws TallyError naming the first failing server. Variable time (public input).
void check_mix_statements_var(const election::ElectionContext& context, std::size_t contest_index,
                              const std::filesystem::path& mix_dir, unsigned servers);

}  // namespace haal::tally
