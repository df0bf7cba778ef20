// The batch operations of the group layer on compact element arrays equal the naive loop of
// single exponentiations and products, for every group, around each block, table and window
// boundary, with the identity as a base and exponent 0.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "crypto/group.hpp"
#include "crypto/group_modp.hpp"
#include "crypto/group_p256.hpp"
#include "crypto/random_source.hpp"

using namespace haal::crypto;

namespace {

struct Batch {
  ElementArray bases;
  std::vector<mpz_class> pub;
  std::vector<SecretScalar> sec;
};

// n random bases with random exponents in [0, q); base 1 is the identity, exponent 2 is zero,
// exponent 3 is q - 1.
Batch random_batch(const Group& g, std::size_t n, RandomSource& rng) {
  const ScalarField& f = g.scalars();
  Batch b{ElementArray(g.stride(), n), std::vector<mpz_class>(n), std::vector<SecretScalar>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    b.bases.set(
        i, i == 1 ? g.identity_compact() : g.to_compact_var(g.exp_generator(f.random_secret(rng))));
    b.pub[i] = i == 2 ? mpz_class(0) : i == 3 ? g.order() - 1 : f.random_nonzero(rng).value();
    b.sec[i] = SecretScalar(b.pub[i]);
  }
  return b;
}

// prod bases[i]^exps[i] one exponentiation at a time.
Bytes naive_multi_exp(const Group& g, const ElementArray& bases,
                      const std::vector<mpz_class>& exps) {
  Bytes acc = g.identity_compact();
  for (std::size_t i = 0; i < bases.size(); ++i)
    acc = g.mul(acc, g.exp_var(bases.view(i), exps[i]));
  return acc;
}

}  // namespace

TEST_CASE("compact multi-exponentiations and products equal the naive loop", "[crypto][groups]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048", "modp-3072");
  const Group& g = group_by_name(name);
  RandomSource& rng = system_random();
  // P-256: chunks of 256 to 2048 bases (n / (4 * threads) + 1), each constant-time chunk led by
  // a blinding base; mod-p: one block per worker of at least 64 bases, constant-time Straus
  // batches of 128 bases.
  const std::vector<std::size_t> sizes =
      name == "P-256"       ? std::vector<std::size_t>{0, 1, 2, 4, 255, 256, 257, 513, 4097}
      : name == "modp-2048" ? std::vector<std::size_t>{0, 1, 2, 4, 63, 64, 65, 128, 129}
                            : std::vector<std::size_t>{0, 1, 4, 65};
  for (const std::size_t n : sizes) {
    INFO(name << ", " << n << " bases");
    const Batch b = random_batch(g, n, rng);
    const Bytes want = naive_multi_exp(g, b.bases, b.pub);
    CHECK(g.multi_exp_var(b.bases, b.pub) == want);
    CHECK(g.multi_exp(b.bases, b.sec, 0) == want);
    Bytes product = g.identity_compact();
    for (std::size_t i = 0; i < n; ++i) product = g.mul(product, b.bases.view(i));
    CHECK(g.product(b.bases) == product);
    // All exponents zero.
    const std::vector<mpz_class> zeros(n, 0);
    const std::vector<SecretScalar> secret_zeros(n, SecretScalar(0));
    CHECK(g.multi_exp_var(b.bases, zeros) == g.identity_compact());
    CHECK(g.multi_exp(b.bases, secret_zeros, 0) == g.identity_compact());
    // A wrong exponent changes the result (the comparison can fail).
    if (n > 4) {
      std::vector<mpz_class> other = b.pub;
      other[4] += 1;
      CHECK_FALSE(g.multi_exp_var(b.bases, other) == want);
    }
  }
  const Batch b = random_batch(g, 3, rng);
  CHECK_THROWS_AS(g.multi_exp_var(b.bases, std::span<const mpz_class>(b.pub).first(2)),
                  std::invalid_argument);
  CHECK_THROWS_AS(g.multi_exp(b.bases, std::span<const SecretScalar>(b.sec).first(2), 0),
                  std::invalid_argument);
  // A public bound on the secret exponents (the shuffle proof's 612-bit epsilon): the same
  // product; on mod-p an exponent over the bound is refused.
  {
    const Batch s = random_batch(g, 70, rng);
    std::vector<mpz_class> pub(70);
    std::vector<SecretScalar> sec(70);
    for (std::size_t i = 0; i < pub.size(); ++i) {
      pub[i] = s.pub[i] % (mpz_class(1) << 612);
      sec[i] = SecretScalar(pub[i]);
    }
    pub[5] = (mpz_class(1) << 612) - 1;  // the largest exponent within the bound
    sec[5] = SecretScalar(pub[5]);
    CHECK(g.multi_exp(s.bases, sec, 612) == naive_multi_exp(g, s.bases, pub));
    if (name != "P-256") {
      sec[6] = SecretScalar(mpz_class(1) << 612);
      CHECK_THROWS_AS(g.multi_exp(s.bases, sec, 612), std::invalid_argument);
    }
  }
  // Public exponents may exceed q.
  const std::vector<mpz_class> big = {g.order() + 5, g.order() * 3 + 1, 7};
  const std::vector<mpz_class> reduced = {5, 1, 7};
  CHECK(g.multi_exp_var(b.bases, big) == naive_multi_exp(g, b.bases, reduced));
  CHECK(g.exp_var(b.bases.view(0), big[0]) == g.exp_var(b.bases.view(0), reduced[0]));
}

TEST_CASE("constant-time multi-exponentiation with related bases", "[crypto][groups]") {
  // A base repeated, a base and its square, the identity twice: OpenSSL's point addition takes
  // another branch for equal inputs, which the blinding base of P-256's multi_exp avoids; the
  // result is the same product.
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048");
  const Group& g = group_by_name(name);
  RandomSource& rng = system_random();
  const ScalarField& f = g.scalars();
  const Bytes b = g.to_compact_var(g.exp_generator(f.random_secret(rng)));
  const Bytes b2 = g.mul(b, b);
  const std::vector<Bytes> list = {b, b, b2, g.identity_compact(), b, g.identity_compact(), b2};
  ElementArray bases(g.stride(), list.size());
  for (std::size_t i = 0; i < list.size(); ++i) bases.set(i, list[i]);
  for (int round = 0; round < 2; ++round) {
    std::vector<mpz_class> pub(list.size());
    std::vector<SecretScalar> sec(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      // Round 0: equal exponents (equal bases then give equal window digits); round 1: random.
      pub[i] = round == 0 ? mpz_class(12345) : f.random_nonzero(rng).value();
      sec[i] = SecretScalar(pub[i]);
    }
    CHECK(g.multi_exp(bases, sec, 0) == naive_multi_exp(g, bases, pub));
    CHECK(g.multi_exp_var(bases, pub) == naive_multi_exp(g, bases, pub));
  }
#if defined(__x86_64__)
  // On x86-64 OpenSSL's P-256 method is ecp_nistz256: the constant-time multi-point path.
  if (name == "P-256") CHECK(p256_group().constant_time_multi_point());
#endif
}

TEST_CASE("fixed-base batches equal the naive loop, with and without tables", "[crypto][groups]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048", "modp-3072");
  const Group& g = group_by_name(name);
  RandomSource& rng = system_random();
  // Tables from 256 uses (P-256) or 64 (mod-p); blocks of 256 (P-256) or 64, walked by the mod-p
  // table in groups of 32.
  const std::vector<std::size_t> sizes =
      name == "P-256"       ? std::vector<std::size_t>{0, 1, 255, 256, 257}
      : name == "modp-2048" ? std::vector<std::size_t>{0, 1, 31, 32, 33, 64, 65}
                            : std::vector<std::size_t>{0, 1, 33};
  const std::size_t threshold = name == "P-256" ? 256 : 64;
  const Bytes h = g.to_compact_var(g.exp_generator(g.scalars().random_secret(rng)));
  for (const std::size_t uses : {std::size_t{1}, threshold - 1, threshold, kManyUses}) {
    const auto tg = g.precompute(g.generator_compact(), uses);
    const auto th = g.precompute(h, uses);
    const auto tid = g.precompute(g.identity_compact(), uses);
    for (const std::size_t n : sizes) {
      INFO(name << ", " << uses << " uses, " << n << " exponents");
      const Batch k1 = random_batch(g, n, rng);
      const Batch k2 = random_batch(g, n, rng);
      const Batch factors = random_batch(g, n, rng);
      ElementArray out, out2, out3;
      g.exp_combine(*tg, k1.sec, th.get(), k2.sec, &factors.bases, out);
      g.exp_combine(*th, k1.sec, nullptr, {}, nullptr, out2);
      g.exp_combine(*tid, k1.sec, nullptr, {}, &factors.bases, out3);
      REQUIRE(out.size() == n);
      REQUIRE(out2.size() == n);
      REQUIRE(out3.size() == n);
      for (std::size_t i = 0; i < n; ++i) {
        const Bytes gk = g.exp_var(g.generator_compact(), k1.pub[i]);
        const Bytes hk = g.exp_var(h, k2.pub[i]);
        CHECK(out.get(i) == g.mul(g.mul(gk, hk), factors.bases.view(i)));
        CHECK(out2.get(i) == g.exp_var(h, k1.pub[i]));
        CHECK(out3.get(i) == factors.bases.get(i));
      }
      if (n > 0) {
        // The Element interface of the same fixed bases.
        const Scalar k(k1.pub[0]);
        CHECK(g.equal(th->exp(SecretScalar(k)), g.from_compact_var(out2.view(0))));
        CHECK(g.equal(th->exp_var(k), g.from_compact_var(out2.view(0))));
        CHECK(g.exp(h, k1.sec[0]) == out2.get(0));
      }
    }
    const Batch k = random_batch(g, 2, rng);
    ElementArray out;
    CHECK_THROWS_AS(g.exp_combine(*tg, k.sec, th.get(), {}, nullptr, out), std::invalid_argument);
  }
}

TEST_CASE("compact forms round-trip and are checked on entry", "[crypto][groups]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048", "modp-3072");
  const Group& g = group_by_name(name);
  const Element a = g.exp_generator(g.scalars().random_secret(system_random()));
  const Bytes c = g.to_compact_var(a);
  CHECK(c.size() == g.stride());
  CHECK(g.check_compact_var(c).empty());
  CHECK(g.equal(g.from_compact_var(c), a));
  CHECK(g.equal(g.from_compact_var(g.to_compact_var(g.decode_var(g.encode(a)))), a));
  CHECK(g.to_compact_var(g.generator()) == g.generator_compact());
  CHECK(g.to_compact_var(g.identity()) == g.identity_compact());
  CHECK(g.is_identity(g.from_compact_var(g.identity_compact())));
  CHECK(g.from_integers(g.to_integers(c)) == c);
  // P-256: (x, y xor 1) is off the curve (only y and p - y are roots); mod-p: p - v is a
  // non-residue (-1 is one, as p = 3 mod 4).
  const auto* modp = dynamic_cast<const ModpGroup*>(&g);
  Bytes bad = c;
  if (modp == nullptr) {
    bad[bad.size() - 1] ^= 1;
  } else {
    bad = mpz_to_bytes(modp->modulus() - mpz_from_bytes(c), g.stride());
  }
  CHECK_FALSE(g.check_compact_var(bad).empty());
  CHECK_THROWS_AS(g.from_compact_var(bad), std::invalid_argument);
  CHECK_FALSE(g.check_compact_var(Bytes(c.begin(), c.end() - 1)).empty());
  CHECK_FALSE(g.check_compact_var(Bytes(g.stride(), 0xff)).empty());  // not reduced
  CHECK_THROWS_AS(g.from_integers(std::vector<mpz_class>{-2}), std::invalid_argument);
}
