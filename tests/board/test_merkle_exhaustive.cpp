// Self-consistency over every tree size up to 70 and every index / size pair, against an
// independent naive evaluation of RFC 9162 2.1.1, plus tamper tests on every proof element.
#include <catch2/catch.hpp>

#include "board/merkle_tree.hpp"

using namespace haal::board;

namespace {

constexpr std::uint64_t kMaxSize = 70;

std::vector<Hash> leaf_hashes(std::uint64_t n) {
  std::vector<Hash> out;
  for (std::uint64_t i = 0; i < n; ++i) {
    haal::crypto::Bytes leaf;
    haal::crypto::append_u64_be(leaf, i * 7919);
    out.push_back(leaf_hash(leaf));
  }
  return out;
}

MerkleTree tree_of(const std::vector<Hash>& leaves) {
  MerkleTree tree;
  for (const auto& h : leaves) tree.append_leaf_hash(h);
  return tree;
}

// Every single-byte change of every element must break verification (3 byte positions each,
// all 32 for small trees to keep the run short).
template <typename Verify>
void check_every_element_flip(const std::vector<Hash>& proof, bool all_bytes, Verify verify) {
  for (std::size_t i = 0; i < proof.size(); ++i) {
    for (std::size_t byte = 0; byte < 32; ++byte) {
      if (!all_bytes && byte != 0 && byte != 13 && byte != 31) continue;
      auto tampered = proof;
      tampered[i][byte] ^= 0x01;
      INFO("element " << i << " byte " << byte);
      CHECK_FALSE(verify(tampered));
    }
  }
}

}  // namespace

TEST_CASE("incremental roots equal the recursive definition for every size") {
  const auto leaves = leaf_hashes(kMaxSize);
  const MerkleTree tree = tree_of(leaves);
  MerkleTree growing;
  for (std::uint64_t n = 0; n <= kMaxSize; ++n) {
    const std::vector<Hash> prefix(leaves.begin(), leaves.begin() + n);
    INFO("size " << n);
    CHECK(tree.root(n) == root_from_leaf_hashes(prefix));
    CHECK(growing.root() == tree.root(n));
    if (n < kMaxSize) growing.append_leaf_hash(leaves[n]);
  }
  CHECK_THROWS_WITH(tree.root(kMaxSize + 1), Catch::Contains("exceeds log size"));
}

TEST_CASE("inclusion proofs verify for every index and size, and only there") {
  const auto leaves = leaf_hashes(kMaxSize);
  const MerkleTree tree = tree_of(leaves);
  const MerkleTree big = tree_of(leaf_hashes(2 * kMaxSize));
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const Hash root = root_from_leaf_hashes({leaves.begin(), leaves.begin() + n});
    for (std::uint64_t i = 0; i < n; ++i) {
      INFO("index " << i << " size " << n);
      const auto proof = tree.inclusion_proof(i, n);
      REQUIRE(verify_inclusion_var(i, n, leaves[i], proof, root));
      // Wrong index, size, leaf or root.
      if (i + 1 < n) CHECK_FALSE(verify_inclusion_var(i + 1, n, leaves[i], proof, root));
      if (i > 0) CHECK_FALSE(verify_inclusion_var(i - 1, n, leaves[i], proof, root));
      // A size is bound by the signed tree head, not by the audit path: a path may also fit
      // a neighbouring size of the same shape, so only sizes whose paths differ must fail.
      for (const std::uint64_t wrong : {n + 1, n - 1, 2 * n, n / 2}) {
        if (wrong == n) continue;
        if (wrong <= i || big.inclusion_proof(i, wrong).size() != proof.size()) {
          INFO("wrong size " << wrong);
          CHECK_FALSE(verify_inclusion_var(i, wrong, leaves[i], proof, root));
        }
      }
      CHECK_FALSE(verify_inclusion_var(i, n, leaves[(i + 1) % kMaxSize], proof, root));
      Hash bad_root = root;
      bad_root[i % 32] ^= 0x80;
      CHECK_FALSE(verify_inclusion_var(i, n, leaves[i], proof, bad_root));
      // Extra or missing elements.
      auto longer = proof;
      longer.push_back(root);
      CHECK_FALSE(verify_inclusion_var(i, n, leaves[i], longer, root));
      if (!proof.empty()) {
        auto shorter = proof;
        shorter.pop_back();
        CHECK_FALSE(verify_inclusion_var(i, n, leaves[i], shorter, root));
      }
      check_every_element_flip(proof, n <= 16, [&](const std::vector<Hash>& p) {
        return verify_inclusion_var(i, n, leaves[i], p, root);
      });
    }
  }
}

TEST_CASE("consistency proofs verify for every pair of sizes, and only there") {
  const auto leaves = leaf_hashes(kMaxSize);
  const MerkleTree tree = tree_of(leaves);
  const MerkleTree big = tree_of(leaf_hashes(2 * kMaxSize));
  std::vector<Hash> roots;
  for (std::uint64_t n = 0; n <= kMaxSize; ++n) roots.push_back(tree.root(n));
  for (std::uint64_t n = 0; n <= kMaxSize; ++n) {
    for (std::uint64_t m = 0; m <= n; ++m) {
      INFO("sizes " << m << " -> " << n);
      const auto proof = tree.consistency_proof(m, n);
      REQUIRE(verify_consistency_var(m, n, roots[m], roots[n], proof));
      if (m == 0 || m == n) {
        CHECK(proof.empty());
        continue;
      }
      CHECK_FALSE(verify_consistency_var(m, n, roots[m - 1], roots[n], proof));
      CHECK_FALSE(verify_consistency_var(m, n, roots[m], roots[n - 1], proof));
      for (const auto& [m2, n2] : {std::pair{m - 1, n}, std::pair{m + 1, n}, std::pair{m, n + 1},
                                   std::pair{m, n - 1}, std::pair{m, 2 * n}}) {
        if (m2 > n2 || big.consistency_proof(m2, n2).size() != proof.size()) {
          INFO("wrong sizes " << m2 << " -> " << n2);
          CHECK_FALSE(verify_consistency_var(m2, n2, roots[m], roots[n], proof));
        }
      }
      CHECK_FALSE(verify_consistency_var(m, n, roots[m], roots[n], {}));
      auto longer = proof;
      longer.push_back(roots[n]);
      CHECK_FALSE(verify_consistency_var(m, n, roots[m], roots[n], longer));
      auto shorter = proof;
      shorter.pop_back();
      CHECK_FALSE(verify_consistency_var(m, n, roots[m], roots[n], shorter));
      check_every_element_flip(proof, n <= 16, [&](const std::vector<Hash>& p) {
        return verify_consistency_var(m, n, roots[m], roots[n], p);
      });
    }
  }
}

TEST_CASE("proof requests outside the tree are refused with precise errors") {
  const MerkleTree tree = tree_of(leaf_hashes(5));
  CHECK_THROWS_WITH(tree.inclusion_proof(5, 5), Catch::Contains("leaf index 5"));
  CHECK_THROWS_WITH(tree.inclusion_proof(0, 6), Catch::Contains("tree size 6 exceeds"));
  CHECK_THROWS_WITH(tree.consistency_proof(4, 3), Catch::Contains("first size 4 exceeds"));
  CHECK_THROWS_WITH(tree.consistency_proof(1, 6), Catch::Contains("second size 6 exceeds"));
  CHECK_THROWS_WITH(tree.leaf_hash_at(5), Catch::Contains("leaf index 5"));
}

TEST_CASE("a million leaves: append, root and proofs stay fast and correct", "[slow]") {
  MerkleTree tree;
  constexpr std::uint64_t n = 1'000'000;
  for (std::uint64_t i = 0; i < n; ++i) {
    haal::crypto::Bytes leaf;
    haal::crypto::append_u64_be(leaf, i);
    tree.append_leaf(leaf);
  }
  const Hash root = tree.root();
  for (const std::uint64_t i : {std::uint64_t{0}, std::uint64_t{123'457}, n - 1}) {
    const auto proof = tree.inclusion_proof(i, n);
    CHECK(proof.size() <= 20);
    if (i == 0) CHECK(proof.size() == 20);
    CHECK(verify_inclusion_var(i, n, tree.leaf_hash_at(i), proof, root));
  }
  const auto proof = tree.consistency_proof(654'321, n);
  CHECK(verify_consistency_var(654'321, n, tree.root(654'321), root, proof));
}
