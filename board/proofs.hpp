// Inclusion and consistency proofs as published objects, with their JSON forms
// (docs/board.md, "JSON forms").
#pragma once

#include <cstdint>
#include <vector>

#include "board/json_fields.hpp"
#include "board/merkle.hpp"

namespace haal::board {

struct InclusionProof {
  std::uint64_t leaf_index{};
  std::uint64_t tree_size{};
  std::vector<Hash> audit_path;  // RFC 9162 2.1.3.1 order: from the leaf upwards

  bool operator==(const InclusionProof&) const = default;
};

struct ConsistencyProof {
  std::uint64_t first_size{};
  std::uint64_t second_size{};
  std::vector<Hash> path;  // RFC 9162 2.1.4.1 order

  bool operator==(const ConsistencyProof&) const = default;
};

// Throws ProofError unless `proof` proves `leaf` (the leaf BYTES, hashed here) under `root`.
void check_inclusion_var(const InclusionProof& proof, crypto::ByteView leaf, const Hash& root);
// Throws ProofError unless `proof` links first_root to second_root.
void check_consistency_var(const ConsistencyProof& proof, const Hash& first_root,
                           const Hash& second_root);

// {"leaf_index", "tree_size", "audit_path": [hex, ...]}
Json inclusion_proof_to_json(const InclusionProof& proof);
// Parses strictly (exact fields; leaf_index < tree_size; 32-byte hex hashes; <= 64 hashes).
InclusionProof inclusion_proof_from_json(const Json& j, std::string_view path = "inclusion_proof");

// {"first_size", "second_size", "path": [hex, ...]}
Json consistency_proof_to_json(const ConsistencyProof& proof);
// Parses strictly (exact fields; first_size <= second_size; 32-byte hex hashes; <= 128 hashes).
ConsistencyProof consistency_proof_from_json(const Json& j,
                                             std::string_view path = "consistency_proof");

}  // namespace haal::board
