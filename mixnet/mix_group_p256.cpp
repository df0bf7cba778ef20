// Verificatum's ECqPGroup(P-256) over OpenSSL (verifier specification, section 4.4.2
// "Elliptic curve groups"; curve from FIPS 186-4 D.1.2.3).
//
// OpenSSL 3.0 marks EC_GROUP_precompute_mult and EC_POINTs_make_affine deprecated, but they are
// the only public way to get a precomputed table for an arbitrary fixed base on OpenSSL's
// optimized P-256 code and to batch the affine conversions (one field inversion per batch).
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include <array>
#include <cmath>
#include <cstring>
#include <mutex>

#include "crypto/openssl_handles.hpp"
#include "mixnet/mix_group.hpp"

namespace haal::mixnet {

namespace {

using crypto::BnPtr;
using crypto::check_openssl;
using crypto::check_openssl_rc;
using crypto::EcGroupPtr;
using crypto::EcPointPtr;

constexpr std::size_t kCoord = 32;
constexpr std::size_t kStride = 64;
constexpr std::size_t kLeaf = 33;

bool all_zero(const std::uint8_t* e) {
  for (std::size_t i = 0; i < kStride; ++i) {
    if (e[i] != 0) return false;
  }
  return true;
}

void bn_from_mpz(const mpz_class& v, BIGNUM* out) {
  std::array<std::uint8_t, 64> buf{};
  std::size_t count = 0;
  mpz_export(buf.data(), &count, 1, 1, 1, 0, v.get_mpz_t());
  check_openssl(BN_bin2bn(buf.data(), static_cast<int>(count), out), "BN_bin2bn");
}

mpz_class mpz_from_bn(const BIGNUM* bn) {
  std::array<std::uint8_t, 64> buf{};
  const int n = BN_bn2bin(bn, buf.data());
  return integer_from_bytes(ByteView(buf.data(), static_cast<std::size_t>(n)));
}

class P256Table final : public FixedBaseTable {
 public:
  EcGroupPtr group;  // copy of P-256 whose generator is the base, with precomputation
  EcPointPtr base;   // set instead of `group` when too few uses justify a table
  bool identity = false;
  bool standard = false;  // the standard generator: OpenSSL's built-in table
};

class P256Group final : public MixGroup {
 public:
  P256Group() : group_(check_openssl(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1), "P-256")) {
    BN_CTX* ctx = crypto::thread_bn_ctx();
    BnPtr p(BN_new()), a(BN_new()), b(BN_new()), q(BN_new());
    check_openssl_rc(EC_GROUP_get_curve(group_.get(), p.get(), a.get(), b.get(), ctx), "curve");
    check_openssl_rc(EC_GROUP_get_order(group_.get(), q.get(), ctx), "order");
    p_ = mpz_from_bn(p.get());
    a_ = mpz_from_bn(a.get());
    b_ = mpz_from_bn(b.get());
    order_ = mpz_from_bn(q.get());
    sqrt_exp_ = (p_ + 1) / 4;  // p = 3 mod 4
    p_bytes_.resize(kCoord);
    export_fixed(p_, p_bytes_.data(), kCoord);
    stride_ = kStride;
    scalar_leaf_length_ = java_byte_length(order_);
    haal_name_ = "P-256";
    g_.resize(kStride);
    store(EC_GROUP_get0_generator(group_.get()), g_.data());
    BufferSink sink;
    ByteTreeWriter w(sink);
    w.node(2);
    w.leaf_string("com.verificatum.arithm.ECqPGroup");
    w.leaf_string("P-256");
    description_ = "ECqPGroup(P-256)::" + crypto::to_hex(sink.bytes);
  }

  const Bytes& generator() const override { return g_; }
  Bytes identity() const override { return Bytes(kStride, 0); }

  Bytes mul(ByteView a, ByteView b) const override {
    BN_CTX* ctx = crypto::thread_bn_ctx();
    EcPointPtr pa = point(), pb = point();
    load(a.data(), pa.get());
    load(b.data(), pb.get());
    check_openssl_rc(EC_POINT_add(group_.get(), pa.get(), pa.get(), pb.get(), ctx), "add");
    return stored(pa.get());
  }
  Bytes inverse(ByteView a) const override {
    EcPointPtr pa = point();
    load(a.data(), pa.get());
    check_openssl_rc(EC_POINT_invert(group_.get(), pa.get(), crypto::thread_bn_ctx()), "invert");
    return stored(pa.get());
  }
  Bytes exp_var(ByteView base, const mpz_class& k) const override {
    BN_CTX* ctx = crypto::thread_bn_ctx();
    EcPointPtr pb = point(), r = point();
    load(base.data(), pb.get());
    BnPtr bk(BN_new());
    bn_from_mpz(reduce(k), bk.get());
    check_openssl_rc(EC_POINT_mul(group_.get(), r.get(), nullptr, pb.get(), bk.get(), ctx), "mul");
    return stored(r.get());
  }

  Bytes exp_ct(ByteView base, const SecretScalar& k) const override {
    EcPointPtr pb = point(), r = point();
    load(base.data(), pb.get());
    BnPtr bk(BN_new());
    mul_ct(pb.get(), k, r.get(), bk.get(), crypto::thread_bn_ctx());
    BN_clear(bk.get());
    return stored(r.get());
  }

  std::unique_ptr<FixedBaseTable> fixed_base(ByteView base, std::size_t uses) const override {
    auto table = std::make_unique<P256Table>();
    if (all_zero(base.data())) {
      table->identity = true;
      return table;
    }
    if (equal(base, g_)) {
      table->standard = true;
      return table;
    }
    if (uses < 256) {
      table->base = point();
      load(base.data(), table->base.get());
      return table;
    }
    BN_CTX* ctx = crypto::thread_bn_ctx();
    table->group.reset(check_openssl(EC_GROUP_dup(group_.get()), "EC_GROUP_dup"));
    EcPointPtr pb = point();
    load(base.data(), pb.get());
    BnPtr q(BN_new());
    bn_from_mpz(order_, q.get());
    check_openssl_rc(EC_GROUP_set_generator(table->group.get(), pb.get(), q.get(), BN_value_one()),
                     "EC_GROUP_set_generator");
    check_openssl_rc(EC_GROUP_precompute_mult(table->group.get(), ctx), "precompute");
    return table;
  }

  void exp_combine(const FixedBaseTable& t1, std::span<const SecretScalar> k1,
                   const FixedBaseTable* t2, std::span<const SecretScalar> k2,
                   const ElementArray* factors, ElementArray& out,
                   Progress* progress) const override {
    const auto& tab1 = static_cast<const P256Table&>(t1);
    const auto* tab2 = static_cast<const P256Table*>(t2);
    out = ElementArray(kStride, k1.size());
    constexpr std::size_t kBlock = 256;
    parallel_for(
        k1.size(), kBlock,
        [&](std::size_t begin, std::size_t end) {
          BN_CTX* ctx = crypto::thread_bn_ctx();
          // Points reused from block to block: no allocation per element.
          thread_local std::vector<EcPointPtr> pool;
          thread_local BnPtr k(BN_new());
          while (pool.size() < kBlock + 1) pool.push_back(point());
          EC_POINT* tmp = pool[kBlock].get();
          std::vector<EC_POINT*> raw(end - begin);
          for (std::size_t i = begin; i < end; ++i) {
            EC_POINT* r = pool[i - begin].get();
            fixed_exp(tab1, k1[i], r, k.get(), ctx);
            if (tab2 != nullptr) {
              fixed_exp(*tab2, k2[i], tmp, k.get(), ctx);
              check_openssl_rc(EC_POINT_add(group_.get(), r, r, tmp, ctx), "add");
            }
            if (factors != nullptr) {
              load(factors->at(i), tmp);
              check_openssl_rc(EC_POINT_add(group_.get(), r, r, tmp, ctx), "add");
            }
            raw[i - begin] = r;
          }
          BN_clear(k.get());  // the last secret exponent
          store_all(raw, out.at(begin));
        },
        progress);
  }

  Bytes multi_exp_ct(const ElementArray& bases, std::span<const SecretScalar> exps,
                     Progress* progress) const override {
    const std::size_t n = bases.size();
    if (n != exps.size()) throw std::invalid_argument("multi_exp_ct: size mismatch");
    // One constant-time single-point multiplication per base (EC_POINT_mul with one point: the
    // ladder, or OpenSSL's constant-time P-256 code), summed per block. EC_POINTs_mul with
    // several points would share doublings but is variable time.
    constexpr std::size_t kBlock = 256;
    std::mutex mutex;
    EcPointPtr total = point();
    check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), total.get()), "infinity");
    parallel_for(
        n, kBlock,
        [&](std::size_t begin, std::size_t end) {
          BN_CTX* ctx = crypto::thread_bn_ctx();
          thread_local BnPtr k(BN_new());
          EcPointPtr acc = point(), base = point(), term = point();
          check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), acc.get()), "infinity");
          for (std::size_t i = begin; i < end; ++i) {
            load(bases.at(i), base.get());
            mul_ct(base.get(), exps[i], term.get(), k.get(), ctx);
            check_openssl_rc(EC_POINT_add(group_.get(), acc.get(), acc.get(), term.get(), ctx),
                             "add");
          }
          BN_clear(k.get());
          std::lock_guard lock(mutex);
          check_openssl_rc(EC_POINT_add(group_.get(), total.get(), total.get(), acc.get(), ctx),
                           "add");
        },
        progress);
    return stored(total.get());
  }

  Bytes multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                      Progress* progress) const override {
    const std::size_t n = bases.size();
    if (n != exps.size()) throw std::invalid_argument("multi_exp_var: size mismatch");
    if (n == 0) return identity();
    // OpenSSL's multi-point multiplication (interleaved windows over its P-256 assembly) in
    // chunks, one chunk per task; measured faster here than a bucket method over the generic
    // EC_POINT_add.
    constexpr std::size_t kChunk = 4096;
    std::mutex mutex;
    EcPointPtr total = point();
    check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), total.get()), "infinity");
    parallel_for(
        n, kChunk,
        [&](std::size_t begin, std::size_t end) {
          BN_CTX* ctx = crypto::thread_bn_ctx();
          // Points and scalars reused from chunk to chunk: no allocation per base.
          thread_local std::vector<EcPointPtr> pts;
          thread_local std::vector<BnPtr> ks;
          while (pts.size() < kChunk) pts.push_back(point());
          while (ks.size() < kChunk) ks.emplace_back(check_openssl(BN_new(), "BN_new"));
          std::vector<const EC_POINT*> raw_pts;
          std::vector<const BIGNUM*> raw_ks;
          raw_pts.reserve(end - begin);
          raw_ks.reserve(end - begin);
          for (std::size_t i = begin; i < end; ++i) {
            if (all_zero(bases.at(i))) continue;
            const std::size_t slot = raw_pts.size();
            load(bases.at(i), pts[slot].get());
            scalar_to_bn(exps[i], ks[slot].get());
            raw_pts.push_back(pts[slot].get());
            raw_ks.push_back(ks[slot].get());
          }
          EcPointPtr part = point();
          check_openssl_rc(EC_POINTs_mul(group_.get(), part.get(), nullptr, raw_pts.size(),
                                         raw_pts.data(), raw_ks.data(), ctx),
                           "EC_POINTs_mul");
          std::lock_guard lock(mutex);
          check_openssl_rc(EC_POINT_add(group_.get(), total.get(), total.get(), part.get(), ctx),
                           "add");
        },
        progress);
    return stored(total.get());
  }

  Bytes product(const ElementArray& a) const override {
    std::mutex mutex;
    EcPointPtr total = point();
    check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), total.get()), "infinity");
    parallel_for(a.size(), 8192, [&](std::size_t begin, std::size_t end) {
      BN_CTX* ctx = crypto::thread_bn_ctx();
      EcPointPtr acc = point(), p = point();
      check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), acc.get()), "infinity");
      for (std::size_t i = begin; i < end; ++i) {
        load(a.at(i), p.get());
        check_openssl_rc(EC_POINT_add(group_.get(), acc.get(), acc.get(), p.get(), ctx), "add");
      }
      std::lock_guard lock(mutex);
      check_openssl_rc(EC_POINT_add(group_.get(), total.get(), total.get(), acc.get(), ctx), "add");
    });
    return stored(total.get());
  }

  void write_element(ByteTreeWriter& w, ByteView e) const override {
    std::array<std::uint8_t, kLeaf> leaf{};
    w.node(2);
    if (all_zero(e.data())) {
      leaf.fill(0xff);  // Verificatum writes the point at infinity as (-1, -1)
      w.leaf(leaf);
      w.leaf(leaf);
      return;
    }
    std::memcpy(leaf.data() + 1, e.data(), kCoord);
    w.leaf(leaf);
    std::memcpy(leaf.data() + 1, e.data() + kCoord, kCoord);
    w.leaf(leaf);
  }

  std::size_t encoded_size() const override { return 5 + 2 * (5 + kLeaf); }

  void read_element(ByteTreeReader& r, std::uint8_t* out, std::string_view field) const override {
    const std::size_t at = r.offset();
    r.node(2, field);
    const ByteView x = r.leaf(kLeaf, std::string(field) + ".x");
    const ByteView y = r.leaf(kLeaf, std::string(field) + ".y");
    auto all_ff = [](ByteView v) {
      for (auto c : v) {
        if (c != 0xff) return false;
      }
      return true;
    };
    if (all_ff(x) && all_ff(y)) {
      std::memset(out, 0, kStride);
      return;
    }
    if (x[0] != 0 || y[0] != 0) r.fail_at(at, field, "coordinate out of range");
    if (std::memcmp(x.data() + 1, p_bytes_.data(), kCoord) >= 0 ||
        std::memcmp(y.data() + 1, p_bytes_.data(), kCoord) >= 0) {
      r.fail_at(at, field, "coordinate not reduced modulo p");
    }
    std::uint8_t oct[65];
    oct[0] = 0x04;
    std::memcpy(oct + 1, x.data() + 1, kCoord);
    std::memcpy(oct + 33, y.data() + 1, kCoord);
    EcPointPtr pt = point();
    if (EC_POINT_oct2point(group_.get(), pt.get(), oct, sizeof oct, crypto::thread_bn_ctx()) != 1) {
      ERR_clear_error_safe();
      r.fail_at(at, field, "point is not on the curve P-256");
    }
    std::memcpy(out, oct + 1, kStride);
  }

  ElementArray random_elements(HashPrg& prg, std::size_t n, unsigned statdist) const override {
    const unsigned bits = static_cast<unsigned>(mpz_sizeinbase(p_.get_mpz_t(), 2)) + statdist;
    ElementArray out(kStride, n);
    Progress progress("derive generators", n);
    std::size_t filled = 0;
    while (filled < n) {
      const std::size_t remaining = n - filled;
      // Verificatum draws twice the number still needed, keeps the x with f(x) a quadratic
      // residue in order, and discards the surplus (ECqPGroup.randomElementArray).
      std::vector<mpz_class> xs(2 * remaining);
      for (auto& x : xs) x = prg.next_integer(bits) % p_;
      std::vector<mpz_class> fx(xs.size());
      std::vector<char> ok(xs.size(), 0);
      parallel_for(xs.size(), 1024, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          fx[i] = (xs[i] * xs[i] % p_ * xs[i] + a_ * xs[i] + b_) % p_;
          ok[i] = mpz_jacobi(fx[i].get_mpz_t(), p_.get_mpz_t()) == 1 ? 1 : 0;
        }
      });
      std::vector<std::size_t> picked;
      for (std::size_t i = 0; i < xs.size() && picked.size() < remaining; ++i) {
        if (ok[i] != 0) picked.push_back(i);
      }
      parallel_for(
          picked.size(), 256,
          [&](std::size_t begin, std::size_t end) {
            for (std::size_t j = begin; j < end; ++j) {
              const std::size_t i = picked[j];
              mpz_class y;
              mpz_powm(y.get_mpz_t(), fx[i].get_mpz_t(), sqrt_exp_.get_mpz_t(), p_.get_mpz_t());
              const mpz_class y_neg = p_ - y;
              if (y_neg < y) y = y_neg;
              std::uint8_t* e = out.at(filled + j);
              export_fixed(xs[i], e, kCoord);
              export_fixed(y, e + kCoord, kCoord);
            }
          },
          &progress);
      filled += picked.size();
    }
    return out;
  }

  std::vector<mpz_class> to_integers(ByteView e) const override {
    if (all_zero(e.data())) return {-1, -1};
    return {integer_from_bytes(e.subspan(0, kCoord)), integer_from_bytes(e.subspan(kCoord))};
  }
  Bytes from_integers(std::span<const mpz_class> values) const override {
    if (values.size() != 2) throw FormatError("P-256 element needs two coordinates");
    if (values[0] == -1 && values[1] == -1) return identity();
    if (values[0] < 0 || values[0] >= p_ || values[1] < 0 || values[1] >= p_) {
      throw FormatError("P-256 coordinate out of range");
    }
    std::uint8_t oct[65];
    oct[0] = 0x04;
    export_fixed(values[0], oct + 1, kCoord);
    export_fixed(values[1], oct + 33, kCoord);
    EcPointPtr pt = point();
    if (EC_POINT_oct2point(group_.get(), pt.get(), oct, sizeof oct, crypto::thread_bn_ctx()) != 1) {
      ERR_clear_error_safe();
      throw FormatError("point is not on the curve P-256");
    }
    return Bytes(oct + 1, oct + 65);
  }

 private:
  static void ERR_clear_error_safe();

  EcPointPtr point() const {
    return EcPointPtr(check_openssl(EC_POINT_new(group_.get()), "EC_POINT_new"));
  }

  mpz_class reduce(const mpz_class& k) const {
    if (k >= 0 && k < order_) return k;
    mpz_class r;
    mpz_mod(r.get_mpz_t(), k.get_mpz_t(), order_.get_mpz_t());
    return r;
  }

  // Sets out = k mod q without allocating when k is already reduced (the usual case).
  void scalar_to_bn(const mpz_class& k, BIGNUM* out) const {
    if (k >= 0 && k < order_) {
      bn_from_mpz(k, out);
      return;
    }
    thread_local mpz_class reduced;
    mpz_mod(reduced.get_mpz_t(), k.get_mpz_t(), order_.get_mpz_t());
    bn_from_mpz(reduced, out);
  }

  void load(const std::uint8_t* e, EC_POINT* out) const {
    if (all_zero(e)) {
      check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), out), "infinity");
      return;
    }
    std::uint8_t oct[65];
    oct[0] = 0x04;
    std::memcpy(oct + 1, e, kStride);
    check_openssl_rc(
        EC_POINT_oct2point(group_.get(), out, oct, sizeof oct, crypto::thread_bn_ctx()),
        "EC_POINT_oct2point");
  }

  void store(const EC_POINT* pt, std::uint8_t* out) const {
    if (EC_POINT_is_at_infinity(group_.get(), pt) == 1) {
      std::memset(out, 0, kStride);
      return;
    }
    std::uint8_t oct[65];
    const std::size_t len = EC_POINT_point2oct(group_.get(), pt, POINT_CONVERSION_UNCOMPRESSED, oct,
                                               sizeof oct, crypto::thread_bn_ctx());
    if (len != 65) crypto::throw_openssl_error("EC_POINT_point2oct");
    std::memcpy(out, oct + 1, kStride);
  }

  Bytes stored(const EC_POINT* pt) const {
    Bytes out(kStride);
    store(pt, out.data());
    return out;
  }

  // Converts a batch to affine with one inversion, then stores it contiguously. (Reading the
  // coordinates of a point whose Z is one through the Jacobian accessor avoids the inversion
  // that EC_POINT_point2oct performs on every call with OpenSSL's P-256 code.)
  void store_all(std::vector<EC_POINT*>& pts, std::uint8_t* out) const {
    BN_CTX* ctx = crypto::thread_bn_ctx();
    std::vector<EC_POINT*> finite;
    finite.reserve(pts.size());
    for (EC_POINT* p : pts) {
      if (EC_POINT_is_at_infinity(group_.get(), p) != 1) finite.push_back(p);
    }
    if (!finite.empty()) {
      check_openssl_rc(EC_POINTs_make_affine(group_.get(), finite.size(), finite.data(), ctx),
                       "EC_POINTs_make_affine");
    }
    thread_local BnPtr x(BN_new()), y(BN_new()), z(BN_new());
    for (std::size_t i = 0; i < pts.size(); ++i) {
      std::uint8_t* e = out + i * kStride;
      if (EC_POINT_is_at_infinity(group_.get(), pts[i]) == 1) {
        std::memset(e, 0, kStride);
        continue;
      }
      check_openssl_rc(EC_POINT_get_Jprojective_coordinates_GFp(group_.get(), pts[i], x.get(),
                                                                y.get(), z.get(), ctx),
                       "EC_POINT_get_Jprojective_coordinates_GFp");
      if (!BN_is_one(z.get())) {
        store(pts[i], e);
        continue;
      }
      check_openssl_rc(BN_bn2binpad(x.get(), e, kCoord) == kCoord ? 1 : 0, "BN_bn2binpad");
      check_openssl_rc(BN_bn2binpad(y.get(), e + kCoord, kCoord) == kCoord ? 1 : 0, "BN_bn2binpad");
    }
  }

  // r = base^k for a secret k in [0, q): EC_POINT_mul with a single point and no generator
  // term, which OpenSSL 3 computes in constant time (ec_scalar_mul_ladder, or the constant-time
  // P-256 implementation when it is the curve's method). bk is scratch.
  void mul_ct(const EC_POINT* base, const SecretScalar& k, EC_POINT* r, BIGNUM* bk,
              BN_CTX* ctx) const {
    scalar_to_bn(k.reveal(), bk);
    BN_set_flags(bk, BN_FLG_CONSTTIME);
    check_openssl_rc(EC_POINT_mul(group_.get(), r, nullptr, base, bk, ctx), "mul");
  }

  // r = table base^k for a secret k in [0, q), in constant time (single-scalar EC_POINT_mul).
  void fixed_exp(const P256Table& t, const SecretScalar& k, EC_POINT* r, BIGNUM* bk,
                 BN_CTX* ctx) const {
    if (t.identity) {
      check_openssl_rc(EC_POINT_set_to_infinity(group_.get(), r), "infinity");
      return;
    }
    if (t.base) {
      mul_ct(t.base.get(), k, r, bk, ctx);
      return;
    }
    scalar_to_bn(k.reveal(), bk);
    BN_set_flags(bk, BN_FLG_CONSTTIME);
    if (t.standard) {
      check_openssl_rc(EC_POINT_mul(group_.get(), r, bk, nullptr, nullptr, ctx), "mul");
      return;
    }
    check_openssl_rc(EC_POINT_mul(t.group.get(), r, bk, nullptr, nullptr, ctx), "fixed-base mul");
  }

  EcGroupPtr group_;
  mpz_class p_, a_, b_, sqrt_exp_;
  Bytes p_bytes_;
  Bytes g_;
};

void P256Group::ERR_clear_error_safe() {
  ERR_clear_error();
}

}  // namespace

std::unique_ptr<MixGroup> make_p256_group() {
  return std::make_unique<P256Group>();
}

}  // namespace haal::mixnet
