#include "board/tree_head.hpp"

namespace haal::board {

using crypto::FormatError;

bool is_valid_log_id(std::string_view log_id) {
  if (log_id.empty() || log_id.size() > kMaxLogIdLength) return false;
  for (const char c : log_id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

crypto::Bytes tree_head_signed_bytes(const TreeHead& head) {
  if (!is_valid_log_id(head.log_id)) {
    throw std::invalid_argument("tree head: invalid log id");
  }
  crypto::Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes(kTreeHeadDomainTag));
  crypto::append_length_prefixed(out, crypto::to_bytes(head.log_id));
  crypto::append_u64_be(out, head.tree_size);
  crypto::append_length_prefixed(out, head.root_hash);
  crypto::append_u64_be(out, head.timestamp_ms);
  return out;
}

SignedTreeHead sign_tree_head(const TreeHead& head, const crypto::Ed25519PrivateKey& key) {
  return SignedTreeHead{head, key.sign(tree_head_signed_bytes(head))};
}

void check_tree_head_signature_var(const SignedTreeHead& sth, crypto::ByteView public_key) {
  if (!is_valid_log_id(sth.head.log_id)) throw ProofError("tree head: invalid log id");
  if (sth.signature.size() != crypto::kEd25519SignatureLength) {
    throw ProofError("tree head: signature has " + std::to_string(sth.signature.size()) +
                     " bytes, expected 64");
  }
  if (!crypto::ed25519_verify(public_key, tree_head_signed_bytes(sth.head), sth.signature)) {
    throw ProofError("tree head: invalid signature for log \"" + sth.head.log_id + "\" at size " +
                     std::to_string(sth.head.tree_size));
  }
}

bool verify_tree_head_var(const SignedTreeHead& sth, crypto::ByteView public_key) {
  try {
    check_tree_head_signature_var(sth, public_key);
    return true;
  } catch (const ProofError&) {
    return false;
  }
}

Json signed_tree_head_to_json(const SignedTreeHead& sth) {
  return Json{{"log_id", sth.head.log_id},
              {"tree_size", sth.head.tree_size},
              {"root_hash", crypto::to_hex(sth.head.root_hash)},
              {"timestamp_ms", sth.head.timestamp_ms},
              {"signature", crypto::to_hex(sth.signature)}};
}

SignedTreeHead signed_tree_head_from_json(const Json& j, std::string_view path) {
  require_exact_object(j, {"log_id", "tree_size", "root_hash", "timestamp_ms", "signature"}, path);
  SignedTreeHead sth;
  sth.head.log_id = read_string(j, "log_id", path);
  if (!is_valid_log_id(sth.head.log_id)) {
    throw FormatError(std::string(path) + ".log_id", "expected 1..256 printable ASCII characters");
  }
  sth.head.tree_size = read_uint(j, "tree_size", path);
  sth.head.root_hash = read_hash(j, "root_hash", path);
  sth.head.timestamp_ms = read_uint(j, "timestamp_ms", path);
  sth.signature = read_hex(j, "signature", path, crypto::kEd25519SignatureLength);
  return sth;
}

}  // namespace haal::board
