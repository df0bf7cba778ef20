// Verificatum byte trees: the encoding of every file and hash input of the Verificatum mix-net
// (Wikstrom, "How To Implement A Stand-Alone Verifier for the Verificatum Mix-Net", section 4.3).
// A leaf is 0x01 | u32_be(length) | bytes; a node is 0x00 | u32_be(children) | children.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/sha256.hpp"

namespace haal::mixnet {

using crypto::Bytes;
using crypto::ByteView;

// Malformed proof or input data; what() names the file/field and the byte offset.
class FormatError : public std::invalid_argument {
 public:
  explicit FormatError(const std::string& what) : std::invalid_argument(what) {}
};

// Where serialized byte-tree bytes go: a buffer or a running hash.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(ByteView data) = 0;
};

class BufferSink final : public ByteSink {
 public:
  void write(ByteView data) override { bytes.insert(bytes.end(), data.begin(), data.end()); }
  Bytes bytes;
};

class HashSink final : public ByteSink {
 public:
  explicit HashSink(crypto::Sha256& hash) : hash_(hash) {}
  void write(ByteView data) override { hash_.update(data); }

 private:
  crypto::Sha256& hash_;
};

// Streams a byte tree in document order. The caller keeps the structure consistent (a node
// announcing k children is followed by exactly k subtrees).
class ByteTreeWriter {
 public:
  explicit ByteTreeWriter(ByteSink& sink) : sink_(sink) {}
  // Writes a node header announcing `children` subtrees.
  void node(std::uint32_t children);
  // Writes a leaf holding `data`.
  void leaf(ByteView data);
  // Writes a leaf holding the 4-byte big-endian value (Verificatum's intToByteTree).
  void leaf_u32(std::uint32_t value);
  // Writes a leaf holding the UTF-8 bytes of `text`.
  void leaf_string(std::string_view text);

 private:
  ByteSink& sink_;
};

// Strict cursor over a serialized byte tree. Every error names `source`, the field being read
// and the byte offset where the offending element (node, leaf, element or scalar) starts.
// Zero-copy: leaves are views into the input, which must outlive them.
class ByteTreeReader {
 public:
  ByteTreeReader(ByteView data, std::string source) : data_(data), source_(std::move(source)) {}
  // A reader over a slice that starts at byte `base` of the named source (for error offsets).
  ByteTreeReader(ByteView data, std::string source, std::size_t base)
      : data_(data), source_(std::move(source)), base_(base) {}
  // Reads a node header and returns its number of children.
  std::uint32_t node(std::string_view field);
  // Reads a node header and checks it has exactly `children` children.
  void node(std::uint32_t children, std::string_view field);
  // Reads a leaf and returns its bytes.
  ByteView leaf(std::string_view field);
  // Reads a leaf that must hold exactly `length` bytes.
  ByteView leaf(std::size_t length, std::string_view field);
  // Skips one complete subtree (node or leaf) and returns a view of its serialization.
  ByteView subtree(std::string_view field);
  // Returns the next `length` bytes unparsed (for fixed-size subtrees checked elsewhere).
  ByteView raw(std::size_t length, std::string_view field);
  // Throws unless every byte has been consumed.
  void finish();
  std::size_t offset() const { return base_ + pos_; }
  const std::string& source() const { return source_; }
  // Throws FormatError for `field` at the current offset.
  [[noreturn]] void fail(std::string_view field, const std::string& reason) const;
  // Throws FormatError for `field` at `offset` (an offset() taken where the element started).
  [[noreturn]] void fail_at(std::size_t offset, std::string_view field,
                            const std::string& reason) const;

 private:
  // Reads the 5-byte header of a node (tag 0x00) or leaf (0x01); returns its length field.
  std::uint32_t read_header(std::uint8_t tag, std::string_view field);
  ByteView data_;
  std::string source_;
  std::size_t base_ = 0;
  std::size_t pos_ = 0;
};

// Returns the serialization of a leaf holding `data` (for small, one-off trees).
Bytes leaf_bytes(ByteView data);

}  // namespace haal::mixnet
