#include "mixnet/mix_group.hpp"

#include <cstring>
#include <map>
#include <mutex>

namespace haal::mixnet {

void wipe(mpz_class& secret) {
  const std::size_t limbs = mpz_size(secret.get_mpz_t());
  if (limbs > 0) {
    mp_limb_t* p = mpz_limbs_modify(secret.get_mpz_t(), static_cast<mp_size_t>(limbs));
    std::fill(p, p + limbs, mp_limb_t{0});
  }
  mpz_limbs_finish(secret.get_mpz_t(), 0);
}

void wipe(std::vector<mpz_class>& secrets) {
  for (auto& s : secrets) wipe(s);
}

void ElementArray::set(std::size_t i, ByteView e) {
  if (e.size() != stride) throw std::invalid_argument("element of wrong size");
  std::memcpy(at(i), e.data(), stride);
}

bool MixGroup::equal(ByteView a, ByteView b) const {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

void MixGroup::write_array(ByteTreeWriter& w, const ElementArray& a) const {
  w.node(static_cast<std::uint32_t>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i) write_element(w, a.view(i));
}

ElementArray MixGroup::read_array(ByteTreeReader& r, std::size_t expected_size,
                                  std::string_view field) const {
  const std::size_t at = r.offset();
  const std::uint32_t n = r.node(field);
  if (expected_size != 0 && n != expected_size) {
    r.fail_at(at, field,
              "expected an array of " + std::to_string(expected_size) + " elements, found " +
                  std::to_string(n));
  }
  const std::size_t size = encoded_size();
  const std::size_t start = r.offset();
  if (static_cast<std::uint64_t>(n) * size > SIZE_MAX / 2) r.fail_at(at, field, "array too large");
  const ByteView all = r.raw(static_cast<std::size_t>(n) * size, field);
  ElementArray out(stride_, n);
  parallel_for(n, 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      ByteTreeReader er(all.subspan(i * size, size), r.source(), start + i * size);
      const std::string name = std::string(field) + "[" + std::to_string(i) + "]";
      read_element(er, out.at(i), name);
      er.finish();
    }
  });
  return out;
}

void MixGroup::write_scalar(ByteTreeWriter& w, const mpz_class& k) const {
  Bytes buf(scalar_leaf_length_);
  export_fixed(k, buf.data(), buf.size());
  w.leaf(buf);
}

mpz_class MixGroup::read_scalar(ByteTreeReader& r, std::string_view field) const {
  const std::size_t at = r.offset();
  const ByteView leaf = r.leaf(scalar_leaf_length_, field);
  if ((leaf[0] & 0x80) != 0) r.fail_at(at, field, "negative scalar");
  mpz_class v = integer_from_bytes(leaf);
  if (v >= order_) r.fail_at(at, field, "scalar not reduced modulo the group order");
  return v;
}

std::vector<mpz_class> MixGroup::read_scalars(ByteTreeReader& r, std::size_t expected_size,
                                              std::string_view field) const {
  r.node(static_cast<std::uint32_t>(expected_size), field);
  std::vector<mpz_class> out(expected_size);
  for (std::size_t i = 0; i < expected_size; ++i) {
    out[i] = read_scalar(r, std::string(field) + "[" + std::to_string(i) + "]");
  }
  return out;
}

void MixGroup::write_scalars(ByteTreeWriter& w, std::span<const mpz_class> ks) const {
  w.node(static_cast<std::uint32_t>(ks.size()));
  for (const auto& k : ks) write_scalar(w, k);
}

std::size_t java_byte_length(const mpz_class& v) {
  // BigInteger.toByteArray(): minimal two's complement, so bitlen/8 + 1 bytes.
  return mpz_sizeinbase(v.get_mpz_t(), 2) / 8 + 1;
}

void export_fixed(const mpz_class& v, std::uint8_t* out, std::size_t len) {
  if (v < 0) throw std::invalid_argument("negative value in fixed-length export");
  const std::size_t need = (mpz_sizeinbase(v.get_mpz_t(), 2) + 7) / 8;
  if (v != 0 && need > len) throw std::invalid_argument("value too long for fixed-length export");
  std::memset(out, 0, len);
  if (v == 0) return;
  std::size_t count = 0;
  mpz_export(out + (len - need), &count, 1, 1, 1, 0, v.get_mpz_t());
}

std::unique_ptr<MixGroup> mix_group_from_description(std::string_view description) {
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
    auto g = make_p256_group();
    if (g->description() != description) {
      throw FormatError("group description: non-canonical ECqPGroup description");
    }
    return g;
  }
  if (class_name == "com.verificatum.arithm.ModPGroup") {
    r.node(4, "ModPGroup parameters");
    const mpz_class p = integer_from_bytes(r.leaf("modulus"));
    const mpz_class q = integer_from_bytes(r.leaf("order"));
    const mpz_class g = integer_from_bytes(r.leaf("generator"));
    r.leaf(4, "encoding");
    r.finish();
    return make_modp_group(p, q, g, std::string(description), "");
  }
  throw FormatError("group description: unsupported group class '" + class_name + "'");
}

const MixGroup& mix_group_by_name(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<MixGroup>, std::less<>> groups;
  std::lock_guard lock(mutex);
  const auto it = groups.find(name);
  if (it != groups.end()) return *it->second;
  std::unique_ptr<MixGroup> g;
  if (name == "P-256") {
    g = make_p256_group();
  } else if (name == "modp-2048" || name == "modp-3072") {
    // RFC 3526 sections 3 and 4: p = 2^n - 2^(n-64) - 1 + 2^64 * (floor(2^(n-130) pi) + k).
    std::string phex;
    if (name == "modp-2048") {
      phex =
          "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08"
          "798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637"
          "ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598"
          "DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E"
          "4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52"
          "C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";
    } else {
      phex =
          "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08"
          "798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637"
          "ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598"
          "DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E"
          "4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52"
          "C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A855"
          "21ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A"
          "25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C"
          "770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
    }
    const mpz_class p(phex, 16);
    const mpz_class q = (p - 1) / 2;
    // Generator 4 = 2^2, as in Verificatum's explicit RFC 3526 groups (a square, so of order q).
    const mpz_class generator = 4;
    g = make_modp_group(p, q, generator, "", std::string(name));
  } else {
    throw std::invalid_argument("unknown mix-net group '" + std::string(name) + "'");
  }
  const MixGroup& ref = *g;
  groups.emplace(std::string(name), std::move(g));
  return ref;
}

}  // namespace haal::mixnet
