#include "board/proofs.hpp"

namespace haal::board {

using crypto::FormatError;

namespace {
// A 2^64-leaf tree has audit paths of at most 64 hashes and consistency proofs of at most
// 2 * 64 (RFC 9162 2.1.4.1 adds at most one hash per level plus the first-tree recursion).
constexpr std::size_t kMaxAuditPath = 64;
constexpr std::size_t kMaxConsistencyPath = 128;
}  // namespace

void check_inclusion_var(const InclusionProof& proof, crypto::ByteView leaf, const Hash& root) {
  check_inclusion_var(proof.leaf_index, proof.tree_size, leaf_hash(leaf), proof.audit_path, root);
}

void check_consistency_var(const ConsistencyProof& proof, const Hash& first_root,
                           const Hash& second_root) {
  check_consistency_var(proof.first_size, proof.second_size, first_root, second_root, proof.path);
}

Json inclusion_proof_to_json(const InclusionProof& proof) {
  return Json{{"leaf_index", proof.leaf_index},
              {"tree_size", proof.tree_size},
              {"audit_path", hash_array_to_json(proof.audit_path)}};
}

InclusionProof inclusion_proof_from_json(const Json& j, std::string_view path) {
  require_exact_object(j, {"leaf_index", "tree_size", "audit_path"}, path);
  InclusionProof proof;
  proof.leaf_index = read_uint(j, "leaf_index", path);
  proof.tree_size = read_uint(j, "tree_size", path);
  if (proof.leaf_index >= proof.tree_size) {
    throw FormatError(std::string(path) + ".leaf_index", "must be below tree_size");
  }
  proof.audit_path = read_hash_array(j, "audit_path", path);
  if (proof.audit_path.size() > kMaxAuditPath) {
    throw FormatError(std::string(path) + ".audit_path", "more than 64 hashes");
  }
  return proof;
}

Json consistency_proof_to_json(const ConsistencyProof& proof) {
  return Json{{"first_size", proof.first_size},
              {"second_size", proof.second_size},
              {"path", hash_array_to_json(proof.path)}};
}

ConsistencyProof consistency_proof_from_json(const Json& j, std::string_view path) {
  require_exact_object(j, {"first_size", "second_size", "path"}, path);
  ConsistencyProof proof;
  proof.first_size = read_uint(j, "first_size", path);
  proof.second_size = read_uint(j, "second_size", path);
  if (proof.first_size > proof.second_size) {
    throw FormatError(std::string(path) + ".first_size", "must not exceed second_size");
  }
  proof.path = read_hash_array(j, "path", path);
  if (proof.path.size() > kMaxConsistencyPath) {
    throw FormatError(std::string(path) + ".path", "more than 128 hashes");
  }
  return proof;
}

}  // namespace haal::board
