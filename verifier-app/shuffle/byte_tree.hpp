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
// outlive the reader and its results.
class TreeReader {
 public:
  TreeReader(ByteView data, std::string source) : data_(data), source_(std::move(source)) {}

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

  std::size_t offset() const { return pos_; }
  // Returns the bytes read since offset `start` (the serialization of what was parsed).
  ByteView since(std::size_t start) const { return data_.subspan(start, pos_ - start); }
  const std::string& source() const { return source_; }
  [[noreturn]] void fail(std::string_view field, const std::string& reason) const;

 private:
  std::uint32_t u32(std::string_view field);
  ByteView data_;
  std::string source_;
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
