// Signed tree heads: the collector's Ed25519 signature over (log id, tree size, root, time).
// Signed bytes are specified in docs/board.md, "Signed tree head".
#pragma once

#include <cstdint>
#include <string>

#include "board/json_fields.hpp"
#include "board/merkle.hpp"
#include "crypto/ed25519.hpp"

namespace haal::board {

inline constexpr std::string_view kTreeHeadDomainTag = "HAAL-V1-TREE-HEAD";
inline constexpr std::size_t kMaxLogIdLength = 256;

struct TreeHead {
  std::string log_id;            // the election id
  std::uint64_t tree_size{};     // number of leaves
  Hash root_hash{};              // MTH of the first tree_size leaves
  std::uint64_t timestamp_ms{};  // unix milliseconds when signed

  bool operator==(const TreeHead&) const = default;
};

struct SignedTreeHead {
  TreeHead head;
  crypto::Bytes signature;  // 64-byte Ed25519 signature of tree_head_signed_bytes(head)

  bool operator==(const SignedTreeHead&) const = default;
};

// Returns true iff log_id is 1..256 printable ASCII characters (0x21..0x7e).
bool is_valid_log_id(std::string_view log_id);

// Returns lp(tag) || lp(log_id) || u64(tree_size) || lp(root_hash) || u64(timestamp_ms).
// Throws std::invalid_argument on an invalid log id.
crypto::Bytes tree_head_signed_bytes(const TreeHead& head);

// Returns `head` signed by `key` (deterministic Ed25519). Constant time in the key.
SignedTreeHead sign_tree_head(const TreeHead& head, const crypto::Ed25519PrivateKey& key);

// Throws ProofError unless `sth` carries a valid signature under `public_key`.
void check_tree_head_signature_var(const SignedTreeHead& sth, crypto::ByteView public_key);

// Returns true iff check_tree_head_signature_var succeeds. Variable time (public data).
bool verify_tree_head_var(const SignedTreeHead& sth, crypto::ByteView public_key);

// JSON form {"log_id", "tree_size", "root_hash": hex, "timestamp_ms", "signature": hex}.
Json signed_tree_head_to_json(const SignedTreeHead& sth);
// Parses the JSON form strictly; does NOT check the signature (see check_tree_head_signature_var).
SignedTreeHead signed_tree_head_from_json(const Json& j, std::string_view path = "tree_head");

}  // namespace haal::board
