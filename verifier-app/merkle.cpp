#include "verifier-app/merkle.hpp"

#include <algorithm>

#include "crypto/ed25519.hpp"

namespace haal::verifier {

namespace {

Digest subtree_root(std::span<const Digest> leaves) {
  if (leaves.size() == 1) return leaves[0];
  std::size_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;  // largest power of two strictly smaller than n
  return merkle_node_hash(subtree_root(leaves.subspan(0, k)), subtree_root(leaves.subspan(k)));
}

}  // namespace

Digest merkle_leaf_hash(crypto::ByteView leaf) {
  crypto::Sha256 h;
  const std::uint8_t prefix = 0x00;
  h.update(crypto::ByteView(&prefix, 1));
  h.update(leaf);
  return h.finish();
}

Digest merkle_node_hash(const Digest& left, const Digest& right) {
  std::uint8_t buffer[65];
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer + 1);
  std::copy(right.begin(), right.end(), buffer + 33);
  return crypto::sha256(crypto::ByteView(buffer, sizeof buffer));
}

Digest merkle_root(std::span<const Digest> leaf_hashes) {
  if (leaf_hashes.empty()) return crypto::sha256(crypto::ByteView());
  return subtree_root(leaf_hashes);
}

bool merkle_verify_inclusion(std::uint64_t leaf_index, std::uint64_t tree_size,
                             const Digest& leaf_hash, std::span<const Digest> path,
                             const Digest& root) {
  if (leaf_index >= tree_size) return false;
  std::uint64_t fn = leaf_index;
  std::uint64_t sn = tree_size - 1;
  Digest r = leaf_hash;
  for (const Digest& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = merkle_node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool merkle_verify_consistency(std::uint64_t first_size, std::uint64_t second_size,
                               const Digest& first_root, const Digest& second_root,
                               std::span<const Digest> path) {
  if (first_size > second_size) return false;
  if (first_size == second_size) return path.empty() && first_root == second_root;
  if (first_size == 0) return path.empty();
  if (path.empty()) return false;
  std::vector<Digest> nodes;
  if ((first_size & (first_size - 1)) == 0) nodes.push_back(first_root);
  nodes.insert(nodes.end(), path.begin(), path.end());
  std::uint64_t fn = first_size - 1;
  std::uint64_t sn = second_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest fr = nodes[0];
  Digest sr = nodes[0];
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const Digest& c = nodes[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = merkle_node_hash(c, fr);
      sr = merkle_node_hash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = merkle_node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_root && sr == second_root && sn == 0;
}

bool is_valid_entry_kind(std::string_view kind) {
  if (kind.empty() || kind.size() > 32 || kind[0] < 'a' || kind[0] > 'z') return false;
  return std::all_of(kind.begin(), kind.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

crypto::Bytes encode_board_leaf(const BoardEntry& e) {
  crypto::Bytes out;
  out.reserve(e.payload.size() + e.kind.size() + 48);
  crypto::append_length_prefixed(out, crypto::to_bytes("HAAL-V1-BOARD-ENTRY"));
  crypto::append_length_prefixed(out, crypto::to_bytes(e.kind));
  crypto::append_u64_be(out, e.sequence);
  crypto::append_u64_be(out, e.timestamp_ms);
  crypto::append_length_prefixed(out, e.payload);
  return out;
}

crypto::Bytes tree_head_signed_bytes(const TreeHead& head) {
  crypto::Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes("HAAL-V1-TREE-HEAD"));
  crypto::append_length_prefixed(out, crypto::to_bytes(head.log_id));
  crypto::append_u64_be(out, head.tree_size);
  crypto::append_length_prefixed(out, head.root_hash);
  crypto::append_u64_be(out, head.timestamp_ms);
  return out;
}

bool tree_head_signature_valid(const TreeHead& head, crypto::ByteView collector_key) {
  return head.signature.size() == crypto::kEd25519SignatureLength &&
         crypto::ed25519_verify(collector_key, tree_head_signed_bytes(head), head.signature);
}

}  // namespace haal::verifier
