// The bulletin board's hashing and signed bytes, re-implemented from docs/board.md: RFC 9162
// section 2.1 Merkle tree hashing, inclusion and consistency verification, the leaf encoding
// of a board entry, and the bytes of a signed tree head.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier {

using crypto::Digest;

// LH(d) = SHA-256(0x00 || d) (RFC 9162 section 2.1.1).
Digest merkle_leaf_hash(crypto::ByteView leaf);
// NH(l, r) = SHA-256(0x01 || l || r).
Digest merkle_node_hash(const Digest& left, const Digest& right);
// MTH of the leaves whose leaf hashes are given (SHA-256("") for none).
Digest merkle_root(std::span<const Digest> leaf_hashes);

// RFC 9162 section 2.1.3.2. Returns true iff `path` proves leaf `leaf_index` with hash
// `leaf_hash` is in the tree of `tree_size` leaves with root `root`.
bool merkle_verify_inclusion(std::uint64_t leaf_index, std::uint64_t tree_size,
                             const Digest& leaf_hash, std::span<const Digest> path,
                             const Digest& root);
// RFC 9162 section 2.1.4.2, with docs/board.md's edge cases (m > n never; m == n iff empty
// path and equal roots; m == 0 iff empty path).
bool merkle_verify_consistency(std::uint64_t first_size, std::uint64_t second_size,
                               const Digest& first_root, const Digest& second_root,
                               std::span<const Digest> path);

// A board entry (docs/board.md section 3).
struct BoardEntry {
  std::string kind;
  std::uint64_t sequence = 0;
  std::uint64_t timestamp_ms = 0;
  crypto::Bytes payload;
};

inline constexpr std::size_t kMaxPayloadBytes = 16u << 20;

// Returns true iff `kind` is 1..32 chars of [a-z0-9-] starting with [a-z].
bool is_valid_entry_kind(std::string_view kind);
// leaf = lp("HAAL-V1-BOARD-ENTRY") || lp(kind) || u64(sequence) || u64(timestamp_ms) || lp(payload)
crypto::Bytes encode_board_leaf(const BoardEntry& entry);

// A signed tree head (docs/board.md section 4).
struct TreeHead {
  std::string log_id;
  std::uint64_t tree_size = 0;
  Digest root_hash{};
  std::uint64_t timestamp_ms = 0;
  crypto::Bytes signature;
};

// signed = lp("HAAL-V1-TREE-HEAD") || lp(log_id) || u64(tree_size) || lp(root_hash) || u64(timestamp_ms)
crypto::Bytes tree_head_signed_bytes(const TreeHead& head);
// Returns true iff the signature is a valid Ed25519 signature under `collector_key`.
bool tree_head_signature_valid(const TreeHead& head, crypto::ByteView collector_key);

}  // namespace haal::verifier
