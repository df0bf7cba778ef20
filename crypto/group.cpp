#include "crypto/group.hpp"

#include <cstring>
#include <stdexcept>

#include "crypto/group_modp.hpp"
#include "crypto/group_p256.hpp"

namespace haal::crypto {

const EC_POINT* Element::ec_point() const {
  const auto* p = std::get_if<EcRepr>(&repr_);
  if (p == nullptr) throw std::invalid_argument("element is not a P-256 point");
  return p->get();
}

const mpz_class& Element::modp_value() const {
  const auto* v = std::get_if<mpz_class>(&repr_);
  if (v == nullptr) throw std::invalid_argument("element is not a mod-p group element");
  return *v;
}

void ElementArray::set(std::size_t i, ByteView e) {
  if (e.size() != stride) throw std::invalid_argument("element of wrong size");
  std::memcpy(at(i), e.data(), stride);
}

Group::Group(mpz_class order, Bytes descriptor, std::size_t stride)
    : scalars_(std::move(order)),
      descriptor_(std::move(descriptor)),
      fingerprint_(sha256(descriptor_)),
      stride_(stride) {}

void Group::set_compact_constants(Bytes generator, Bytes identity) {
  generator_compact_ = std::move(generator);
  identity_compact_ = std::move(identity);
}

bool Group::equal(ByteView a, ByteView b) const {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

Element Group::from_hex_var(std::string_view hex) const {
  return decode_var(crypto::from_hex(hex));
}

std::vector<Element> Group::independent_generators(std::string_view seed_label,
                                                   std::size_t count) const {
  std::vector<Element> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Bytes seed = to_bytes(seed_label);
    append_u32_be(seed, static_cast<std::uint32_t>(i));
    out.push_back(hash_to_element(seed, "HAAL-V1-GENERATORS"));
  }
  return out;
}

const Group& group_by_name(std::string_view name) {
  if (name == "P-256") return p256_group();
  if (name == "modp-2048") return modp_group(2048);
  if (name == "modp-3072") return modp_group(3072);
  throw std::invalid_argument("unknown group '" + std::string(name) +
                              "' (supported: P-256, modp-2048, modp-3072)");
}

std::vector<std::string> supported_group_names() {
  return {"P-256", "modp-2048", "modp-3072"};
}

}  // namespace haal::crypto
