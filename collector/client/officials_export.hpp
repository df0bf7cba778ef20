// Downloading and checking a whole board, and the officials' export of the final board for the
// election record.
#pragma once

#include <vector>

#include "board/entry.hpp"
#include "board/tree_head.hpp"
#include "collector/client/http_client.hpp"
#include "crypto/ed25519.hpp"

namespace haal::collector {

// Returns entries [0, head.tree_size) from GET /api/board/entries. Throws std::runtime_error
// unless every entry parses, has sequence = index, and together they hash (RFC 9162) to
// head.root_hash. Shows progress on stderr when `progress`.
std::vector<board::BoardEntry> download_board(httplib::Client& client,
                                              const board::SignedTreeHead& head, bool progress);

// Sends a signed "export" request, checks the returned head's signature under the collector's
// published key, downloads and checks the whole board, and returns the record
// {"election_id", "final", "collector_public_key", "signed_tree_head", "entries": [...]}.
// Throws std::runtime_error on any failure.
Json export_final_board(const std::string& server_url, const ClientOptions& options,
                        const crypto::Ed25519PrivateKey& officials_key, bool progress);

}  // namespace haal::collector
