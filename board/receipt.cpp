#include "board/receipt.hpp"

namespace haal::board {

Json receipt_to_json(const Receipt& r) {
  return {{"kind", r.kind},
          {"board_index", r.board_index},
          {"timestamp_ms", r.timestamp_ms},
          {"ballot_hash", r.ballot_hash},
          {"tracking_code", r.tracking_code},
          {"inclusion_proof", inclusion_proof_to_json(r.inclusion_proof)},
          {"signed_tree_head", signed_tree_head_to_json(r.signed_tree_head)}};
}

Receipt receipt_from_json(const Json& j, std::string_view path) {
  const std::string p(path);
  require_exact_object(j,
                       {"kind", "board_index", "timestamp_ms", "ballot_hash", "tracking_code",
                        "inclusion_proof", "signed_tree_head"},
                       p);
  Receipt r;
  r.kind = read_string(j, "kind", p);
  if (!is_valid_kind(r.kind)) throw crypto::FormatError(p + ".kind", "invalid kind");
  r.board_index = read_uint(j, "board_index", p);
  r.timestamp_ms = read_uint(j, "timestamp_ms", p);
  r.ballot_hash = crypto::to_hex(read_hash(j, "ballot_hash", p));
  r.tracking_code = read_string(j, "tracking_code", p);
  r.inclusion_proof = inclusion_proof_from_json(j["inclusion_proof"], p + ".inclusion_proof");
  r.signed_tree_head = signed_tree_head_from_json(j["signed_tree_head"], p + ".signed_tree_head");
  return r;
}

void check_receipt_var(const Receipt& receipt, crypto::ByteView payload,
                       crypto::ByteView collector_public_key) {
  check_tree_head_signature_var(receipt.signed_tree_head, collector_public_key);
  check_receipt_inclusion_var(receipt, payload);
}

void check_receipt_inclusion_var(const Receipt& receipt, crypto::ByteView payload) {
  const auto& head = receipt.signed_tree_head.head;
  if (receipt.inclusion_proof.leaf_index != receipt.board_index ||
      receipt.inclusion_proof.tree_size != head.tree_size) {
    throw ProofError("receipt: the inclusion proof is for leaf " +
                     std::to_string(receipt.inclusion_proof.leaf_index) + " of " +
                     std::to_string(receipt.inclusion_proof.tree_size) +
                     ", not the receipt's entry " + std::to_string(receipt.board_index) +
                     " of the signed head's " + std::to_string(head.tree_size));
  }
  const crypto::Bytes leaf =
      encode_leaf(BoardEntry{receipt.kind, receipt.board_index, receipt.timestamp_ms,
                             crypto::Bytes(payload.begin(), payload.end())});
  check_inclusion_var(receipt.inclusion_proof, leaf, head.root_hash);
}

}  // namespace haal::board
