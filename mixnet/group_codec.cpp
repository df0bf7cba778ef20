#include "mixnet/group_codec.hpp"

#include <cstring>
#include <map>
#include <mutex>

#include "crypto/group_modp.hpp"

namespace haal::mixnet {

namespace {

constexpr std::size_t kP256Leaf = 33;  // a P-256 coordinate leaf: Java's length of p

bool is_p256(const crypto::Group& group) {
  return group.name() == "P-256";
}

std::string describe(const crypto::Group& group) {
  BufferSink sink;
  ByteTreeWriter w(sink);
  w.node(2);
  if (is_p256(group)) {
    w.leaf_string("com.verificatum.arithm.ECqPGroup");
    w.leaf_string("P-256");
    return "ECqPGroup(P-256)::" + crypto::to_hex(sink.bytes);
  }
  const auto& modp = dynamic_cast<const crypto::ModpGroup&>(group);
  const mpz_class& p = modp.modulus();
  const mpz_class& q = group.order();
  w.leaf_string("com.verificatum.arithm.ModPGroup");
  w.node(4);
  w.leaf(crypto::mpz_to_bytes(p, java_byte_length(p)));
  w.leaf(crypto::mpz_to_bytes(q, java_byte_length(q)));
  w.leaf(group.generator_compact());
  w.leaf_u32(1);  // SAFEPRIME_ENCODING
  return "ModPGroup(safe-prime modulus=2*order+1. order bit-length = " +
         std::to_string(mpz_sizeinbase(q.get_mpz_t(), 2)) + ")::" + crypto::to_hex(sink.bytes);
}

}  // namespace

const std::string& verificatum_description(const crypto::Group& group) {
  static std::mutex mutex;
  static std::map<const crypto::Group*, std::string> descriptions;
  std::lock_guard lock(mutex);
  auto it = descriptions.find(&group);
  if (it == descriptions.end()) it = descriptions.emplace(&group, describe(group)).first;
  return it->second;
}

const crypto::Group& group_from_description(std::string_view description) {
  for (const std::string& name : crypto::supported_group_names()) {
    const crypto::Group& group = crypto::group_by_name(name);
    if (verificatum_description(group) == description) return group;
  }
  // Not one of Haal's groups: say why.
  const std::size_t sep = description.find("::");
  if (sep == std::string_view::npos) {
    throw FormatError("group description: missing '::' separator");
  }
  Bytes raw;
  try {
    raw = crypto::from_hex(description.substr(sep + 2));
  } catch (const std::exception& e) {
    throw FormatError(std::string("group description: bad hex: ") + e.what());
  }
  ByteTreeReader r(raw, "group description");
  r.node(2, "group");
  const ByteView cls = r.leaf("class name");
  const std::string class_name(cls.begin(), cls.end());
  if (class_name == "com.verificatum.arithm.ECqPGroup") {
    const ByteView curve = r.leaf("curve name");
    r.finish();
    if (std::string(curve.begin(), curve.end()) != "P-256") {
      throw FormatError("group description: only the curve P-256 is supported");
    }
    throw FormatError("group description: non-canonical ECqPGroup description");
  }
  if (class_name == "com.verificatum.arithm.ModPGroup") {
    throw FormatError(
        "group description: only the RFC 3526 groups modp-2048 and modp-3072 with generator 4 "
        "(safe-prime encoding, Verificatum's canonical text) are supported");
  }
  throw FormatError("group description: unsupported group class '" + class_name + "'");
}

std::size_t scalar_leaf_length(const crypto::Group& group) {
  return java_byte_length(group.order());
}

std::size_t encoded_size(const crypto::Group& group) {
  return is_p256(group) ? 5 + 2 * (5 + kP256Leaf) : 5 + group.stride();
}

void write_element(const crypto::Group& group, ByteTreeWriter& w, ByteView e) {
  if (!is_p256(group)) {
    w.leaf(e);
    return;
  }
  std::array<std::uint8_t, kP256Leaf> leaf{};
  w.node(2);
  if (group.equal(e, group.identity_compact())) {
    leaf.fill(0xff);  // Verificatum writes the point at infinity as (-1, -1)
    w.leaf(leaf);
    w.leaf(leaf);
    return;
  }
  const std::size_t coordinate = group.stride() / 2;
  std::memcpy(leaf.data() + 1, e.data(), coordinate);
  w.leaf(leaf);
  std::memcpy(leaf.data() + 1, e.data() + coordinate, coordinate);
  w.leaf(leaf);
}

void read_element(const crypto::Group& group, ByteTreeReader& r, std::uint8_t* out,
                  std::string_view field) {
  const std::size_t at = r.offset();
  if (!is_p256(group)) {
    const ByteView leaf = r.leaf(group.stride(), field);
    const std::string error = group.check_compact_var(leaf);
    if (!error.empty()) r.fail_at(at, field, error);
    std::copy(leaf.begin(), leaf.end(), out);
    return;
  }
  r.node(2, field);
  const ByteView x = r.leaf(kP256Leaf, std::string(field) + ".x");
  const ByteView y = r.leaf(kP256Leaf, std::string(field) + ".y");
  auto all_ff = [](ByteView v) {
    return std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c == 0xff; });
  };
  if (all_ff(x) && all_ff(y)) {
    std::memcpy(out, group.identity_compact().data(), group.stride());
    return;
  }
  if (x[0] != 0 || y[0] != 0) r.fail_at(at, field, "coordinate out of range");
  Bytes e(x.begin() + 1, x.end());
  e.insert(e.end(), y.begin() + 1, y.end());
  // The all-zero compact form is the identity's; (0, 0) is not on the curve.
  const std::string error = group.equal(e, group.identity_compact())
                                ? "point is not on the curve P-256"
                                : group.check_compact_var(e);
  if (!error.empty()) r.fail_at(at, field, error);
  std::memcpy(out, e.data(), e.size());
}

void write_array(const crypto::Group& group, ByteTreeWriter& w, const ElementArray& a) {
  w.node(static_cast<std::uint32_t>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i) write_element(group, w, a.view(i));
}

ElementArray read_array(const crypto::Group& group, ByteTreeReader& r, std::size_t expected_size,
                        std::string_view field) {
  const std::size_t at = r.offset();
  const std::uint32_t n = r.node(field);
  if (expected_size != 0 && n != expected_size) {
    r.fail_at(at, field,
              "expected an array of " + std::to_string(expected_size) + " elements, found " +
                  std::to_string(n));
  }
  const std::size_t size = encoded_size(group);
  const std::size_t start = r.offset();
  if (static_cast<std::uint64_t>(n) * size > SIZE_MAX / 2) r.fail_at(at, field, "array too large");
  const ByteView all = r.raw(static_cast<std::size_t>(n) * size, field);
  ElementArray out(group.stride(), n);
  base::parallel_for(n, 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      ByteTreeReader er(all.subspan(i * size, size), r.source(), start + i * size);
      const std::string name = std::string(field) + "[" + std::to_string(i) + "]";
      read_element(group, er, out.at(i), name);
      er.finish();
    }
  });
  return out;
}

void write_scalar(const crypto::Group& group, ByteTreeWriter& w, const mpz_class& k) {
  w.leaf(crypto::mpz_to_bytes(k, scalar_leaf_length(group)));
}

mpz_class read_scalar(const crypto::Group& group, ByteTreeReader& r, std::string_view field) {
  const std::size_t at = r.offset();
  const ByteView leaf = r.leaf(scalar_leaf_length(group), field);
  if ((leaf[0] & 0x80) != 0) r.fail_at(at, field, "negative scalar");
  mpz_class v = integer_from_bytes(leaf);
  if (v >= group.order()) r.fail_at(at, field, "scalar not reduced modulo the group order");
  return v;
}

std::vector<mpz_class> read_scalars(const crypto::Group& group, ByteTreeReader& r,
                                    std::size_t expected_size, std::string_view field) {
  r.node(static_cast<std::uint32_t>(expected_size), field);
  std::vector<mpz_class> out(expected_size);
  for (std::size_t i = 0; i < expected_size; ++i) {
    out[i] = read_scalar(group, r, std::string(field) + "[" + std::to_string(i) + "]");
  }
  return out;
}

void write_scalars(const crypto::Group& group, ByteTreeWriter& w, std::span<const mpz_class> ks) {
  w.node(static_cast<std::uint32_t>(ks.size()));
  for (const auto& k : ks) write_scalar(group, w, k);
}

ElementArray random_elements(const crypto::Group& group, HashPrg& prg, std::size_t n,
                             unsigned statdist) {
  return group.random_elements_var([&](unsigned bits) { return prg.next_integer(bits); }, n,
                                   statdist);
}

std::size_t java_byte_length(const mpz_class& v) {
  // BigInteger.toByteArray(): minimal two's complement, so bitlen/8 + 1 bytes.
  return mpz_sizeinbase(v.get_mpz_t(), 2) / 8 + 1;
}

}  // namespace haal::mixnet
