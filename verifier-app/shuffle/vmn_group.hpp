// Haal's groups in Verificatum's encodings (verifier specification, "Representations of
// arithmetic objects"): how the verifier reads elements and scalars of proof files into
// crypto::Element / crypto::Scalar (membership-checked), writes them back for hashing, names the
// group in protInfo.xml, and derives the independent generators.
//
//   mod p (ModPGroup):   element = leaf of len(p) bytes, big-endian value (len = Java's
//                        two's-complement length, 257 bytes for a 2048-bit p)
//   P-256 (ECqPGroup):   element = node(leaf x, leaf y), each of len(p) = 33 bytes; the point at
//                        infinity is written as x = y = -1 (all 0xff)
//   scalar (Z_q):        leaf of len(q) bytes (256 for modp-2048's 2047-bit q, 33 for P-256)
#pragma once

#include <gmpxx.h>

#include <ostream>
#include <string>
#include <vector>

#include "crypto/group.hpp"
#include "verifier-app/shuffle/byte_tree.hpp"
#include "verifier-app/shuffle/random_oracle.hpp"

namespace haal::verifier::shuffle {

// How heavy loops run: worker threads (>= 1) and where progress lines go (null: silent).
struct Workers {
  unsigned threads = 1;
  std::ostream* progress = nullptr;
};

class VmnGroup {
 public:
  // Precondition: `group` is P-256 or a mod-p group of crypto/ (throws std::invalid_argument
  // for anything else).
  explicit VmnGroup(const crypto::Group& group);

  const crypto::Group& group() const { return group_; }
  bool is_p256() const { return p256_; }
  // The <pgroup> string Verificatum writes for this group in protInfo.xml.
  const std::string& description() const { return description_; }
  // Bytes of one serialized element subtree / scalar leaf value.
  std::size_t element_size() const { return element_size_; }
  std::size_t scalar_length() const { return scalar_length_; }

  // Parses one serialized element subtree of exactly element_size() bytes and checks group
  // membership. Throws VmnFormatError naming `where` and the byte `offset` where the subtree
  // starts in its file. Variable time (public data).
  crypto::Element decode_var(ByteView subtree, const std::string& where,
                             std::size_t offset = 0) const;
  // Returns the serialized subtree of an element.
  Bytes encode(const crypto::Element& a) const;
  // Reads a scalar leaf (length scalar_length(), value < q).
  crypto::Scalar read_scalar(TreeReader& reader, const std::string& field) const;

  // Returns n independent generators as n concatenated element subtrees: Verificatum's
  // randomElementArray with statistical distance n_r drawing from `prg`.
  //  mod p: h_i = (PRG integer of bits(p)+n_r bits mod p)^((p-1)/q).
  //  P-256: rounds drawing 2m candidates x = (PRG integer of bits(p)+n_r bits) mod p for the
  //  m generators still missing; in order, each x with x^3+ax+b a non-zero square mod p gives
  //  the point (x, y) with y the smaller of the two roots; surplus candidates are dropped.
  Bytes derive_generators(Prg& prg, std::size_t n, unsigned n_r, const Workers& workers) const;

 private:
  const crypto::Group& group_;
  bool p256_ = false;
  std::string description_;
  std::size_t element_size_ = 0;
  std::size_t scalar_length_ = 0;
  std::size_t coordinate_length_ = 0;  // len(p)
  mpz_class p_;                        // field prime (P-256) or modulus (mod p)
  mpz_class a_, b_;                    // curve coefficients (P-256)
};

// Returns the length of Java's BigInteger.toByteArray() for v >= 0: bits(v)/8 + 1.
std::size_t java_length(const mpz_class& v);
// Returns v big-endian in exactly `length` bytes (throws if it does not fit).
Bytes fixed_bytes(const mpz_class& v, std::size_t length);

}  // namespace haal::verifier::shuffle
