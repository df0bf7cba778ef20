// The Verificatum files of one mix chain, parsed strictly into views (verifier specification,
// "File layout" and the proof's byte-tree formats). Element subtrees are kept serialized and
// decoded (membership-checked) where they are used, so that million-element lists need not be
// held as group elements; small values are decoded here.
//
//   ciphertext list (width 1):  node(array u, array v)
//   ciphertext list (width w):  node(node(u_1 .. u_w), node(v_1 .. v_w))   u_j, v_j arrays
//   array of N elements:        node(N) of N element subtrees
//   PermutationCommitmentLL.bt: array of N elements u
//   PoSCommitmentLL.bt:         node(B[N], A', B'[N], C', D', F')   F' a ciphertext of width w
//   PoSReplyLL.bt:              node(k_A, k_B[N], k_C, k_D, k_E[N], k_F)   k_F: node of w
//                               scalars when w > 1
#pragma once

#include <string>
#include <vector>

#include "verifier-app/shuffle/vmn_group.hpp"

namespace haal::verifier::shuffle {

// N serialized element subtrees of one size.
struct ArrayView {
  std::size_t count = 0;
  std::size_t stride = 0;
  ByteView elements;       // the N subtrees
  ByteView serialized;     // node header + subtrees (what hashing sees)
  std::string name;        // for error messages, e.g. "proofs/Ciphertexts01.bt u[0]"
  std::size_t offset = 0;  // file offset of elements[0] (for error messages)
  ByteView at(std::size_t i) const { return elements.subspan(i * stride, stride); }
  // Decodes element i (membership-checked); errors name the array and index.
  crypto::Element decode_var(const VmnGroup& group, std::size_t i) const;
};

// Reads node(N) + N element subtrees. expected_count 0 accepts any N.
ArrayView read_array(TreeReader& reader, const VmnGroup& group, std::size_t expected_count,
                     const std::string& name);

struct CiphertextListView {
  std::size_t width = 0;
  std::size_t count = 0;
  std::vector<ArrayView> u;  // u[j]: component j of every ciphertext
  std::vector<ArrayView> v;
  ByteView serialized;  // the whole list
};

// Parses a whole file holding one ciphertext list of the given width. expected_count 0 accepts
// any count (all component arrays must agree).
CiphertextListView read_ciphertext_list(const VmnGroup& group, ByteView file, std::size_t width,
                                        std::size_t expected_count, const std::string& source);

// A ciphertext of width w: (a_1..a_w, b_1..b_w).
struct WideCiphertext {
  std::vector<crypto::Element> a;
  std::vector<crypto::Element> b;
};

struct PosCommitment {
  ArrayView B;
  crypto::Element A_prime;
  ArrayView B_prime;
  crypto::Element C_prime;
  crypto::Element D_prime;
  WideCiphertext F_prime;
  ByteView serialized;
};

struct PosReply {
  crypto::Scalar k_A;
  std::vector<crypto::Scalar> k_B;
  crypto::Scalar k_C;
  crypto::Scalar k_D;
  std::vector<crypto::Scalar> k_E;
  std::vector<crypto::Scalar> k_F;  // w scalars
};

// One mix server's proof files.
struct ShuffleProof {
  ArrayView u;  // permutation commitment
  PosCommitment commitment;
  PosReply reply;
};

// Parse one proof file each (the whole file is one tree of exactly these sizes; small elements
// are decoded and membership-checked here, arrays later). Throw VmnFormatError naming `source`,
// the field and the byte offset.
ArrayView read_permutation_commitment(const VmnGroup& group, ByteView file, std::size_t n,
                                      const std::string& source);
PosCommitment read_pos_commitment(const VmnGroup& group, ByteView file, std::size_t n,
                                  std::size_t width, const std::string& source);
PosReply read_pos_reply(const VmnGroup& group, ByteView file, std::size_t n, std::size_t width,
                        const std::string& source);

// FullPublicKey.bt: node(g, y). Returns y; throws VmnFormatError unless the first component is
// the group's generator.
crypto::Element read_full_public_key(const VmnGroup& group, ByteView file,
                                     const std::string& source);
// The public key widened to width w as the batching seed hashes it: node(g, y) for w = 1,
// node(node(g .. g), node(y .. y)) for w > 1.
Bytes widened_public_key(const VmnGroup& group, const crypto::Element& y, std::size_t width);

}  // namespace haal::verifier::shuffle
