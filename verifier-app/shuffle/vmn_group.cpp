#include "verifier-app/shuffle/vmn_group.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <algorithm>

#include "crypto/base/parallel.hpp"
#include "crypto/group_modp.hpp"
#include "crypto/group_p256.hpp"

namespace haal::verifier::shuffle {

namespace {

using crypto::BnPtr;

mpz_class mpz_of_bn(const BIGNUM* bn) {
  Bytes b(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, b.data());
  return integer_of(b);
}

std::string tree_hex(std::initializer_list<Bytes> parts) {
  Bytes all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return crypto::to_hex(all);
}

Bytes text_leaf(std::string_view text) {
  return leaf_bytes(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace

std::size_t java_length(const mpz_class& v) {
  return mpz_sizeinbase(v.get_mpz_t(), 2) / 8 + 1;
}

Bytes fixed_bytes(const mpz_class& v, std::size_t length) {
  if (v < 0 || (v != 0 && (mpz_sizeinbase(v.get_mpz_t(), 2) + 7) / 8 > length)) {
    throw std::invalid_argument("integer does not fit in " + std::to_string(length) + " bytes");
  }
  Bytes out(length, 0);
  std::size_t count = 0;
  if (v != 0) {
    const std::size_t n = (mpz_sizeinbase(v.get_mpz_t(), 2) + 7) / 8;
    mpz_export(out.data() + (length - n), &count, 1, 1, 1, 0, v.get_mpz_t());
  }
  return out;
}

VmnGroup::VmnGroup(const crypto::Group& group) : group_(group) {
  const mpz_class& q = group.order();
  scalar_length_ = java_length(q);
  if (group.name() == "P-256") {
    p256_ = true;
    const auto& curve = crypto::p256_group();
    BnPtr p(BN_new()), a(BN_new()), b(BN_new());
    if (EC_GROUP_get_curve(curve.ec_group(), p.get(), a.get(), b.get(), nullptr) != 1) {
      throw std::runtime_error("EC_GROUP_get_curve failed");
    }
    p_ = mpz_of_bn(p.get());
    a_ = mpz_of_bn(a.get());
    b_ = mpz_of_bn(b.get());
    coordinate_length_ = java_length(p_);
    element_size_ = 5 + 2 * (5 + coordinate_length_);
    // ECqPGroup(P-256)::hex(node(leaf("com.verificatum.arithm.ECqPGroup"), leaf("P-256")))
    description_ = "ECqPGroup(P-256)::" +
                   tree_hex({node_header(2), text_leaf("com.verificatum.arithm.ECqPGroup"),
                             text_leaf("P-256")});
    return;
  }
  const auto* modp = dynamic_cast<const crypto::ModpGroup*>(&group);
  if (modp == nullptr) throw std::invalid_argument("unsupported group " + group.name());
  p_ = modp->modulus();
  coordinate_length_ = java_length(p_);
  element_size_ = 5 + coordinate_length_;
  // ModPGroup(...)::hex(node(leaf("com.verificatum.arithm.ModPGroup"),
  //                          node(leaf(p), leaf(q), leaf(g), leaf(u32(1)))))
  // where p, q are Java two's-complement byte arrays and g is an element (len(p) bytes).
  Bytes one;
  crypto::append_u32_be(one, 1);
  const std::size_t q_bits = mpz_sizeinbase(q.get_mpz_t(), 2);
  description_ =
      "ModPGroup(safe-prime modulus=2*order+1. order bit-length = " + std::to_string(q_bits) +
      ")::" +
      tree_hex({node_header(2), text_leaf("com.verificatum.arithm.ModPGroup"), node_header(4),
                leaf_bytes(fixed_bytes(p_, java_length(p_))),
                leaf_bytes(fixed_bytes(q, java_length(q))),
                leaf_bytes(fixed_bytes(group.generator().modp_value(), coordinate_length_)),
                leaf_bytes(one)});
}

crypto::Element VmnGroup::decode_var(ByteView subtree, const std::string& where,
                                     std::size_t offset) const {
  TreeReader r(subtree, where, offset);
  if (!p256_) {
    const ByteView v = r.leaf(coordinate_length_, "element");
    r.finish();
    const std::size_t extra = coordinate_length_ - group_.element_length();
    if (std::any_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(extra),
                    [](std::uint8_t c) { return c != 0; })) {
      r.fail_at(offset, "element", "value not reduced modulo p");
    }
    try {
      return group_.decode_var(v.subspan(extra));
    } catch (const std::invalid_argument& e) {
      r.fail_at(offset, "element", e.what());
    }
  }
  r.node(2, "point");
  const ByteView x = r.leaf(coordinate_length_, "point.x");
  const ByteView y = r.leaf(coordinate_length_, "point.y");
  r.finish();
  const auto all_ff = [](ByteView v) {
    return std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c == 0xff; });
  };
  if (all_ff(x) && all_ff(y)) return group_.identity();
  if (x[0] != 0 || y[0] != 0) r.fail_at(offset, "point", "coordinate out of range");
  // The group layer's compact form x || y: reduced coordinates, on the curve (cofactor 1: then
  // a member). (0, 0), the compact identity, is not on the curve.
  Bytes compact(x.begin() + 1, x.end());
  compact.insert(compact.end(), y.begin() + 1, y.end());
  std::string error = group_.check_compact_var(compact);
  if (error.empty() && group_.equal(compact, group_.identity_compact())) {
    error = "point is not on the curve P-256";
  }
  if (!error.empty()) r.fail_at(offset, "point", error);
  return group_.from_compact_var(compact);
}

Bytes VmnGroup::encode(const crypto::Element& a) const {
  if (!p256_) return leaf_bytes(fixed_bytes(a.modp_value(), coordinate_length_));
  Bytes out = node_header(2);
  if (group_.is_identity(a)) {
    const Bytes ff(coordinate_length_, 0xff);
    for (int i = 0; i < 2; ++i) {
      const Bytes l = leaf_bytes(ff);
      out.insert(out.end(), l.begin(), l.end());
    }
    return out;
  }
  const auto& curve = crypto::p256_group();
  BnPtr x(BN_new()), y(BN_new());
  if (EC_POINT_get_affine_coordinates(curve.ec_group(), a.ec_point(), x.get(), y.get(),
                                      crypto::thread_bn_ctx()) != 1) {
    throw std::runtime_error("EC_POINT_get_affine_coordinates failed");
  }
  for (const BIGNUM* c : {x.get(), y.get()}) {
    Bytes v(coordinate_length_, 0);
    BN_bn2binpad(c, v.data() + 1, static_cast<int>(coordinate_length_ - 1));
    const Bytes l = leaf_bytes(v);
    out.insert(out.end(), l.begin(), l.end());
  }
  return out;
}

crypto::Scalar VmnGroup::read_scalar(TreeReader& reader, const std::string& field) const {
  const std::size_t at = reader.offset();
  const ByteView v = reader.leaf(scalar_length_, field);
  mpz_class value = integer_of(v);
  if (value >= group_.order()) reader.fail_at(at, field, "scalar not reduced modulo q");
  return crypto::Scalar(std::move(value));
}

Bytes VmnGroup::derive_generators(Prg& prg, std::size_t n, unsigned n_r,
                                  const Workers& workers) const {
  const unsigned bits = static_cast<unsigned>(mpz_sizeinbase(p_.get_mpz_t(), 2)) + n_r;
  Bytes out;
  out.reserve(n * element_size_);
  if (!p256_) {
    const mpz_class cofactor = (p_ - 1) / group_.order();
    std::vector<mpz_class> xs(n);
    for (auto& x : xs) x = prg.next_integer(bits) % p_;
    std::vector<Bytes> elements(n);
    base::parallel_for(
        n, 64,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t i = b; i < e; ++i) {
            mpz_powm(xs[i].get_mpz_t(), xs[i].get_mpz_t(), cofactor.get_mpz_t(), p_.get_mpz_t());
            elements[i] = leaf_bytes(fixed_bytes(xs[i], coordinate_length_));
          }
        },
        nullptr, workers.threads);
    for (const auto& e : elements) out.insert(out.end(), e.begin(), e.end());
    return out;
  }
  // Candidates are drawn in order (the PRG is sequential); the residuosity tests and square
  // roots, the expensive part, run on all cores.
  const mpz_class sqrt_exponent = (p_ + 1) / 4;  // p = 3 mod 4 for P-256
  std::vector<Bytes> points(n);
  std::size_t have = 0;
  base::Progress progress("derive generators", n, workers.progress);
  while (have < n) {
    const std::size_t missing = n - have;
    std::vector<mpz_class> xs(2 * missing), fx(2 * missing);
    std::vector<char> square(2 * missing, 0);
    for (auto& x : xs) x = prg.next_integer(bits) % p_;
    base::parallel_for(
        xs.size(), 4096,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t i = b; i < e; ++i) {
            fx[i] = ((xs[i] * xs[i] % p_) * xs[i] + a_ * xs[i] + b_) % p_;
            square[i] = mpz_jacobi(fx[i].get_mpz_t(), p_.get_mpz_t()) == 1 ? 1 : 0;
          }
        },
        nullptr, workers.threads);
    std::vector<std::size_t> picked;
    for (std::size_t i = 0; i < xs.size() && picked.size() < missing; ++i) {
      if (square[i] != 0) picked.push_back(i);
    }
    base::parallel_for(
        picked.size(), 1024,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t k = b; k < e; ++k) {
            const std::size_t i = picked[k];
            mpz_class y;
            mpz_powm(y.get_mpz_t(), fx[i].get_mpz_t(), sqrt_exponent.get_mpz_t(), p_.get_mpz_t());
            if (p_ - y < y) y = p_ - y;
            Bytes pt = node_header(2);
            for (const mpz_class* c : std::initializer_list<const mpz_class*>{&xs[i], &y}) {
              const Bytes l = leaf_bytes(fixed_bytes(*c, coordinate_length_));
              pt.insert(pt.end(), l.begin(), l.end());
            }
            points[have + k] = std::move(pt);
          }
        },
        &progress, workers.threads);
    have += picked.size();
  }
  for (const auto& pt : points) out.insert(out.end(), pt.begin(), pt.end());
  return out;
}

}  // namespace haal::verifier::shuffle
