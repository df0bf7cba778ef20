#include "board/entry.hpp"

namespace haal::board {

using crypto::FormatError;

bool is_valid_kind(std::string_view kind) {
  if (kind.empty() || kind.size() > kMaxKindLength) return false;
  if (kind[0] < 'a' || kind[0] > 'z') return false;
  for (const char c : kind) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

crypto::Bytes encode_leaf(const BoardEntry& entry) {
  if (!is_valid_kind(entry.kind)) {
    throw std::invalid_argument("board entry: invalid kind \"" + entry.kind + "\"");
  }
  if (entry.payload.size() > kMaxPayloadBytes) {
    throw std::invalid_argument("board entry: payload of " + std::to_string(entry.payload.size()) +
                                " bytes exceeds the limit");
  }
  crypto::Bytes out;
  out.reserve(4 + kEntryDomainTag.size() + 4 + entry.kind.size() + 16 + 4 + entry.payload.size());
  crypto::append_length_prefixed(out, crypto::to_bytes(kEntryDomainTag));
  crypto::append_length_prefixed(out, crypto::to_bytes(entry.kind));
  crypto::append_u64_be(out, entry.sequence);
  crypto::append_u64_be(out, entry.timestamp_ms);
  crypto::append_length_prefixed(out, entry.payload);
  return out;
}

namespace {

// Reads the leaf front to back; every error names the offset and field.
class LeafReader {
 public:
  explicit LeafReader(crypto::ByteView data) : data_(data) {}

  std::uint64_t u64(std::string_view field) {
    need(8, field);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | data_[offset_ + i];
    offset_ += 8;
    return v;
  }

  crypto::ByteView length_prefixed(std::string_view field, std::size_t max_length) {
    need(4, field);
    std::uint64_t length = 0;
    for (int i = 0; i < 4; ++i) length = (length << 8) | data_[offset_ + i];
    if (length > max_length) {
      fail(field,
           "length " + std::to_string(length) + " exceeds the limit " + std::to_string(max_length));
    }
    offset_ += 4;
    need(length, field);
    const auto view = data_.subspan(offset_, length);
    offset_ += length;
    return view;
  }

  void finish() {
    if (offset_ != data_.size()) {
      fail("end", std::to_string(data_.size() - offset_) + " trailing bytes");
    }
  }

  [[noreturn]] void fail(std::string_view field, const std::string& reason) const {
    throw FormatError("board_entry", "offset " + std::to_string(offset_) + " (" +
                                         std::string(field) + "): " + reason);
  }

 private:
  void need(std::uint64_t n, std::string_view field) const {
    if (data_.size() - offset_ < n) {
      fail(field, "truncated: need " + std::to_string(n) + " bytes, have " +
                      std::to_string(data_.size() - offset_));
    }
  }

  crypto::ByteView data_;
  std::size_t offset_ = 0;
};

std::string as_string(crypto::ByteView v) {
  return std::string(v.begin(), v.end());
}

}  // namespace

BoardEntry decode_leaf(crypto::ByteView leaf) {
  LeafReader reader(leaf);
  if (as_string(reader.length_prefixed("domain tag", kEntryDomainTag.size())) != kEntryDomainTag) {
    throw FormatError("board_entry",
                      "offset 0 (domain tag): expected \"" + std::string(kEntryDomainTag) + "\"");
  }
  BoardEntry entry;
  entry.kind = as_string(reader.length_prefixed("kind", kMaxKindLength));
  if (!is_valid_kind(entry.kind)) reader.fail("kind", "invalid kind \"" + entry.kind + "\"");
  entry.sequence = reader.u64("sequence");
  entry.timestamp_ms = reader.u64("timestamp_ms");
  const auto payload = reader.length_prefixed("payload", kMaxPayloadBytes);
  entry.payload.assign(payload.begin(), payload.end());
  reader.finish();
  return entry;
}

Json entry_to_json(const BoardEntry& entry) {
  return Json{{"kind", entry.kind},
              {"sequence", entry.sequence},
              {"timestamp_ms", entry.timestamp_ms},
              {"payload", crypto::to_hex(entry.payload)}};
}

BoardEntry entry_from_json(const Json& j, std::string_view path) {
  require_exact_object(j, {"kind", "sequence", "timestamp_ms", "payload"}, path);
  BoardEntry entry;
  entry.kind = read_string(j, "kind", path);
  if (!is_valid_kind(entry.kind)) {
    throw FormatError(std::string(path) + ".kind", "invalid kind \"" + entry.kind + "\"");
  }
  entry.sequence = read_uint(j, "sequence", path);
  entry.timestamp_ms = read_uint(j, "timestamp_ms", path);
  entry.payload = read_hex(j, "payload", path);
  if (entry.payload.size() > kMaxPayloadBytes) {
    throw FormatError(std::string(path) + ".payload", "exceeds the size limit");
  }
  return entry;
}

}  // namespace haal::board
