// The fast mod-p arithmetic (crypto/modp_arith.hpp) and the groups' batch operations equal the
// naive loops (mpz_powm per base, exp_var per base) on random inputs, including the identity,
// exponent 0, one base, and sizes and exponents around every table, window and batch boundary.
#include <catch2/catch.hpp>

#include "crypto/group_modp.hpp"
#include "crypto/modp_arith.hpp"

using namespace haal::crypto;

namespace {

mpz_class powm(const mpz_class& b, const mpz_class& e, const mpz_class& p) {
  mpz_class r;
  mpz_powm(r.get_mpz_t(), b.get_mpz_t(), e.get_mpz_t(), p.get_mpz_t());
  return r;
}

mpz_class naive_multi_exp(std::span<const mpz_class> bases, std::span<const mpz_class> exps,
                          const mpz_class& p) {
  mpz_class acc = 1;
  for (std::size_t i = 0; i < bases.size(); ++i) acc = acc * powm(bases[i], exps[i], p) % p;
  return acc;
}

struct Rng {
  gmp_randclass r{gmp_randinit_default};
  explicit Rng(unsigned long seed) { r.seed(seed); }
  mpz_class below(const mpz_class& n) { return r.get_z_range(n); }
  mpz_class bits(std::size_t b) { return r.get_z_bits(static_cast<mp_bitcnt_t>(b)); }
};

}  // namespace

TEST_CASE("Montgomery multiplication equals a*b mod p", "[crypto][modp]") {
  for (int bits : {2048, 3072}) {
    const ModpGroup& g = modp_group(bits);
    const MontModulus& m = g.arith();
    const mpz_class& p = g.modulus();
    MontModulus::Scratch s(m);
    Rng rng(static_cast<unsigned long>(bits));
    std::vector<mp_limb_t> a(m.limbs()), b(m.limbs()), r(m.limbs());
    const std::vector<mpz_class> specials = {0, 1, 2, p - 1, p - 2, (p - 1) / 2};
    for (int i = 0; i < 40; ++i) {
      const mpz_class x = i < 6 ? specials[static_cast<std::size_t>(i)] : rng.below(p);
      const mpz_class y = i % 7 == 0 ? p - 1 : rng.below(p);
      m.to_mont(a.data(), x, s);
      m.to_mont(b.data(), y, s);
      CHECK(m.from_mont(a.data(), s) == x);
      m.mul(r.data(), a.data(), b.data(), s);
      CHECK(m.from_mont(r.data(), s) == x * y % p);
      m.sqr(r.data(), a.data(), s);
      CHECK(m.from_mont(r.data(), s) == x * x % p);
      m.mul(a.data(), a.data(), a.data(), s);  // aliased operands
      CHECK(m.from_mont(a.data(), s) == x * x % p);
    }
    CHECK_THROWS_AS(m.to_mont(a.data(), p, s), std::invalid_argument);
  }
  CHECK_THROWS_AS(MontModulus(mpz_class(1024)), std::invalid_argument);
}

TEST_CASE("fixed-base tables equal mpz_powm at every window and row boundary", "[crypto][modp]") {
  const ModpGroup& g = modp_group(2048);
  const mpz_class& p = g.modulus();
  Rng rng(7);
  const mpz_class base = powm(4, rng.below(g.order()), p);
  for (unsigned w : {1u, 2u, 3u, 4u, 5u, 6u, 8u}) {
    for (std::size_t bits : {std::size_t{1}, std::size_t{w}, std::size_t{w + 1}, std::size_t{64},
                             std::size_t{65}, std::size_t{130}, std::size_t{2047}}) {
      const ModpFixedBaseTable t(g.arith(), base, bits, w);
      std::vector<mpz_class> ks = {0, 1, (mpz_class(1) << static_cast<mp_bitcnt_t>(bits)) - 1};
      if (bits > w) ks.push_back(mpz_class(1) << w);
      if (bits >= w) ks.push_back((mpz_class(1) << w) - 1);
      for (int i = 0; i < 3; ++i) ks.push_back(rng.bits(bits));
      for (const auto& k : ks) {
        INFO("w " << w << ", bits " << bits << ", k " << k.get_str(16));
        const mpz_class want = powm(base, k, p);
        CHECK(t.exp(k) == want);
        CHECK(t.exp_var(k) == want);
      }
      CHECK_THROWS_AS(t.exp(mpz_class(1) << static_cast<mp_bitcnt_t>(bits)), std::invalid_argument);
      CHECK_THROWS_AS(t.exp_var(mpz_class(-1)), std::invalid_argument);
    }
  }
  // exp_batch, around its block of 32 exponents: the same as exp one at a time.
  const ModpFixedBaseTable t(g.arith(), base, 2047);
  for (const std::size_t count : {0, 1, 31, 32, 33, 65}) {
    std::vector<mpz_class> ks(count);
    for (std::size_t i = 0; i < count; ++i)
      ks[i] = i % 5 == 0 ? mpz_class(i) : rng.below(g.order());
    std::vector<mpz_class> out;
    t.exp_batch([&](std::size_t i) -> const mpz_class& { return ks[i]; }, count, out);
    REQUIRE(out.size() == count);
    for (std::size_t i = 0; i < count; ++i) CHECK(out[i] == powm(base, ks[i], p));
  }
  const ModpFixedBaseTable one(g.arith(), 1, 2047);  // the identity as a base
  CHECK(one.exp(rng.below(g.order())) == 1);
  CHECK(one.exp_var(rng.below(g.order())) == 1);
}

TEST_CASE("mod-p multi-exponentiations equal the naive loop", "[crypto][modp]") {
  for (int bits : {2048, 3072}) {
    const ModpGroup& g = modp_group(bits);
    const mpz_class& p = g.modulus();
    const mpz_class& q = g.order();
    const std::size_t q_bits = g.scalars().bit_length();
    Rng rng(static_cast<unsigned long>(bits) + 1);
    // Around the constant-time batch of 128 bases and the Straus/Pippenger switch (Pippenger
    // from about 100 bases with short exponents, 500 with full-size ones), and Pippenger window
    // changes (c grows with the number of bases). Full-size exponents up to 129 bases (33 for
    // modp-3072: the naive loop is slow), short ones (128 bits, or up to 300 bits) at every size.
    const std::vector<std::size_t> sizes =
        bits == 2048 ? std::vector<std::size_t>{0, 1, 2, 3, 8, 9, 32, 33, 128, 129, 700}
                     : std::vector<std::size_t>{0, 1, 2, 5, 33, 129, 300};
    for (const std::size_t n : sizes) {
      std::vector<mpz_class> bases(n), full(n), short_e(n), mixed(n), zeros(n, 0);
      for (std::size_t i = 0; i < n; ++i) {
        bases[i] = powm(4, rng.below(q), p);
        full[i] = rng.below(q);
        short_e[i] = rng.bits(128);
        mixed[i] = rng.bits(1 + i % 300);
      }
      if (n > 2) {
        bases[1] = 1;  // the identity as a base
        full[2] = 0;   // exponent 0
        short_e[2] = 0;
        full[0] = q - 1;
      }
      INFO("modp-" << bits << ", " << n << " bases");
      for (const auto* exps : {&full, &short_e, &mixed, &zeros}) {
        if (exps == &full && n > (bits == 2048 ? 129u : 33u)) continue;
        const mpz_class want = naive_multi_exp(bases, *exps, p);
        CHECK(modp_multi_exp_var(g.arith(), bases, *exps) == want);
        if (exps != &short_e && n <= 129) {
          const auto& e = *exps;
          CHECK(modp_multi_exp(
                    g.arith(), bases, [&](std::size_t i) -> const mpz_class& { return e[i]; },
                    q_bits) == want);
        }
      }
    }
    // Exponents above q (public ones may be any non-negative integer) and a wrong count.
    const std::vector<mpz_class> b2 = {powm(4, 5, p), powm(4, 6, p)};
    const std::vector<mpz_class> e2 = {q + 5, mpz_class(1) << 3000};
    CHECK(modp_multi_exp_var(g.arith(), b2, e2) == naive_multi_exp(b2, e2, p));
    CHECK_THROWS_AS(modp_multi_exp_var(g.arith(), b2, std::vector<mpz_class>{1}),
                    std::invalid_argument);
  }
}

TEST_CASE("each group's batch operations equal exp_var one base at a time", "[crypto][groups]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048", "modp-3072");
  const Group& g = group_by_name(name);
  const ScalarField& f = g.scalars();
  RandomSource& rng = system_random();
  INFO(name);
  for (const std::size_t n : {0, 1, 2, 7, 8, 9, 33}) {
    std::vector<Element> bases;
    std::vector<Scalar> exps;
    Element want = g.identity();
    for (std::size_t i = 0; i < n; ++i) {
      // The identity, and the generator itself (mod-p uses its table for one or two bases).
      bases.push_back(i == 1   ? g.identity()
                      : i == 0 ? g.generator()
                               : g.exp_generator(f.random_secret(rng)));
      exps.push_back(i == 2 ? Scalar() : (i % 2 == 0 ? f.random_nonzero(rng) : f.from_u64(i)));
      want = g.mul(want, g.exp_var(bases.back(), exps.back()));
    }
    CHECK(g.equal(g.multi_exp_var(bases, exps), want));
  }
  const Element base = g.exp_generator(f.random_secret(rng));
  const auto table = g.precompute(base);
  const auto g_table = g.precompute(g.generator());
  for (const Scalar& k : {Scalar(), f.from_u64(1), f.from_u64(31), f.from_u64(32),
                          f.neg(f.from_u64(1)), f.random_nonzero(rng)}) {
    const Element want = g.exp_var(base, k);
    const SecretScalar secret(k);
    CHECK(g.equal(table->exp(secret), want));
    CHECK(g.equal(table->exp_var(k), want));
    CHECK(g.equal(g.exp(base, secret), want));
    CHECK(g.equal(g.exp_generator(secret), g.exp_var(g.generator(), k)));
    CHECK(g.equal(g.exp_generator_var(k), g.exp_var(g.generator(), k)));
    CHECK(g.equal(g_table->exp(secret), g.exp_generator(secret)));
  }
}
