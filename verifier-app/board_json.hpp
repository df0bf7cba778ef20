// Strict parsers of the board's JSON forms (docs/board.md section 5): board entries, signed
// tree heads, inclusion and consistency proofs. Errors are crypto::FormatError naming the field.
#pragma once

#include "crypto/json_codec.hpp"
#include "verifier-app/merkle.hpp"

namespace haal::verifier {

struct InclusionProof {
  std::uint64_t leaf_index = 0;
  std::uint64_t tree_size = 0;
  std::vector<Digest> audit_path;
};

struct ConsistencyProof {
  std::uint64_t first_size = 0;
  std::uint64_t second_size = 0;
  std::vector<Digest> path;
};

// {"kind","payload" (hex),"sequence","timestamp_ms"}.
BoardEntry board_entry_from_json(const crypto::Json& j, const std::string& path);
// {"log_id","root_hash","signature","timestamp_ms","tree_size"}.
TreeHead tree_head_from_json(const crypto::Json& j, const std::string& path);
// {"audit_path","leaf_index","tree_size"}; at most 64 hashes; leaf_index < tree_size.
InclusionProof inclusion_proof_from_json(const crypto::Json& j, const std::string& path);
// {"first_size","path","second_size"}; at most 128 hashes; first_size <= second_size.
ConsistencyProof consistency_proof_from_json(const crypto::Json& j, const std::string& path);
// Returns the 32 bytes of a hex digest field.
Digest digest_from_json(const crypto::Json& j, const std::string& path);

}  // namespace haal::verifier
