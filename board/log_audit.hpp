// Rebuilds a log from its leaves, in index order, and checks signed tree heads against it. The
// board runs it on every start (recovery); an independent verifier runs it on a downloaded log.
#pragma once

#include <cstdint>
#include <string>

#include "board/entry.hpp"
#include "board/merkle_tree.hpp"
#include "board/tree_head.hpp"

namespace haal::board {

// The audited log is inconsistent; what() names the entry index or the head.
class AuditError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class LogAuditor {
 public:
  // Audits log `log_id` whose heads must be signed by the Ed25519 `public_key`.
  LogAuditor(std::string log_id, crypto::Bytes public_key);
  // Resumes an audit: `tree` holds the leaves audited so far and `heads_checked` heads were
  // checked, the last of size `previous_head_size` (a standby following a growing log).
  LogAuditor(std::string log_id, crypto::Bytes public_key, MerkleTree tree,
             std::uint64_t heads_checked, std::uint64_t previous_head_size);

  // Decodes the next leaf (strictly), requires sequence == its index, adds it to the tree and
  // returns the entry. Throws AuditError("entry <i>: ...").
  BoardEntry add_leaf(crypto::ByteView leaf);

  // Checks the next signed head in issue order: log id, signature, size within the leaves added
  // so far, size not below the previous head's, root equal to the recomputed root. Throws
  // AuditError("signed tree head #<k> (size <n>, timestamp_ms <t>) ...").
  void check_head(const SignedTreeHead& sth);

  // Returns the tree of the leaves added so far.
  const MerkleTree& tree() const { return tree_; }
  // Moves the tree out (the auditor is then empty).
  MerkleTree take_tree() { return std::move(tree_); }
  std::uint64_t heads_checked() const { return heads_checked_; }
  std::uint64_t previous_head_size() const { return previous_head_size_; }

 private:
  std::string log_id_;
  crypto::Bytes public_key_;
  MerkleTree tree_;
  std::uint64_t heads_checked_ = 0;
  std::uint64_t previous_head_size_ = 0;
};

}  // namespace haal::board
