#include "board/merkle.hpp"

#include <bit>

namespace haal::board {

namespace {

constexpr std::uint8_t kLeafPrefix = 0x00;
constexpr std::uint8_t kNodePrefix = 0x01;

// One hasher per thread: avoids allocating an OpenSSL context for each of the ~2n hashes.
crypto::Sha256& thread_hasher() {
  thread_local crypto::Sha256 hasher;
  return hasher;
}

std::string hex(const Hash& h) {
  return crypto::to_hex(h);
}

}  // namespace

Hash leaf_hash(crypto::ByteView leaf) {
  const std::uint8_t prefix[1] = {kLeafPrefix};
  return thread_hasher().update(crypto::ByteView(prefix, 1)).update(leaf).finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  const std::uint8_t prefix[1] = {kNodePrefix};
  return thread_hasher()
      .update(crypto::ByteView(prefix, 1))
      .update(crypto::ByteView(left))
      .update(crypto::ByteView(right))
      .finish();
}

Hash empty_tree_hash() {
  return crypto::sha256(crypto::ByteView());
}

std::uint64_t largest_power_of_two_below(std::uint64_t n) {
  if (n < 2) throw std::invalid_argument("largest_power_of_two_below: n must be >= 2");
  return std::bit_floor(n - 1);
}

namespace {

Hash mth(const std::vector<Hash>& leaves, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (n == 1) return leaves[begin];
  const std::uint64_t k = largest_power_of_two_below(n);
  return node_hash(mth(leaves, begin, begin + k), mth(leaves, begin + k, end));
}

}  // namespace

Hash root_from_leaf_hashes(const std::vector<Hash>& leaf_hashes) {
  if (leaf_hashes.empty()) return empty_tree_hash();
  return mth(leaf_hashes, 0, leaf_hashes.size());
}

Hash root_from_inclusion_proof(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf,
                               const std::vector<Hash>& audit_path) {
  // RFC 9162 2.1.3.2, steps 1-5.
  if (leaf_index >= tree_size) {
    throw ProofError("inclusion proof: leaf index " + std::to_string(leaf_index) +
                     " is not below tree size " + std::to_string(tree_size));
  }
  std::uint64_t fn = leaf_index;
  std::uint64_t sn = tree_size - 1;
  Hash r = leaf;
  for (std::size_t i = 0; i < audit_path.size(); ++i) {
    const Hash& p = audit_path[i];
    if (sn == 0) {
      throw ProofError("inclusion proof: audit path has " + std::to_string(audit_path.size()) +
                       " elements, element " + std::to_string(i) + " is superfluous");
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    throw ProofError("inclusion proof: audit path of " + std::to_string(audit_path.size()) +
                     " elements is too short for leaf " + std::to_string(leaf_index) +
                     " in tree size " + std::to_string(tree_size));
  }
  return r;
}

void check_inclusion_var(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf,
                         const std::vector<Hash>& audit_path, const Hash& root) {
  const Hash computed = root_from_inclusion_proof(leaf_index, tree_size, leaf, audit_path);
  if (computed != root) {
    throw ProofError("inclusion proof: computed root " + hex(computed) +
                     " differs from expected root " + hex(root));
  }
}

bool verify_inclusion_var(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf,
                          const std::vector<Hash>& audit_path, const Hash& root) {
  try {
    check_inclusion_var(leaf_index, tree_size, leaf, audit_path, root);
    return true;
  } catch (const ProofError&) {
    return false;
  }
}

void check_consistency_var(std::uint64_t first_size, std::uint64_t second_size,
                           const Hash& first_root, const Hash& second_root,
                           const std::vector<Hash>& proof) {
  const std::string sizes =
      " (sizes " + std::to_string(first_size) + " -> " + std::to_string(second_size) + ")";
  if (first_size > second_size) {
    throw ProofError("consistency proof: first size exceeds second size" + sizes);
  }
  if (first_size == second_size) {
    if (!proof.empty())
      throw ProofError("consistency proof: must be empty for equal sizes" + sizes);
    if (first_root != second_root) {
      throw ProofError("consistency proof: equal sizes but different roots" + sizes);
    }
    return;
  }
  if (first_size == 0) {
    // The empty tree is a prefix of every tree.
    if (!proof.empty()) throw ProofError("consistency proof: must be empty from size 0" + sizes);
    return;
  }
  // RFC 9162 2.1.4.2, steps 1-7.
  if (proof.empty()) throw ProofError("consistency proof: empty" + sizes);
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(first_size)) path.push_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = first_size - 1;
  std::uint64_t sn = second_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      throw ProofError("consistency proof: has " + std::to_string(proof.size()) +
                       " elements, too many" + sizes);
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    throw ProofError("consistency proof: has " + std::to_string(proof.size()) +
                     " elements, too few" + sizes);
  }
  if (fr != first_root) {
    throw ProofError("consistency proof: computed first root " + hex(fr) +
                     " differs from expected " + hex(first_root) + sizes);
  }
  if (sr != second_root) {
    throw ProofError("consistency proof: computed second root " + hex(sr) +
                     " differs from expected " + hex(second_root) + sizes);
  }
}

bool verify_consistency_var(std::uint64_t first_size, std::uint64_t second_size,
                            const Hash& first_root, const Hash& second_root,
                            const std::vector<Hash>& proof) {
  try {
    check_consistency_var(first_size, second_size, first_root, second_root, proof);
    return true;
  } catch (const ProofError&) {
    return false;
  }
}

}  // namespace haal::board
