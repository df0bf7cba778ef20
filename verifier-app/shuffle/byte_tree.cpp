#include "verifier-app/shuffle/byte_tree.hpp"

namespace haal::verifier::shuffle {

void TreeReader::fail(std::string_view field, const std::string& reason) const {
  fail_at(base_ + pos_, field, reason);
}

void TreeReader::fail_at(std::size_t at, std::string_view field, const std::string& reason) const {
  throw VmnFormatError(source_ + ": " + std::string(field) + " at byte " + std::to_string(at) +
                       ": " + reason);
}

std::uint32_t TreeReader::header(std::uint8_t tag, std::string_view field) {
  const std::string kind = tag == 0x00 ? "node (0x00)" : "leaf (0x01)";
  if (pos_ >= data_.size()) fail(field, "truncated: expected a " + kind.substr(0, 4));
  if (data_[pos_] != tag) {
    fail(field, "expected a " + kind + ", found tag " + std::to_string(data_[pos_]));
  }
  if (data_.size() - pos_ < 5) fail(field, "truncated length");
  const std::uint32_t v = (std::uint32_t{data_[pos_ + 1]} << 24) |
                          (std::uint32_t{data_[pos_ + 2]} << 16) |
                          (std::uint32_t{data_[pos_ + 3]} << 8) | std::uint32_t{data_[pos_ + 4]};
  pos_ += 5;
  return v;
}

std::uint32_t TreeReader::node(std::string_view field) {
  return header(0x00, field);
}

void TreeReader::node(std::uint32_t children, std::string_view field) {
  const std::size_t at = offset();
  const std::uint32_t n = node(field);
  if (n != children) {
    fail_at(at, field,
            "node has " + std::to_string(n) + " children, expected " + std::to_string(children));
  }
}

ByteView TreeReader::leaf(std::string_view field) {
  const std::size_t at = offset();
  const std::uint32_t length = header(0x01, field);
  if (data_.size() - pos_ < length)
    fail_at(at, field, "leaf of " + std::to_string(length) + " bytes runs past the end");
  const ByteView out = data_.subspan(pos_, length);
  pos_ += length;
  return out;
}

ByteView TreeReader::leaf(std::size_t length, std::string_view field) {
  const std::size_t at = offset();
  const ByteView out = leaf(field);
  if (out.size() != length) {
    fail_at(at, field,
            "leaf of " + std::to_string(out.size()) + " bytes, expected " + std::to_string(length));
  }
  return out;
}

ByteView TreeReader::take(std::size_t length, std::string_view field) {
  if (data_.size() - pos_ < length) fail(field, "truncated");
  const ByteView out = data_.subspan(pos_, length);
  pos_ += length;
  return out;
}

void TreeReader::finish() {
  if (pos_ != data_.size()) {
    fail("end", std::to_string(data_.size() - pos_) + " trailing bytes");
  }
}

Bytes node_header(std::uint32_t children) {
  Bytes out{0x00};
  crypto::append_u32_be(out, children);
  return out;
}

Bytes leaf_bytes(ByteView data) {
  Bytes out{0x01};
  crypto::append_u32_be(out, static_cast<std::uint32_t>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

void TreeHasher::node(std::uint32_t children) {
  hash_.update(node_header(children));
}

void TreeHasher::leaf(ByteView data) {
  Bytes header{0x01};
  crypto::append_u32_be(header, static_cast<std::uint32_t>(data.size()));
  hash_.update(header);
  hash_.update(data);
}

void TreeHasher::leaf(std::string_view text) {
  leaf(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void TreeHasher::leaf_u32(std::uint32_t value) {
  Bytes b;
  crypto::append_u32_be(b, value);
  leaf(b);
}

}  // namespace haal::verifier::shuffle
