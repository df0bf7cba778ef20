// RFC 6962 / RFC 9162 known answers: the 8-leaf reference data used by Certificate Transparency
// implementations (google/certificate-transparency, transparency-dev/merkle testonly).
#include <catch2/catch.hpp>

#include "board/merkle_tree.hpp"

using namespace haal::board;
using haal::crypto::from_hex;
using haal::crypto::to_hex;

namespace {

const std::vector<std::string> kLeaves = {"",
                                          "00",
                                          "10",
                                          "2021",
                                          "3031",
                                          "40414243",
                                          "5051525354555657",
                                          "606162636465666768696a6b6c6d6e6f"};

// Roots for tree sizes 1..8.
const std::vector<std::string> kRoots = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

const std::vector<std::string> kLeafHashes = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"};

Hash hash_of(const std::string& hex) {
  const auto bytes = from_hex(hex);
  REQUIRE(bytes.size() == 32);
  Hash h{};
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::vector<Hash> hashes_of(const std::vector<std::string>& hexes) {
  std::vector<Hash> out;
  for (const auto& h : hexes) out.push_back(hash_of(h));
  return out;
}

std::vector<std::string> hex_of(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const auto& h : hashes) out.push_back(to_hex(h));
  return out;
}

MerkleTree reference_tree() {
  MerkleTree tree;
  for (const auto& leaf : kLeaves) tree.append_leaf(from_hex(leaf));
  return tree;
}

struct InclusionVector {
  std::uint64_t index;
  std::uint64_t size;
  std::vector<std::string> path;
};

struct ConsistencyVector {
  std::uint64_t first;
  std::uint64_t second;
  std::vector<std::string> path;
};

// Inclusion vectors (leaf indices here are 0-based).
const std::vector<InclusionVector> kInclusion = {
    {0, 1, {}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

const std::vector<ConsistencyVector> kConsistency = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

}  // namespace

TEST_CASE("RFC 6962 reference leaf hashes and empty root") {
  CHECK(to_hex(empty_tree_hash()) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (std::size_t i = 0; i < kLeaves.size(); ++i) {
    CHECK(to_hex(leaf_hash(from_hex(kLeaves[i]))) == kLeafHashes[i]);
  }
}

TEST_CASE("RFC 6962 reference roots for every prefix of the 8-leaf tree") {
  const MerkleTree tree = reference_tree();
  CHECK(tree.size() == 8);
  CHECK(tree.root(0) == empty_tree_hash());
  for (std::uint64_t size = 1; size <= 8; ++size) {
    INFO("size " << size);
    CHECK(to_hex(tree.root(size)) == kRoots[size - 1]);
    // The incremental tree agrees with the direct recursive definition.
    std::vector<Hash> prefix;
    for (std::uint64_t i = 0; i < size; ++i) prefix.push_back(tree.leaf_hash_at(i));
    CHECK(root_from_leaf_hashes(prefix) == tree.root(size));
  }
  // Interior nodes from the reference NodeHashes table.
  CHECK(to_hex(node_hash(tree.leaf_hash_at(0), tree.leaf_hash_at(1))) ==
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  CHECK(to_hex(node_hash(tree.leaf_hash_at(6), tree.leaf_hash_at(7))) ==
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0");
}

TEST_CASE("RFC 6962 reference inclusion proofs: generation and verification") {
  const MerkleTree tree = reference_tree();
  for (const auto& v : kInclusion) {
    INFO("leaf " << v.index << " size " << v.size);
    const auto proof = tree.inclusion_proof(v.index, v.size);
    CHECK(hex_of(proof) == v.path);
    const Hash leaf = leaf_hash(from_hex(kLeaves[v.index]));
    const Hash root = hash_of(kRoots[v.size - 1]);
    CHECK_NOTHROW(check_inclusion_var(v.index, v.size, leaf, hashes_of(v.path), root));
    CHECK(to_hex(root_from_inclusion_proof(v.index, v.size, leaf, hashes_of(v.path))) ==
          kRoots[v.size - 1]);
  }
}

TEST_CASE("RFC 6962 reference consistency proofs: generation and verification") {
  const MerkleTree tree = reference_tree();
  for (const auto& v : kConsistency) {
    INFO("sizes " << v.first << " -> " << v.second);
    CHECK(hex_of(tree.consistency_proof(v.first, v.second)) == v.path);
    CHECK_NOTHROW(check_consistency_var(v.first, v.second, hash_of(kRoots[v.first - 1]),
                                        hash_of(kRoots[v.second - 1]), hashes_of(v.path)));
  }
}

TEST_CASE("reference proofs fail when tampered (transparency-dev corruption probes)") {
  const MerkleTree tree = reference_tree();
  const Hash some_hash =
      hash_of("abacaba000000000000000000000000000000000000000000060061e00123456");
  for (const auto& v : kInclusion) {
    if (v.path.empty()) continue;
    INFO("leaf " << v.index << " size " << v.size);
    const Hash leaf = leaf_hash(from_hex(kLeaves[v.index]));
    const Hash root = hash_of(kRoots[v.size - 1]);
    const auto path = hashes_of(v.path);
    CHECK_FALSE(verify_inclusion_var(v.index + 1, v.size, leaf, path, root));
    CHECK_FALSE(verify_inclusion_var(v.index ^ 2, v.size, leaf, path, root));
    if (v.index > 0) CHECK_FALSE(verify_inclusion_var(v.index - 1, v.size, leaf, path, root));
    CHECK_FALSE(verify_inclusion_var(v.index, v.size * 2, leaf, path, root));
    CHECK_FALSE(verify_inclusion_var(v.index, v.size / 2, leaf, path, root));
    CHECK_FALSE(verify_inclusion_var(v.index, v.size, some_hash, path, root));
    CHECK_FALSE(verify_inclusion_var(v.index, v.size, leaf, path, empty_tree_hash()));
    auto longer = path;
    longer.push_back(root);
    CHECK_FALSE(verify_inclusion_var(v.index, v.size, leaf, longer, root));
    auto preceded = path;
    preceded.insert(preceded.begin(), root);
    CHECK_FALSE(verify_inclusion_var(v.index, v.size, leaf, preceded, root));
    auto shorter = path;
    shorter.pop_back();
    CHECK_FALSE(verify_inclusion_var(v.index, v.size, leaf, shorter, root));
  }
  for (const auto& v : kConsistency) {
    if (v.path.empty()) continue;
    INFO("sizes " << v.first << " -> " << v.second);
    const Hash r1 = hash_of(kRoots[v.first - 1]);
    const Hash r2 = hash_of(kRoots[v.second - 1]);
    const auto path = hashes_of(v.path);
    CHECK_FALSE(verify_consistency_var(v.first - 1, v.second, r1, r2, path));
    CHECK_FALSE(verify_consistency_var(v.first + 1, v.second, r1, r2, path));
    CHECK_FALSE(verify_consistency_var(v.first ^ 2, v.second, r1, r2, path));
    CHECK_FALSE(verify_consistency_var(v.first, v.second * 2, r1, r2, path));
    CHECK_FALSE(verify_consistency_var(v.first, v.second / 2, r1, r2, path));
    CHECK_FALSE(verify_consistency_var(v.first, v.second, r2, r1, path));
    CHECK_FALSE(verify_consistency_var(v.first, v.second, r1, r2, {}));
    auto extended = path;
    extended.push_back(r1);
    CHECK_FALSE(verify_consistency_var(v.first, v.second, r1, r2, extended));
    auto preceded = path;
    preceded.insert(preceded.begin(), path[0]);
    CHECK_FALSE(verify_consistency_var(v.first, v.second, r1, r2, preceded));
    auto truncated = path;
    truncated.pop_back();
    CHECK_FALSE(verify_consistency_var(v.first, v.second, r1, r2, truncated));
  }
}

TEST_CASE("consistency edge cases follow RFC 9162 and transparency-dev") {
  const Hash a = leaf_hash(from_hex("01"));
  const Hash b = leaf_hash(from_hex("02"));
  CHECK(verify_consistency_var(0, 0, a, a, {}));
  CHECK_FALSE(verify_consistency_var(0, 0, a, b, {}));
  CHECK(verify_consistency_var(0, 1, a, b, {}));
  CHECK(verify_consistency_var(1, 1, b, b, {}));
  CHECK_FALSE(verify_consistency_var(1, 1, a, b, {}));
  CHECK_FALSE(verify_consistency_var(1, 0, a, b, {}));
  CHECK_FALSE(verify_consistency_var(2, 1, a, b, {}));
  CHECK_FALSE(verify_consistency_var(1, 2, a, b, {}));
  CHECK_FALSE(verify_consistency_var(0, 1, a, a, {empty_tree_hash()}));
  CHECK_FALSE(verify_consistency_var(1, 1, a, a, {empty_tree_hash()}));
  CHECK_THROWS_WITH(check_consistency_var(3, 2, a, b, {}), Catch::Contains("first size exceeds"));
  // Inclusion in an empty tree or past the end is impossible.
  CHECK_THROWS_WITH(check_inclusion_var(0, 0, a, {}, a), Catch::Contains("leaf index 0"));
  CHECK_FALSE(verify_inclusion_var(2, 1, a, {}, a));
  CHECK(verify_inclusion_var(0, 1, a, {}, a));
  CHECK_FALSE(verify_inclusion_var(0, 1, a, {}, b));
}
