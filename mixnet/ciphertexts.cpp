#include "mixnet/ciphertexts.hpp"

namespace haal::mixnet {

CiphertextList::CiphertextList(const crypto::Group& group, std::size_t w, std::size_t count)
    : width(w) {
  u.assign(w, ElementArray(group.stride(), count));
  v.assign(w, ElementArray(group.stride(), count));
}

void write_ciphertexts(const crypto::Group& group, ByteTreeWriter& w, const CiphertextList& list) {
  w.node(2);
  for (const auto* side : {&list.u, &list.v}) {
    if (list.width == 1) {
      write_array(group, w, (*side)[0]);
    } else {
      w.node(static_cast<std::uint32_t>(list.width));
      for (const auto& arr : *side) write_array(group, w, arr);
    }
  }
}

CiphertextList read_ciphertexts(const crypto::Group& group, ByteTreeReader& r, std::size_t width,
                                std::size_t expected_size, std::string_view field) {
  CiphertextList list;
  list.width = width;
  const std::size_t at = r.offset();
  r.node(2, field);
  std::size_t n = expected_size;
  for (int side = 0; side < 2; ++side) {
    const std::string name = std::string(field) + (side == 0 ? ".u" : ".v");
    auto& dest = side == 0 ? list.u : list.v;
    if (width == 1) {
      dest.push_back(read_array(group, r, n, name));
      n = dest.back().size();
    } else {
      r.node(static_cast<std::uint32_t>(width), name);
      for (std::size_t j = 0; j < width; ++j) {
        dest.push_back(read_array(group, r, n, name + "[" + std::to_string(j) + "]"));
        n = dest.back().size();
      }
    }
  }
  // Arrays read with expected size 0 may differ in length: check they agree.
  const std::size_t count = list.u[0].size();
  for (std::size_t j = 0; j < width; ++j) {
    if (list.u[j].size() != count || list.v[j].size() != count) {
      r.fail_at(at, field, "ciphertext component arrays have different lengths");
    }
  }
  return list;
}

void write_wide_ciphertext(const crypto::Group& group, ByteTreeWriter& w, const WideCiphertext& c) {
  w.node(2);
  for (const auto* side : {&c.a, &c.b}) {
    if (side->size() == 1) {
      write_element(group, w, (*side)[0]);
    } else {
      w.node(static_cast<std::uint32_t>(side->size()));
      for (const auto& e : *side) write_element(group, w, e);
    }
  }
}

WideCiphertext read_wide_ciphertext(const crypto::Group& group, ByteTreeReader& r,
                                    std::size_t width, std::string_view field) {
  WideCiphertext c;
  r.node(2, field);
  for (int side = 0; side < 2; ++side) {
    const std::string name = std::string(field) + (side == 0 ? ".u" : ".v");
    auto& dest = side == 0 ? c.a : c.b;
    dest.assign(width, Bytes(group.stride()));
    if (width == 1) {
      read_element(group, r, dest[0].data(), name);
    } else {
      r.node(static_cast<std::uint32_t>(width), name);
      for (std::size_t j = 0; j < width; ++j) {
        read_element(group, r, dest[j].data(), name + "[" + std::to_string(j) + "]");
      }
    }
  }
  return c;
}

void write_wide_public_key(const crypto::Group& group, ByteTreeWriter& w, ByteView y,
                           std::size_t width) {
  WideCiphertext pk;
  pk.a.assign(width, group.generator_compact());
  pk.b.assign(width, Bytes(y.begin(), y.end()));
  write_wide_ciphertext(group, w, pk);
}

Bytes read_full_public_key(const crypto::Group& group, ByteView file, std::string_view source) {
  ByteTreeReader r(file, std::string(source));
  WideCiphertext pk = read_wide_ciphertext(group, r, 1, "public key");
  r.finish();
  if (!group.equal(pk.a[0], group.generator_compact())) {
    r.fail_at(0, "public key", "first component is not the group's standard generator");
  }
  return pk.b[0];
}

Bytes write_full_public_key(const crypto::Group& group, ByteView y) {
  BufferSink sink;
  ByteTreeWriter w(sink);
  write_wide_public_key(group, w, y, 1);
  return std::move(sink.bytes);
}

Bytes ciphertexts_file(const crypto::Group& group, const CiphertextList& list) {
  BufferSink sink;
  ByteTreeWriter w(sink);
  write_ciphertexts(group, w, list);
  return std::move(sink.bytes);
}

CiphertextList parse_ciphertexts_file(const crypto::Group& group, ByteView file, std::size_t width,
                                      std::size_t expected_size, std::string_view source) {
  ByteTreeReader r(file, std::string(source));
  CiphertextList list = read_ciphertexts(group, r, width, expected_size, "ciphertexts");
  r.finish();
  return list;
}

}  // namespace haal::mixnet
