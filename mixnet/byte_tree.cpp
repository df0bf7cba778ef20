#include "mixnet/byte_tree.hpp"

#include <array>

namespace haal::mixnet {

namespace {

std::array<std::uint8_t, 5> header(std::uint8_t tag, std::uint32_t value) {
  return {tag, static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
          static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
}

}  // namespace

void ByteTreeWriter::node(std::uint32_t children) {
  sink_.write(header(0x00, children));
}

void ByteTreeWriter::leaf(ByteView data) {
  if (data.size() > 0xffffffffu) throw std::length_error("byte tree leaf longer than 2^32-1");
  sink_.write(header(0x01, static_cast<std::uint32_t>(data.size())));
  sink_.write(data);
}

void ByteTreeWriter::leaf_u32(std::uint32_t value) {
  const auto h = header(0x01, 4);
  sink_.write(h);
  const auto v = header(0, value);
  sink_.write(ByteView(v).subspan(1));
}

void ByteTreeWriter::leaf_string(std::string_view text) {
  leaf(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void ByteTreeReader::fail(std::string_view field, const std::string& reason) const {
  fail_at(base_ + pos_, field, reason);
}

void ByteTreeReader::fail_at(std::size_t offset, std::string_view field,
                             const std::string& reason) const {
  throw FormatError(source_ + ": " + std::string(field) + " at byte offset " +
                    std::to_string(offset) + ": " + reason);
}

std::uint32_t ByteTreeReader::read_header(std::uint8_t tag, std::string_view field) {
  const std::size_t at = base_ + pos_;
  const char* kind = tag == 0x00 ? "node" : "leaf";
  if (pos_ >= data_.size()) fail(field, std::string("expected a ") + kind + ", found end of data");
  if (data_[pos_] != tag) {
    fail(field, data_[pos_] == (tag ^ 0x01)
                    ? std::string("expected a ") + kind + ", found a " + (tag ? "node" : "leaf")
                    : "invalid byte tree tag " + std::to_string(data_[pos_]));
  }
  if (data_.size() - pos_ < 5) fail_at(at, field, "truncated length field");
  const std::uint32_t v = (std::uint32_t{data_[pos_ + 1]} << 24) |
                          (std::uint32_t{data_[pos_ + 2]} << 16) |
                          (std::uint32_t{data_[pos_ + 3]} << 8) | std::uint32_t{data_[pos_ + 4]};
  pos_ += 5;
  return v;
}

std::uint32_t ByteTreeReader::node(std::string_view field) {
  return read_header(0x00, field);
}

void ByteTreeReader::node(std::uint32_t children, std::string_view field) {
  const std::size_t at = base_ + pos_;
  const std::uint32_t n = node(field);
  if (n != children) {
    fail_at(at, field,
            "expected a node with " + std::to_string(children) + " children, found " +
                std::to_string(n));
  }
}

ByteView ByteTreeReader::leaf(std::string_view field) {
  const std::size_t at = base_ + pos_;
  const std::uint32_t len = read_header(0x01, field);
  if (data_.size() - pos_ < len) {
    fail_at(at, field,
            "leaf announces " + std::to_string(len) + " bytes but only " +
                std::to_string(data_.size() - pos_) + " remain");
  }
  const ByteView out = data_.subspan(pos_, len);
  pos_ += len;
  return out;
}

ByteView ByteTreeReader::leaf(std::size_t length, std::string_view field) {
  const std::size_t at = base_ + pos_;
  const ByteView out = leaf(field);
  if (out.size() != length) {
    fail_at(at, field,
            "expected a leaf of " + std::to_string(length) + " bytes, found " +
                std::to_string(out.size()));
  }
  return out;
}

ByteView ByteTreeReader::subtree(std::string_view field) {
  const std::size_t start = pos_;
  if (pos_ >= data_.size()) fail(field, "expected a byte tree, found end of data");
  if (data_[pos_] == 0x01) {
    leaf(field);
  } else {
    // Iterative walk: count of subtrees still to skip.
    std::uint64_t pending = 1;
    while (pending > 0) {
      --pending;
      if (pos_ < data_.size() && data_[pos_] == 0x00) {
        pending += node(field);
      } else {
        leaf(field);
      }
    }
  }
  return data_.subspan(start, pos_ - start);
}

ByteView ByteTreeReader::raw(std::size_t length, std::string_view field) {
  if (data_.size() - pos_ < length) {
    fail(field, "expected " + std::to_string(length) + " more bytes, only " +
                    std::to_string(data_.size() - pos_) + " remain");
  }
  const ByteView out = data_.subspan(pos_, length);
  pos_ += length;
  return out;
}

void ByteTreeReader::finish() {
  if (pos_ != data_.size()) {
    fail("end", std::to_string(data_.size() - pos_) + " trailing bytes after the byte tree");
  }
}

Bytes leaf_bytes(ByteView data) {
  BufferSink sink;
  ByteTreeWriter(sink).leaf(data);
  return std::move(sink.bytes);
}

}  // namespace haal::mixnet
