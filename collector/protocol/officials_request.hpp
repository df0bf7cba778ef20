// Officials' signed requests: open or close the polls, export the final board. The officials
// hold an Ed25519 key whose public half is DIR/officials.json; each request is a canonical JSON
// object signed with a domain tag and carries a timestamp and a fresh nonce so that a captured
// request cannot be replayed (docs/api.md, "Officials' signed requests").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "collector/protocol/rejection.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/json_codec.hpp"

namespace haal::collector {

using Json = nlohmann::json;

inline constexpr std::string_view kOfficialsRequestTag = "HAAL-V1-OFFICIALS-REQUEST";
// A request is accepted only within this distance of the collector's clock.
inline constexpr std::uint64_t kOfficialsRequestWindowMs = 5 * 60 * 1000;
inline constexpr std::string_view kActionOpenPolls = "open-polls";
inline constexpr std::string_view kActionClosePolls = "close-polls";
inline constexpr std::string_view kActionExport = "export";

struct OfficialsRequest {
  std::string action;  // "open-polls" | "close-polls" | "export"
  std::string election_id;
  std::uint64_t timestamp_ms{};
  std::string nonce;  // 32 lowercase hex characters (16 random bytes)
  // open-polls only: the roll the officials open the polls for, H(canonical roll.json), so the
  // roll is signed by the officials and fixed on the board before the first ballot.
  std::optional<std::string> roll_hash;
};

// Returns {"action", "election_id", "nonce", "timestamp_ms"} (and "roll_hash" when set).
Json officials_request_to_json(const OfficialsRequest& request);
// Returns lp(tag) || canonical_json_bytes(officials_request_to_json(request)).
crypto::Bytes officials_request_signed_bytes(const OfficialsRequest& request);
// Returns a fresh request for `action` now, with a random nonce, signed by `key`:
// {"request": {...}, "signature": hex}. Constant time in the key.
Json sign_officials_request(const std::string& action, const std::string& election_id,
                            const crypto::Ed25519PrivateKey& key,
                            const std::optional<std::string>& roll_hash = std::nullopt);

// Parses a signed request strictly and checks its signature under `public_key`, its election id
// and that |timestamp - now_ms| <= kOfficialsRequestWindowMs. Throws Rejection: 400 "bad-shape",
// 401 "bad-signature", 422 "wrong-election", 401 "stale-request". Does NOT check the nonce
// for reuse (the server keeps the nonces).
OfficialsRequest check_officials_request(const Json& signed_request, crypto::ByteView public_key,
                                         const std::string& election_id, std::uint64_t now_ms);

// Passphrase-box label of the officials' private key file.
std::string officials_key_label(const std::string& election_id);
// Writes the officials' key pair: `key_file` (passphrase box of the seed, label above, mode
// 0600) and DIR/officials.json {"election_id", "role": "officials", "public_key"}, the public file
// `haal election seal` pins in the context. Refuses to overwrite either.
void write_officials_key(const std::filesystem::path& election_dir,
                         const std::filesystem::path& key_file, const std::string& election_id,
                         const crypto::Ed25519PrivateKey& key, const std::string& passphrase);
// Writes only the private key file (as above). Refuses to overwrite it.
void write_officials_key_file(const std::filesystem::path& key_file, const std::string& election_id,
                              const crypto::Ed25519PrivateKey& key, const std::string& passphrase);
// Opens the officials' key file. Throws std::runtime_error on a wrong passphrase.
crypto::Ed25519PrivateKey read_officials_key(const std::filesystem::path& key_file,
                                             const std::string& election_id,
                                             const std::string& passphrase);

}  // namespace haal::collector
