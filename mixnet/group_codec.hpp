// Verificatum's representations of Haal's groups (verifier specification, section 4.4 "Groups",
// and "Representations of arithmetic objects"): byte-tree codecs of the elements and scalars,
// on the compact form of the one group layer (crypto/group.hpp), and the <pgroup> descriptions.
//   mod p (ModPGroup):  element = leaf of the compact form (bits(p)/8 + 1 bytes, big-endian)
//   P-256 (ECqPGroup):  element = node(leaf x, leaf y), 33 bytes each; the identity as (-1, -1)
//   scalar (Z_q):       leaf of bits(q)/8 + 1 bytes
#pragma once

#include <gmpxx.h>

#include <span>
#include <string>
#include <vector>

#include "crypto/base/parallel.hpp"
#include "crypto/group.hpp"
#include "mixnet/byte_tree.hpp"
#include "mixnet/random_oracle.hpp"

namespace haal::mixnet {

using crypto::ElementArray;
using crypto::SecretScalar;
using crypto::wipe;

// Verificatum's description of one of Haal's groups, as in <pgroup> of protInfo.xml (hashed
// into rho).
const std::string& verificatum_description(const crypto::Group& group);
// Returns Haal's group with this description (P-256 or an RFC 3526 group with generator 4).
// Throws FormatError naming what differs for anything else.
const crypto::Group& group_from_description(std::string_view description);

// Byte length of a scalar leaf: Java's two's-complement length of q.
std::size_t scalar_leaf_length(const crypto::Group& group);
// Serialized size of one element (every element of a group encodes to the same length).
std::size_t encoded_size(const crypto::Group& group);

// Writes the byte tree of compact element e.
void write_element(const crypto::Group& group, ByteTreeWriter& w, ByteView e);
// Reads one element's byte tree into out[0, stride) and checks group membership and canonical
// form, throwing FormatError with `field` and the offset.
void read_element(const crypto::Group& group, ByteTreeReader& r, std::uint8_t* out,
                  std::string_view field);
// Arrays: node(N) of elements. expected_size 0 accepts any size. Elements are checked on all
// cores.
void write_array(const crypto::Group& group, ByteTreeWriter& w, const ElementArray& a);
ElementArray read_array(const crypto::Group& group, ByteTreeReader& r, std::size_t expected_size,
                        std::string_view field);
// Scalars: a leaf of scalar_leaf_length() bytes, value in [0, q).
void write_scalar(const crypto::Group& group, ByteTreeWriter& w, const mpz_class& k);
mpz_class read_scalar(const crypto::Group& group, ByteTreeReader& r, std::string_view field);
std::vector<mpz_class> read_scalars(const crypto::Group& group, ByteTreeReader& r,
                                    std::size_t expected_size, std::string_view field);
void write_scalars(const crypto::Group& group, ByteTreeWriter& w, std::span<const mpz_class> ks);

// Verificatum's randomElementArray(n, prg, statdist) drawing from prg (the independent
// generators; crypto::Group::random_elements_var).
ElementArray random_elements(const crypto::Group& group, HashPrg& prg, std::size_t n,
                             unsigned statdist);

// Two's-complement length of a non-negative integer as Java's BigInteger.toByteArray().
std::size_t java_byte_length(const mpz_class& v);

}  // namespace haal::mixnet
