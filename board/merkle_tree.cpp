#include "board/merkle_tree.hpp"

#include <bit>
#include <string>

namespace haal::board {

std::uint64_t MerkleTree::append_leaf_hash(const Hash& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  const std::uint64_t index = levels_[0].size() - 1;
  // Each completed pair on level h yields one node on level h + 1.
  for (std::size_t h = 0; levels_[h].size() % 2 == 0; ++h) {
    if (h + 1 == levels_.size()) levels_.emplace_back();
    const auto& level = levels_[h];
    levels_[h + 1].push_back(node_hash(level[level.size() - 2], level[level.size() - 1]));
  }
  return index;
}

const Hash& MerkleTree::leaf_hash_at(std::uint64_t index) const {
  if (index >= size()) {
    throw ProofError("leaf index " + std::to_string(index) + " is not below tree size " +
                     std::to_string(size()));
  }
  return levels_[0][index];
}

Hash MerkleTree::subtree_hash(std::uint64_t begin, std::uint64_t end) const {
  const std::uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    const auto height = static_cast<std::size_t>(std::countr_zero(n));
    return levels_[height][begin >> height];
  }
  const std::uint64_t k = largest_power_of_two_below(n);
  return node_hash(subtree_hash(begin, begin + k), subtree_hash(begin + k, end));
}

Hash MerkleTree::root(std::uint64_t tree_size) const {
  if (tree_size > size()) {
    throw ProofError("tree size " + std::to_string(tree_size) + " exceeds log size " +
                     std::to_string(size()));
  }
  if (tree_size == 0) return empty_tree_hash();
  return subtree_hash(0, tree_size);
}

void MerkleTree::path(std::uint64_t m, std::uint64_t begin, std::uint64_t end,
                      std::vector<Hash>& out) const {
  // RFC 9162 2.1.3.1: PATH(m, D[n]) for D = leaves [begin, end), m relative to begin.
  const std::uint64_t n = end - begin;
  if (n == 1) return;
  const std::uint64_t k = largest_power_of_two_below(n);
  if (m < k) {
    path(m, begin, begin + k, out);
    out.push_back(subtree_hash(begin + k, end));
  } else {
    path(m - k, begin + k, end, out);
    out.push_back(subtree_hash(begin, begin + k));
  }
}

std::vector<Hash> MerkleTree::inclusion_proof(std::uint64_t leaf_index,
                                              std::uint64_t tree_size) const {
  if (tree_size > size()) {
    throw ProofError("inclusion proof: tree size " + std::to_string(tree_size) +
                     " exceeds log size " + std::to_string(size()));
  }
  if (leaf_index >= tree_size) {
    throw ProofError("inclusion proof: leaf index " + std::to_string(leaf_index) +
                     " is not below tree size " + std::to_string(tree_size));
  }
  std::vector<Hash> out;
  path(leaf_index, 0, tree_size, out);
  return out;
}

void MerkleTree::subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                          std::vector<Hash>& out) const {
  // RFC 9162 2.1.4.1: SUBPROOF(m, D[n], b) for D = leaves [begin, end).
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(subtree_hash(begin, end));
    return;
  }
  const std::uint64_t k = largest_power_of_two_below(n);
  if (m <= k) {
    subproof(m, begin, begin + k, whole, out);
    out.push_back(subtree_hash(begin + k, end));
  } else {
    subproof(m - k, begin + k, end, false, out);
    out.push_back(subtree_hash(begin, begin + k));
  }
}

std::vector<Hash> MerkleTree::consistency_proof(std::uint64_t first_size,
                                                std::uint64_t second_size) const {
  if (second_size > size()) {
    throw ProofError("consistency proof: second size " + std::to_string(second_size) +
                     " exceeds log size " + std::to_string(size()));
  }
  if (first_size > second_size) {
    throw ProofError("consistency proof: first size " + std::to_string(first_size) +
                     " exceeds second size " + std::to_string(second_size));
  }
  std::vector<Hash> out;
  if (first_size == 0 || first_size == second_size) return out;
  subproof(first_size, 0, second_size, true, out);
  return out;
}

}  // namespace haal::board
