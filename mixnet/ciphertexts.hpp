// Lists of ElGamal ciphertexts of width w in Verificatum's layout, and their byte trees
// (verifier specification, section 4.5 "Ciphertexts and public keys"): a list of width 1 is
// node(array of u, array of v); of width w > 1 it is node(node(u_1..u_w), node(v_1..v_w)) where
// u_j, v_j are arrays over the list. A ciphertext (u, v) encrypts m under (g, y) as (g^r, m y^r).
#pragma once

#include <vector>

#include "mixnet/group_codec.hpp"

namespace haal::mixnet {

struct CiphertextList {
  std::size_t width = 1;
  std::vector<ElementArray> u;  // u[j][i]: component j of ciphertext i (g^r)
  std::vector<ElementArray> v;  // v[j][i]: m y^r

  CiphertextList() = default;
  CiphertextList(const crypto::Group& group, std::size_t width, std::size_t count);
  std::size_t size() const { return u.empty() ? 0 : u[0].size(); }
};

// One ciphertext of width w: a[j], b[j].
struct WideCiphertext {
  std::vector<Bytes> a;
  std::vector<Bytes> b;
};

// Byte-tree codecs. read_ciphertexts checks every element's membership; expected_size 0 accepts
// any number of ciphertexts.
void write_ciphertexts(const crypto::Group& group, ByteTreeWriter& w, const CiphertextList& list);
CiphertextList read_ciphertexts(const crypto::Group& group, ByteTreeReader& r, std::size_t width,
                                std::size_t expected_size, std::string_view field);
void write_wide_ciphertext(const crypto::Group& group, ByteTreeWriter& w, const WideCiphertext& c);
WideCiphertext read_wide_ciphertext(const crypto::Group& group, ByteTreeReader& r,
                                    std::size_t width, std::string_view field);
// The public key (g, y) widened to width w: node(g, y) or node(node(g..g), node(y..y)).
void write_wide_public_key(const crypto::Group& group, ByteTreeWriter& w, ByteView y,
                           std::size_t width);
// FullPublicKey.bt: node(g, y). Returns y after checking the first component is g.
Bytes read_full_public_key(const crypto::Group& group, ByteView file, std::string_view source);
Bytes write_full_public_key(const crypto::Group& group, ByteView y);

// Whole-file helpers (a file is exactly one byte tree).
Bytes ciphertexts_file(const crypto::Group& group, const CiphertextList& list);
CiphertextList parse_ciphertexts_file(const crypto::Group& group, ByteView file, std::size_t width,
                                      std::size_t expected_size, std::string_view source);

}  // namespace haal::mixnet
