// Strict parsers of the board's JSON forms (docs/board.md section 5): board entries, signed
// tree heads, inclusion and consistency proofs. Errors are crypto::FormatError naming the field.
#pragma once

#include <optional>
#include <string_view>

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
// Fast path for one line of board/entries.jsonl: returns the entry iff `line` is exactly
// {"kind":K,"payload":H,"sequence":S,"timestamp_ms":T} in canonical JSON with a valid kind,
// lowercase hex H of at most 16 MiB and integers S, T in uint64 -- i.e. iff parsing, the
// canonical-form check and board_entry_from_json would all accept it, with the same result.
// Returns nullopt otherwise (the caller then takes the general path, which names the error).
std::optional<BoardEntry> board_entry_from_canonical_line(std::string_view line);
// {"log_id","root_hash","signature","timestamp_ms","tree_size"}.
TreeHead tree_head_from_json(const crypto::Json& j, const std::string& path);
// {"audit_path","leaf_index","tree_size"}; at most 64 hashes; leaf_index < tree_size.
InclusionProof inclusion_proof_from_json(const crypto::Json& j, const std::string& path);
// {"first_size","path","second_size"}; at most 128 hashes; first_size <= second_size.
ConsistencyProof consistency_proof_from_json(const crypto::Json& j, const std::string& path);
// Returns the 32 bytes of a hex digest field.
Digest digest_from_json(const crypto::Json& j, const std::string& path);

}  // namespace haal::verifier
