#include "verifier-app/shuffle/proof_files.hpp"

namespace haal::verifier::shuffle {

crypto::Element ArrayView::decode_var(const VmnGroup& group, std::size_t i) const {
  return group.decode_var(at(i), name + "[" + std::to_string(i) + "]", offset + i * stride);
}

ArrayView read_array(TreeReader& reader, const VmnGroup& group, std::size_t expected_count,
                     const std::string& name) {
  const std::size_t start = reader.offset();
  ArrayView a;
  a.name = reader.source() + " " + name;
  a.count = reader.node(name);
  if (expected_count != 0 && a.count != expected_count) {
    reader.fail_at(start, name,
                   "array of " + std::to_string(a.count) + " elements, expected " +
                       std::to_string(expected_count));
  }
  a.stride = group.element_size();
  if (a.count > (std::size_t{1} << 40) / a.stride) reader.fail_at(start, name, "array too large");
  a.offset = reader.offset();
  a.elements = reader.take(a.count * a.stride, name);
  a.serialized = reader.since(start);
  return a;
}

CiphertextListView read_ciphertext_list(const VmnGroup& group, ByteView file, std::size_t width,
                                        std::size_t expected_count, const std::string& source) {
  TreeReader r(file, source);
  CiphertextListView list;
  list.width = width;
  r.node(2, "ciphertexts");
  std::size_t n = expected_count;
  for (int side = 0; side < 2; ++side) {
    const std::string name = side == 0 ? "u" : "v";
    auto& dest = side == 0 ? list.u : list.v;
    if (width > 1) r.node(static_cast<std::uint32_t>(width), name);
    for (std::size_t j = 0; j < width; ++j) {
      dest.push_back(read_array(r, group, n, width > 1 ? name + "_" + std::to_string(j) : name));
      n = dest.back().count;
    }
  }
  r.finish();
  list.count = n;
  if (n == 0) r.fail_at(0, "ciphertexts", "empty list");
  list.serialized = file;
  return list;
}

namespace {

WideCiphertext read_wide_ciphertext(const VmnGroup& group, TreeReader& r, std::size_t width,
                                    const std::string& field) {
  WideCiphertext c;
  r.node(2, field);
  for (int side = 0; side < 2; ++side) {
    const std::string name = field + (side == 0 ? ".u" : ".v");
    auto& dest = side == 0 ? c.a : c.b;
    if (width > 1) r.node(static_cast<std::uint32_t>(width), name);
    for (std::size_t j = 0; j < width; ++j) {
      const std::string at = width > 1 ? name + "[" + std::to_string(j) + "]" : name;
      const std::size_t offset = r.offset();
      dest.push_back(
          group.decode_var(r.take(group.element_size(), at), r.source() + " " + at, offset));
    }
  }
  return c;
}

crypto::Element read_element(const VmnGroup& group, TreeReader& r, const std::string& field) {
  const std::size_t offset = r.offset();
  return group.decode_var(r.take(group.element_size(), field), r.source() + " " + field, offset);
}

std::vector<crypto::Scalar> read_scalars(const VmnGroup& group, TreeReader& r, std::size_t n,
                                         const std::string& field) {
  r.node(static_cast<std::uint32_t>(n), field);
  std::vector<crypto::Scalar> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(group.read_scalar(r, field + "[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace

ArrayView read_permutation_commitment(const VmnGroup& group, ByteView file, std::size_t n,
                                      const std::string& source) {
  TreeReader r(file, source);
  ArrayView u = read_array(r, group, n, "u");
  r.finish();
  return u;
}

PosCommitment read_pos_commitment(const VmnGroup& group, ByteView file, std::size_t n,
                                  std::size_t width, const std::string& source) {
  TreeReader r(file, source);
  PosCommitment c;
  r.node(6, "commitment");
  c.B = read_array(r, group, n, "B");
  c.A_prime = read_element(group, r, "A'");
  c.B_prime = read_array(r, group, n, "B'");
  c.C_prime = read_element(group, r, "C'");
  c.D_prime = read_element(group, r, "D'");
  c.F_prime = read_wide_ciphertext(group, r, width, "F'");
  r.finish();
  c.serialized = file;
  return c;
}

PosReply read_pos_reply(const VmnGroup& group, ByteView file, std::size_t n, std::size_t width,
                        const std::string& source) {
  TreeReader r(file, source);
  PosReply rep;
  r.node(6, "reply");
  rep.k_A = group.read_scalar(r, "k_A");
  rep.k_B = read_scalars(group, r, n, "k_B");
  rep.k_C = group.read_scalar(r, "k_C");
  rep.k_D = group.read_scalar(r, "k_D");
  rep.k_E = read_scalars(group, r, n, "k_E");
  if (width == 1) {
    rep.k_F.push_back(group.read_scalar(r, "k_F"));
  } else {
    rep.k_F = read_scalars(group, r, width, "k_F");
  }
  r.finish();
  return rep;
}

crypto::Element read_full_public_key(const VmnGroup& group, ByteView file,
                                     const std::string& source) {
  TreeReader r(file, source);
  r.node(2, "public key");
  const std::size_t g_at = r.offset();
  const crypto::Element g = read_element(group, r, "g");
  const crypto::Element y = read_element(group, r, "y");
  r.finish();
  if (!group.group().equal(g, group.group().generator())) {
    r.fail_at(g_at, "g", "first component is not the group's standard generator");
  }
  return y;
}

Bytes widened_public_key(const VmnGroup& group, const crypto::Element& y, std::size_t width) {
  Bytes out = node_header(2);
  const Bytes g_bytes = group.encode(group.group().generator());
  const Bytes y_bytes = group.encode(y);
  for (const Bytes* part : {&g_bytes, &y_bytes}) {
    if (width > 1) {
      const Bytes h = node_header(static_cast<std::uint32_t>(width));
      out.insert(out.end(), h.begin(), h.end());
    }
    for (std::size_t j = 0; j < width; ++j) out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

}  // namespace haal::verifier::shuffle
