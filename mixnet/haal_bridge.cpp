#include "mixnet/haal_bridge.hpp"

#include <openssl/ec.h>

#include "crypto/group_p256.hpp"
#include "crypto/openssl_handles.hpp"

namespace haal::mixnet {

const MixGroup& mix_group_for(const crypto::Group& group) {
  const MixGroup& mg = mix_group_by_name(group.name());
  if (!mg.equal(to_mix_element(group, group.generator()), mg.generator())) {
    throw std::invalid_argument("mix-net and Haal generators differ for " + group.name());
  }
  return mg;
}

Bytes to_mix_element(const crypto::Group& group, const crypto::Element& e) {
  const MixGroup& mg = mix_group_by_name(group.name());
  Bytes out(mg.stride(), 0);
  if (group.is_identity(e)) {
    if (group.name() != "P-256") return mg.identity();
    return out;
  }
  if (group.name() == "P-256") {
    std::uint8_t oct[65];
    const auto& p256 = crypto::p256_group();
    if (EC_POINT_point2oct(p256.ec_group(), e.ec_point(), POINT_CONVERSION_UNCOMPRESSED, oct,
                           sizeof oct, crypto::thread_bn_ctx()) != 65) {
      crypto::throw_openssl_error("EC_POINT_point2oct");
    }
    std::copy(oct + 1, oct + 65, out.begin());
    return out;
  }
  export_fixed(e.modp_value(), out.data(), out.size());
  return out;
}

crypto::Element to_haal_element(const crypto::Group& group, ByteView e) {
  const MixGroup& mg = mix_group_by_name(group.name());
  if (mg.equal(e, mg.identity())) return group.identity();
  if (group.name() == "P-256") {
    // SEC1 compressed form from the affine coordinates; Haal's decoder checks the point.
    Bytes enc(33);
    enc[0] = static_cast<std::uint8_t>(0x02 | (e[63] & 1));
    std::copy(e.begin(), e.begin() + 32, enc.begin() + 1);
    return group.decode(enc);
  }
  // Mix-net mod-p elements carry Java's extra leading byte; Haal's encoding is I2OSP(v, |p|).
  const std::size_t len = group.element_length();
  return group.decode(e.subspan(e.size() - len));
}

CiphertextList to_mix_list(const crypto::Group& group,
                           const std::vector<crypto::CiphertextVector>& ballots,
                           std::size_t width) {
  const MixGroup& mg = mix_group_for(group);
  CiphertextList list(mg, width, ballots.size());
  for (std::size_t i = 0; i < ballots.size(); ++i) {
    if (ballots[i].size() != width) {
      throw std::invalid_argument("ballot " + std::to_string(i) + " has width " +
                                  std::to_string(ballots[i].size()) + ", expected " +
                                  std::to_string(width));
    }
    for (std::size_t k = 0; k < width; ++k) {
      list.u[k].set(i, to_mix_element(group, ballots[i][k].alpha));
      list.v[k].set(i, to_mix_element(group, ballots[i][k].beta));
    }
  }
  return list;
}

std::vector<crypto::CiphertextVector> to_haal_list(const crypto::Group& group,
                                                   const CiphertextList& list) {
  std::vector<crypto::CiphertextVector> out(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    out[i].resize(list.width);
    for (std::size_t k = 0; k < list.width; ++k) {
      out[i][k].alpha = to_haal_element(group, list.u[k].view(i));
      out[i][k].beta = to_haal_element(group, list.v[k].view(i));
    }
  }
  return out;
}

}  // namespace haal::mixnet
