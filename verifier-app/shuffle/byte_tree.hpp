// Verificatum byte trees, read strictly and written into a hash (D. Wikstrom, "How To Implement
// A Stand-Alone Verifier for the Verificatum Mix-Net", section "Byte trees"): a leaf is
// 0x01 | u32_be(length) | bytes, a node is 0x00 | u32_be(number of children) | children.
// Independent of mixnet/: written from the specification for the verifier.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier::shuffle {

using crypto::Bytes;
using crypto::ByteView;

// A malformed Verificatum file or value; what() names the file, the field and the byte offset.
class VmnFormatError : public std::invalid_argument {
 public:
  explicit VmnFormatError(const std::string& what) : std::invalid_argument(what) {}
};

// A strict cursor over one serialized byte tree. Leaves are views into the input, which must
// outlive the reader and its results. Errors name the byte offset where the offending node,
// leaf, element or scalar starts.
class TreeReader {
 public:
  // `base`: the offset of data[0] in the file named by `source` (for a slice of a file).
  TreeReader(ByteView data, std::string source, std::size_t base = 0)
      : data_(data), source_(std::move(source)), base_(base) {}

  // Reads a node header; returns its number of children.
  std::uint32_t node(std::string_view field);
  // Reads a node header that must announce exactly `children` children.
  void node(std::uint32_t children, std::string_view field);
  // Reads a leaf; returns its bytes. With `length` given the leaf must hold exactly that many.
  ByteView leaf(std::string_view field);
  ByteView leaf(std::size_t length, std::string_view field);
  // Returns the next `length` bytes (a run of fixed-size subtrees parsed later), unparsed.
  ByteView take(std::size_t length, std::string_view field);
  // Throws unless the whole input has been read.
  void finish();

  // The current position as a file offset.
  std::size_t offset() const { return base_ + pos_; }
  // Returns the bytes read since offset() was `start` (the serialization of what was parsed).
  ByteView since(std::size_t start) const {
    return data_.subspan(start - base_, base_ + pos_ - start);
  }
  const std::string& source() const { return source_; }
  // Throws VmnFormatError for `field` at the current offset.
  [[noreturn]] void fail(std::string_view field, const std::string& reason) const;
  // Throws VmnFormatError for `field` at file offset `at` (where the element started).
  [[noreturn]] void fail_at(std::size_t at, std::string_view field,
                            const std::string& reason) const;

 private:
  // Reads the tag (0x00 node, 0x01 leaf) and length of the next header.
  std::uint32_t header(std::uint8_t tag, std::string_view field);
  ByteView data_;
  std::string source_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
};

// Writes byte-tree headers and leaves straight into a SHA-256 computation (random-oracle inputs
// are byte trees; nothing needs to be materialized).
class TreeHasher {
 public:
  explicit TreeHasher(crypto::Sha256& hash) : hash_(hash) {}
  void node(std::uint32_t children);
  void leaf(ByteView data);
  void leaf(std::string_view text);
  void leaf_u32(std::uint32_t value);
  // Feeds already serialized subtrees (e.g. an array read from a file) unchanged.
  void raw(ByteView serialized) { hash_.update(serialized); }

 private:
  crypto::Sha256& hash_;
};

// Returns the serialization of a node header / a leaf.
Bytes node_header(std::uint32_t children);
Bytes leaf_bytes(ByteView data);

}  // namespace haal::verifier::shuffle
