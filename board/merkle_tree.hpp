// An append-only RFC 9162 Merkle tree over leaf hashes. Keeps every complete aligned subtree
// hash, so appends cost O(1) amortised hashes and the root, inclusion proofs and consistency
// proofs of any earlier tree size cost O(log^2 n) hashes at most, without recomputation.
#pragma once

#include <cstdint>
#include <vector>

#include "board/merkle.hpp"

namespace haal::board {

class MerkleTree {
 public:
  // Appends a leaf whose HASH is `leaf` (see leaf_hash) and returns its index.
  std::uint64_t append_leaf_hash(const Hash& leaf);
  // Appends leaf_hash(leaf) and returns its index.
  std::uint64_t append_leaf(crypto::ByteView leaf) { return append_leaf_hash(leaf_hash(leaf)); }

  // Returns the number of leaves.
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

  // Returns the hash of leaf `index`. Throws ProofError unless index < size().
  const Hash& leaf_hash_at(std::uint64_t index) const;

  // Returns MTH of the first `tree_size` leaves. Throws ProofError if tree_size > size().
  Hash root(std::uint64_t tree_size) const;
  // Returns MTH of all leaves.
  Hash root() const { return root(size()); }

  // Returns PATH(leaf_index, D[tree_size]) (RFC 9162 2.1.3.1), ordered from the leaf upwards.
  // Throws ProofError unless leaf_index < tree_size <= size().
  std::vector<Hash> inclusion_proof(std::uint64_t leaf_index, std::uint64_t tree_size) const;

  // Returns PROOF(first_size, D[second_size]) (RFC 9162 2.1.4.1); empty when
  // first_size == 0 or first_size == second_size. Throws ProofError unless
  // first_size <= second_size <= size().
  std::vector<Hash> consistency_proof(std::uint64_t first_size, std::uint64_t second_size) const;

 private:
  // MTH(D[begin:end]) for a range that the RFC recursion produces. Precondition: begin < end.
  Hash subtree_hash(std::uint64_t begin, std::uint64_t end) const;
  void path(std::uint64_t m, std::uint64_t begin, std::uint64_t end, std::vector<Hash>& out) const;
  void subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                std::vector<Hash>& out) const;

  // levels_[h][i] = MTH of leaves [i * 2^h, (i + 1) * 2^h); levels_[0] are the leaf hashes.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace haal::board
