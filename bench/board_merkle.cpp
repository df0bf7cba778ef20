// In-memory Merkle log: appending a million leaves, roots and proofs over a million-leaf tree.
#include <benchmark/benchmark.h>

#include <random>

#include "board/merkle_tree.hpp"

namespace {

using haal::board::Hash;
using haal::board::MerkleTree;

constexpr std::uint64_t kMillion = 1'000'000;

haal::crypto::Bytes leaf_bytes(std::uint64_t i) {
  // About the size of a board entry header plus a small payload.
  haal::crypto::Bytes leaf(120, 0x5a);
  for (int b = 0; b < 8; ++b) leaf[b] = static_cast<std::uint8_t>(i >> (8 * b));
  return leaf;
}

const MerkleTree& million_tree() {
  static const MerkleTree tree = [] {
    MerkleTree t;
    for (std::uint64_t i = 0; i < kMillion; ++i) t.append_leaf(leaf_bytes(i));
    return t;
  }();
  return tree;
}

void BM_AppendMillionLeaves(benchmark::State& state) {
  std::vector<haal::crypto::Bytes> leaves;
  leaves.reserve(kMillion);
  for (std::uint64_t i = 0; i < kMillion; ++i) leaves.push_back(leaf_bytes(i));
  for (auto _ : state) {
    MerkleTree tree;
    for (const auto& leaf : leaves) tree.append_leaf(leaf);
    benchmark::DoNotOptimize(tree.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kMillion));
}
BENCHMARK(BM_AppendMillionLeaves)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_RootOfMillionTree(benchmark::State& state) {
  const auto& tree = million_tree();
  const auto size = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(tree.root(size));
}
// 2^20 is a single stored node; 999,999 needs one hash per set bit; 1,000,000 likewise.
BENCHMARK(BM_RootOfMillionTree)->Arg(1 << 19)->Arg(999'999)->Arg(1'000'000);

void BM_InclusionProofGenerate(benchmark::State& state) {
  const auto& tree = million_tree();
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    benchmark::DoNotOptimize(tree.inclusion_proof(rng() % kMillion, kMillion));
  }
}
BENCHMARK(BM_InclusionProofGenerate);

void BM_InclusionProofVerify(benchmark::State& state) {
  const auto& tree = million_tree();
  const Hash root = tree.root();
  std::mt19937_64 rng(2);
  std::vector<std::pair<std::uint64_t, std::vector<Hash>>> proofs;
  for (int i = 0; i < 1024; ++i) {
    const auto index = rng() % kMillion;
    proofs.emplace_back(index, tree.inclusion_proof(index, kMillion));
  }
  std::size_t k = 0;
  for (auto _ : state) {
    const auto& [index, path] = proofs[k++ % proofs.size()];
    if (!haal::board::verify_inclusion_var(index, kMillion, tree.leaf_hash_at(index), path, root)) {
      state.SkipWithError("proof did not verify");
      break;
    }
  }
}
BENCHMARK(BM_InclusionProofVerify);

void BM_ConsistencyProofGenerateAndVerify(benchmark::State& state) {
  const auto& tree = million_tree();
  const Hash root = tree.root();
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    const auto first = 1 + rng() % (kMillion - 1);
    const auto proof = tree.consistency_proof(first, kMillion);
    if (!haal::board::verify_consistency_var(first, kMillion, tree.root(first), root, proof)) {
      state.SkipWithError("proof did not verify");
      break;
    }
  }
}
BENCHMARK(BM_ConsistencyProofGenerateAndVerify);

}  // namespace
