#include "board/log_audit.hpp"

namespace haal::board {

LogAuditor::LogAuditor(std::string log_id, crypto::Bytes public_key)
    : log_id_(std::move(log_id)), public_key_(std::move(public_key)) {}

LogAuditor::LogAuditor(std::string log_id, crypto::Bytes public_key, MerkleTree tree,
                       std::uint64_t heads_checked, std::uint64_t previous_head_size)
    : log_id_(std::move(log_id)),
      public_key_(std::move(public_key)),
      tree_(std::move(tree)),
      heads_checked_(heads_checked),
      previous_head_size_(previous_head_size) {}

BoardEntry LogAuditor::add_leaf(crypto::ByteView leaf) {
  const std::uint64_t index = tree_.size();
  BoardEntry entry;
  try {
    entry = decode_leaf(leaf);
  } catch (const crypto::FormatError& e) {
    throw AuditError("entry " + std::to_string(index) + ": " + e.what());
  }
  if (entry.sequence != index) {
    throw AuditError("entry " + std::to_string(index) + " has sequence " +
                     std::to_string(entry.sequence));
  }
  tree_.append_leaf(leaf);
  return entry;
}

void LogAuditor::check_head(const SignedTreeHead& sth) {
  const auto& h = sth.head;
  const std::string which = "signed tree head #" + std::to_string(heads_checked_) + " (size " +
                            std::to_string(h.tree_size) + ", timestamp_ms " +
                            std::to_string(h.timestamp_ms) + ")";
  if (h.log_id != log_id_) {
    throw AuditError(which + " is for log \"" + h.log_id + "\", not \"" + log_id_ + "\"");
  }
  if (!verify_tree_head_var(sth, public_key_)) {
    throw AuditError(which + " has an invalid signature under the collector key " +
                     crypto::to_hex(public_key_));
  }
  if (h.tree_size > tree_.size()) {
    throw AuditError(which + " covers more entries than the " + std::to_string(tree_.size()) +
                     " present: entries were lost");
  }
  if (h.tree_size < previous_head_size_) {
    throw AuditError(which + " is smaller than the previous head's size " +
                     std::to_string(previous_head_size_));
  }
  const Hash recomputed = tree_.root(h.tree_size);
  if (recomputed != h.root_hash) {
    throw AuditError(which + " has root " + crypto::to_hex(h.root_hash) + " but the entries give " +
                     crypto::to_hex(recomputed) + ": the log was altered");
  }
  previous_head_size_ = h.tree_size;
  ++heads_checked_;
}

}  // namespace haal::board
