// The collector's own Ed25519 key, which signs the board's tree heads. Stored as a 0600 file
// holding the hex seed (the server must restart unattended after a crash, so it cannot ask for
// a passphrase); its public half is published at GET /api/election and /api/board/head.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/ed25519.hpp"

namespace haal::collector {

// Returns the key in `path`, creating it (fresh, mode 0600) if the file does not exist.
// Throws std::runtime_error naming the file if it is unreadable or malformed.
crypto::Ed25519PrivateKey load_or_create_collector_key(const std::filesystem::path& path);

// Returns the default key path for a store URL: "sqlite:PATH" -> "PATH.collector-key";
// throws std::invalid_argument for other stores (--key is then required).
std::filesystem::path default_collector_key_path(const std::string& store_url);

}  // namespace haal::collector
