#include "collector/client/receipt.hpp"

namespace haal::collector {

Json receipt_to_json(const Receipt& r) {
  return {{"kind", r.kind},
          {"board_index", r.board_index},
          {"timestamp_ms", r.timestamp_ms},
          {"ballot_hash", r.ballot_hash},
          {"tracking_code", r.tracking_code},
          {"inclusion_proof", board::inclusion_proof_to_json(r.inclusion_proof)},
          {"signed_tree_head", board::signed_tree_head_to_json(r.signed_tree_head)}};
}

Receipt receipt_from_json(const Json& j, std::string_view path) {
  const std::string p(path);
  board::require_exact_object(j,
                              {"kind", "board_index", "timestamp_ms", "ballot_hash",
                               "tracking_code", "inclusion_proof", "signed_tree_head"},
                              p);
  Receipt r;
  r.kind = board::read_string(j, "kind", p);
  if (!board::is_valid_kind(r.kind)) throw crypto::FormatError(p + ".kind", "invalid kind");
  r.board_index = board::read_uint(j, "board_index", p);
  r.timestamp_ms = board::read_uint(j, "timestamp_ms", p);
  r.ballot_hash = crypto::to_hex(board::read_hash(j, "ballot_hash", p));
  r.tracking_code = board::read_string(j, "tracking_code", p);
  r.inclusion_proof =
      board::inclusion_proof_from_json(j["inclusion_proof"], p + ".inclusion_proof");
  r.signed_tree_head =
      board::signed_tree_head_from_json(j["signed_tree_head"], p + ".signed_tree_head");
  return r;
}

void check_receipt(const Receipt& receipt, crypto::ByteView payload,
                   crypto::ByteView collector_public_key) {
  board::check_tree_head_signature(receipt.signed_tree_head, collector_public_key);
  check_receipt_inclusion(receipt, payload);
}

void check_receipt_inclusion(const Receipt& receipt, crypto::ByteView payload) {
  const auto& head = receipt.signed_tree_head.head;
  if (receipt.inclusion_proof.leaf_index != receipt.board_index ||
      receipt.inclusion_proof.tree_size != head.tree_size) {
    throw board::ProofError("receipt: the inclusion proof is for leaf " +
                            std::to_string(receipt.inclusion_proof.leaf_index) + " of " +
                            std::to_string(receipt.inclusion_proof.tree_size) +
                            ", not the receipt's entry " + std::to_string(receipt.board_index) +
                            " of the signed head's " + std::to_string(head.tree_size));
  }
  const crypto::Bytes leaf =
      board::encode_leaf(board::BoardEntry{receipt.kind, receipt.board_index, receipt.timestamp_ms,
                                           crypto::Bytes(payload.begin(), payload.end())});
  board::check_inclusion(receipt.inclusion_proof, leaf, head.root_hash);
}

}  // namespace haal::collector
