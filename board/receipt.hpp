// A voter's receipt: where the collector put the ballot on the board, with an inclusion proof
// under a signed tree head. It lets the voter prove later that the ballot was on the board; a
// later head that is not consistent with it exposes a collector that dropped or rewrote entries.
#pragma once

#include <cstdint>
#include <string>

#include "board/entry.hpp"
#include "board/proofs.hpp"
#include "board/tree_head.hpp"

namespace haal::board {

struct Receipt {
  std::string kind;              // "ballot" or "challenge"
  std::uint64_t board_index{};   // the entry's sequence number = leaf index
  std::uint64_t timestamp_ms{};  // the entry's timestamp (part of the leaf)
  std::string ballot_hash;       // lowercase hex SHA-256 of the canonical ballot
  std::string tracking_code;
  InclusionProof inclusion_proof;  // of the entry in the tree of signed_tree_head
  SignedTreeHead signed_tree_head;
};

// {"kind", "board_index", "timestamp_ms", "ballot_hash", "tracking_code", "inclusion_proof",
//  "signed_tree_head"} (docs/api.md, "Receipt").
Json receipt_to_json(const Receipt& receipt);
// Parses strictly; throws crypto::FormatError naming the field.
Receipt receipt_from_json(const Json& j, std::string_view path = "receipt");

// Throws ProofError unless: the head is signed by `collector_public_key`, the inclusion
// proof is for board_index in the head's tree, and the leaf built from (kind, board_index,
// timestamp_ms, payload) is included under the head's root. Variable time (public data).
void check_receipt_var(const Receipt& receipt, crypto::ByteView payload,
                       crypto::ByteView collector_public_key);

// check_receipt_var without the head's signature (for callers that verified that head already).
void check_receipt_inclusion_var(const Receipt& receipt, crypto::ByteView payload);

}  // namespace haal::board
