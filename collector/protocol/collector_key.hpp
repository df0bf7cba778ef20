// The collector's own Ed25519 key, which signs the board's tree heads. Made before the election is
// sealed (`haal-collector keygen`): context.json pins its public half (collector_key), and the
// collector refuses to serve with any other key. Stored as a 0600 file holding the hex seed (the
// server must restart unattended after a crash, so it cannot ask for a passphrase); a standby
// collector holds a copy of the same file.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/ed25519.hpp"

namespace haal::collector {

// Writes `key`'s seed to `path` (created with mode 0600, fsynced). Throws std::runtime_error
// naming the file if it exists or cannot be written.
void write_collector_key(const std::filesystem::path& path, const crypto::Ed25519PrivateKey& key);

// Returns the key in `path`. Throws std::runtime_error naming the file if it is missing,
// unreadable or malformed.
crypto::Ed25519PrivateKey load_collector_key(const std::filesystem::path& path);

// Throws std::runtime_error unless `key`'s public half is `pinned` (context.json collector_key);
// the message names `path` and says what to do.
void require_pinned_collector_key(const crypto::Ed25519PrivateKey& key, crypto::ByteView pinned,
                                  const std::filesystem::path& path);

// Returns the default key path for a store URL: "sqlite:PATH" -> "PATH.collector-key";
// throws std::invalid_argument for other stores (--key is then required).
std::filesystem::path default_collector_key_path(const std::string& store_url);

}  // namespace haal::collector
