// The parties an election context pins besides the trustees (whom ceremony_hash pins): the
// officials' request key, the collector's tree-head key and the mix servers in chain order.
// Their public keys enter context.json, so every ballot's proofs and signature bind them and a
// record cannot be re-signed by keys made afterwards (docs/ballots.md section 3).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"

namespace haal::election {

using crypto::Json;

// Limit on the mix chain's length (docs/ballots.md section 3).
inline constexpr std::size_t kMaxMixServers = 25;  // as mixnet::create_session allows

struct MixServerParty {
  std::string id;            // [A-Za-z0-9][A-Za-z0-9._-]{0,63}, unique in the chain
  crypto::Bytes public_key;  // Ed25519, signs the server's mix statements
};

struct ElectionParties {
  crypto::Bytes officials_key;              // Ed25519, signs poll-open/close/export requests
  crypto::Bytes collector_key;              // Ed25519, signs the board's tree heads
  std::vector<MixServerParty> mix_servers;  // chain order; at least one
};

// Returns the context.json fields of `parties`: {"officials_key", "collector_key",
// "mix_servers": [{"id", "public_key"}]} (hex keys).
Json parties_to_json(const ElectionParties& parties);

// Returns the parties of a context.json object `context` (the three fields above). Every key
// must be an acceptable Ed25519 key (crypto::require_ed25519_public_key), the chain must hold
// 1..kMaxMixServers servers with distinct ids, and no key may serve two roles. Throws
// crypto::FormatError naming the field (e.g. "context.json.mix_servers[1].public_key").
ElectionParties parties_from_json(const Json& context, const std::string& path);

// Public key files made by the parties' keygen commands, all {"election_id", "role", "public_key"}
// plus "id" for a mix server; role is "officials", "collector" or "mix-server".
Json party_public_file(const std::string& election_id, const std::string& role,
                       const std::string& id, crypto::ByteView public_key);

// Returns the public key of the party file `path`, checking that it is `election_id`'s, of
// `role`, and (for a mix server) sets `id`. Throws crypto::FormatError naming the file.
crypto::Bytes read_party_public_file(const std::filesystem::path& path,
                                     const std::string& election_id, const std::string& role,
                                     std::string* id = nullptr);

}  // namespace haal::election
