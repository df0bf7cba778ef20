// EC_POINT_get_Jprojective_coordinates_GFp is deprecated in OpenSSL 3.0 but is the only public
// way to read the coordinates of a point whose Z is one without a field inversion.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "mixnet/haal_bridge.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>

#include <cstring>

#include "crypto/group_p256.hpp"
#include "crypto/openssl_handles.hpp"
#include "mixnet/parallel.hpp"

namespace haal::mixnet {

namespace {

// The P-256 field prime as 32 big-endian bytes.
const Bytes& p256_prime_bytes() {
  static const Bytes p = [] {
    crypto::BnPtr prime(BN_new());
    crypto::check_openssl_rc(EC_GROUP_get_curve(crypto::p256_group().ec_group(), prime.get(),
                                                nullptr, nullptr, crypto::thread_bn_ctx()),
                             "EC_GROUP_get_curve");
    Bytes out(32);
    crypto::check_openssl_rc(BN_bn2binpad(prime.get(), out.data(), 32) == 32 ? 1 : 0,
                             "BN_bn2binpad");
    return out;
  }();
  return p;
}

}  // namespace

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
    const auto& p256 = crypto::p256_group();
    // Decoded points have Z = 1: their Jacobian coordinates are the affine ones, which saves
    // the inversion EC_POINT_point2oct makes on every call.
    thread_local crypto::BnPtr x(BN_new()), y(BN_new()), z(BN_new());
    if (EC_POINT_get_Jprojective_coordinates_GFp(p256.ec_group(), e.ec_point(), x.get(), y.get(),
                                                 z.get(), crypto::thread_bn_ctx()) == 1 &&
        BN_is_one(z.get()) && BN_bn2binpad(x.get(), out.data(), 32) == 32 &&
        BN_bn2binpad(y.get(), out.data() + 32, 32) == 32) {
      return out;
    }
    ERR_clear_error();
    std::uint8_t oct[65];
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
    // From the affine coordinates (no square root needed): reduced mod p, and OpenSSL checks
    // that the point is on the curve (cofactor 1: then it is a group member).
    const Bytes& p = p256_prime_bytes();
    if (e.size() != 64 || std::memcmp(e.data(), p.data(), 32) >= 0 ||
        std::memcmp(e.data() + 32, p.data(), 32) >= 0) {
      throw std::invalid_argument("P-256 element coordinate is not reduced modulo p");
    }
    const auto& p256 = crypto::p256_group();
    crypto::BnPtr x(BN_bin2bn(e.data(), 32, nullptr)), y(BN_bin2bn(e.data() + 32, 32, nullptr));
    crypto::check_openssl(x.get(), "BN_bin2bn");
    crypto::check_openssl(y.get(), "BN_bin2bn");
    crypto::EcPointPtr pt(crypto::check_openssl(EC_POINT_new(p256.ec_group()), "EC_POINT_new"));
    if (EC_POINT_set_affine_coordinates(p256.ec_group(), pt.get(), x.get(), y.get(),
                                        crypto::thread_bn_ctx()) != 1) {
      ERR_clear_error();
      throw std::invalid_argument("P-256 element is not on the curve");
    }
    return p256.wrap(std::move(pt));
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
  }
  parallel_for(ballots.size(), 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t k = 0; k < width; ++k) {
        list.u[k].set(i, to_mix_element(group, ballots[i][k].alpha));
        list.v[k].set(i, to_mix_element(group, ballots[i][k].beta));
      }
    }
  });
  return list;
}

std::vector<crypto::CiphertextVector> to_haal_list(const crypto::Group& group,
                                                   const CiphertextList& list) {
  std::vector<crypto::CiphertextVector> out(list.size());
  parallel_for(list.size(), 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      out[i].resize(list.width);
      for (std::size_t k = 0; k < list.width; ++k) {
        out[i][k].alpha = to_haal_element(group, list.u[k].view(i));
        out[i][k].beta = to_haal_element(group, list.v[k].view(i));
      }
    }
  });
  return out;
}

}  // namespace haal::mixnet
