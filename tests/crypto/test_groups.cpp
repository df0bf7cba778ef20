// Group laws, encodings and membership checks for every supported group.
#include <catch2/catch.hpp>

#include "crypto/group_modp.hpp"
#include "crypto/group_p256.hpp"

using namespace haal::crypto;

namespace {
const Group& pick_group(const std::string& name) {
  return group_by_name(name);
}
}  // namespace

TEST_CASE("RFC 3526 moduli are safe primes and 4 generates the order-q subgroup") {
  for (int bits : {2048, 3072}) {
    const ModpGroup& g = modp_group(bits);
    const mpz_class& p = g.modulus();
    const mpz_class q = g.order();
    CHECK(mpz_sizeinbase(p.get_mpz_t(), 2) == static_cast<std::size_t>(bits));
    CHECK(p == 2 * q + 1);
    CHECK(mpz_probab_prime_p(p.get_mpz_t(), 30) > 0);
    CHECK(mpz_probab_prime_p(q.get_mpz_t(), 30) > 0);
    mpz_class r;
    mpz_powm(r.get_mpz_t(), mpz_class(4).get_mpz_t(), q.get_mpz_t(), p.get_mpz_t());
    CHECK(r == 1);
  }
}

TEST_CASE("P-256 base point and order are the SEC 2 values") {
  const Group& g = group_by_name("P-256");
  CHECK(g.to_hex(g.generator()) ==
        "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
  CHECK(mpz_class(g.order()).get_str(16) ==
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
}

TEST_CASE("group laws, encodings, fixed-base and multi-exponentiation", "[groups]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048", "modp-3072");
  const Group& g = pick_group(name);
  const ScalarField& f = g.scalars();
  INFO(name);
  RandomSource& rng = system_random();
  const Scalar a = f.random_nonzero(rng);
  const Scalar b = f.random_nonzero(rng);
  const Element ga = g.exp_generator(SecretScalar(a));
  const Element gb = g.exp(g.generator(), SecretScalar(b));

  // g^a g^b = g^(a+b); (g^a)^b = (g^b)^a; inverse; identity; the `_var` forms agree
  CHECK(g.equal(g.mul(ga, gb), g.exp_generator(SecretScalar(f.add(a, b)))));
  CHECK(g.equal(g.exp(ga, SecretScalar(b)), g.exp_var(gb, a)));
  CHECK(g.equal(g.exp_generator_var(a), ga));
  CHECK(g.equal(g.exp_var(g.generator(), b), gb));
  CHECK(g.is_identity(g.mul(ga, g.inverse(ga))));
  CHECK(g.is_identity(g.exp_generator(SecretScalar())));
  CHECK(g.is_identity(g.exp_generator_var(Scalar())));
  CHECK(g.equal(g.exp(ga, SecretScalar(f.from_u64(1))), ga));

  // Encoding round trip, fixed length
  const Bytes enc = g.encode(ga);
  CHECK(enc.size() == g.element_length());
  CHECK(g.equal(g.decode_var(enc), ga));
  CHECK(g.equal(g.from_hex_var(g.to_hex(gb)), gb));

  // Fixed-base tables agree with plain exponentiation
  const auto table = g.precompute(ga);
  CHECK(g.equal(table->exp(SecretScalar(b)), g.exp(ga, SecretScalar(b))));
  CHECK(g.equal(table->exp_var(b), g.exp(ga, SecretScalar(b))));
  CHECK(g.equal(table->exp_var(Scalar()), g.identity()));

  // Multi-exponentiation agrees with the product of exponentiations (small and Pippenger sizes)
  for (std::size_t n : {0u, 1u, 5u, 40u}) {
    std::vector<Element> bases;
    std::vector<Scalar> exps;
    Element expected = g.identity();
    for (std::size_t i = 0; i < n; ++i) {
      bases.push_back(g.exp_generator(f.random_secret(rng)));
      exps.push_back(f.random_nonzero(rng));
      expected = g.mul(expected, g.exp(bases.back(), SecretScalar(exps.back())));
    }
    CHECK(g.equal(g.multi_exp_var(bases, exps), expected));
  }
}

TEST_CASE("decoders reject wrong lengths, non-members, identity and non-canonical input") {
  SECTION("P-256") {
    const Group& g = group_by_name("P-256");
    const Bytes good = g.encode(g.generator());
    CHECK_THROWS_WITH(g.decode_var(Bytes(good.begin(), good.end() - 1)),
                      Catch::Contains("33 bytes"));
    CHECK_THROWS_WITH(g.decode_var(Bytes(33, 0)), Catch::Contains("identity"));
    Bytes uncompressed_prefix = good;
    uncompressed_prefix[0] = 0x04;
    CHECK_THROWS_WITH(g.decode_var(uncompressed_prefix), Catch::Contains("0x02 or 0x03"));
    Bytes big_x(33, 0xff);
    big_x[0] = 0x02;
    CHECK_THROWS_WITH(g.decode_var(big_x), Catch::Contains("not reduced"));
    // x = 5: 125 - 15 + b has no square root mod p on P-256 (found by search below).
    int off_curve_found = 0;
    for (std::uint8_t x = 1; x < 40 && off_curve_found == 0; ++x) {
      Bytes candidate(33, 0);
      candidate[0] = 0x02;
      candidate[32] = x;
      try {
        (void)g.decode_var(candidate);
      } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("not on the curve") != std::string::npos);
        off_curve_found = x;
      }
    }
    CHECK(off_curve_found != 0);
  }
  SECTION("mod-p") {
    const Group& g = group_by_name("modp-2048");
    const auto& p = modp_group(2048).modulus();
    CHECK_THROWS_WITH(g.decode_var(Bytes(255, 1)), Catch::Contains("256 bytes"));
    CHECK_THROWS_WITH(g.decode_var(Bytes(256, 0)), Catch::Contains("not in [1, p-1]"));
    CHECK_THROWS_WITH(g.decode_var(mpz_to_bytes(mpz_class(1), 256)), Catch::Contains("identity"));
    CHECK_THROWS_WITH(g.decode_var(mpz_to_bytes(p, 256)), Catch::Contains("not in [1, p-1]"));
    CHECK_THROWS_WITH(g.decode_var(mpz_to_bytes(p - 1, 256)), Catch::Contains("quadratic residue"));
    // 2 * (a residue) is a non-residue when 2 is a residue: p = 7 mod 8 here, so use -4 = p - 4.
    CHECK_THROWS_WITH(g.decode_var(mpz_to_bytes(p - 4, 256)), Catch::Contains("quadratic residue"));
    CHECK_NOTHROW(g.decode_var(mpz_to_bytes(mpz_class(4), 256)));
  }
  SECTION("hex must be canonical") {
    const Group& g = group_by_name("P-256");
    std::string hex = g.to_hex(g.generator());
    hex[2] = 'B';
    CHECK_THROWS_AS(g.from_hex_var(hex), std::invalid_argument);
  }
}

TEST_CASE("scalar encoding is fixed-length and reduced") {
  for (const std::string& name : supported_group_names()) {
    const ScalarField& f = group_by_name(name).scalars();
    const Scalar s = f.random_nonzero(system_random());
    CHECK(f.decode(f.encode(s)) == s);
    CHECK_THROWS_WITH(f.decode(Bytes(f.byte_length() + 1, 0)), Catch::Contains("bytes"));
    CHECK_THROWS_WITH(f.decode(mpz_to_bytes(f.order(), f.byte_length())),
                      Catch::Contains("not reduced"));
    CHECK(f.mul(s, f.inverse(s)) == f.from_u64(1));
    CHECK_THROWS_AS(f.inverse(Scalar()), std::domain_error);
    CHECK(f.add(s, f.neg(s)).is_zero());
    CHECK(f.sub(Scalar(), s) == f.neg(s));
  }
}

TEST_CASE("message embedding round trips up to capacity and rejects one byte more") {
  for (const std::string& name : supported_group_names()) {
    const Group& g = group_by_name(name);
    INFO(name);
    for (std::size_t len :
         {std::size_t{0}, std::size_t{1}, std::size_t{17}, g.message_capacity()}) {
      Bytes m(len);
      system_random().fill(m);
      const Element e = g.encode_message_var(m);
      CHECK(g.decode_message_var(e) == m);
      CHECK(g.decode_message_var(g.decode_var(g.encode(e))) == m);
    }
    Bytes zeros(3, 0);
    CHECK(g.decode_message_var(g.encode_message_var(zeros)) == zeros);
    CHECK(g.decode_message_var(g.encode_message_var(Bytes{})) != zeros);
    CHECK_THROWS_WITH(g.encode_message_var(Bytes(g.message_capacity() + 1)),
                      Catch::Contains("exceeds"));
    // A random element almost never embeds a message.
    int decoded = 0;
    for (int i = 0; i < 20; ++i) {
      try {
        (void)g.decode_message_var(g.exp_generator(g.scalars().random_secret(system_random())));
        ++decoded;
      } catch (const std::invalid_argument&) {
      }
    }
    CHECK(decoded == 0);
  }
}

TEST_CASE("P-256 message decoding accepts only the canonical embedding (first counter, even y)") {
  const Group& g = group_by_name("P-256");
  // A message whose first counter is not the last one that works: the point of a later counter
  // with the same message bytes, and the odd-y twin of the canonical point, must both fail.
  int later_counters_checked = 0;
  for (int trial = 0; trial < 40 && later_counters_checked < 5; ++trial) {
    Bytes m(5);
    system_random().fill(m);
    const Element canonical = g.encode_message_var(m);
    REQUIRE(g.decode_message_var(canonical) == m);
    CHECK_THROWS_WITH(g.decode_message_var(g.inverse(canonical)),
                      Catch::Contains("not the canonical embedding"));
    const Bytes enc = g.encode(canonical);  // 0x02 || x
    for (unsigned later = enc[32] + 1u; later < 256; ++later) {
      Bytes other = enc;
      other[32] = static_cast<std::uint8_t>(later);
      Element e;
      try {
        e = g.decode_var(other);
      } catch (const std::invalid_argument&) {
        continue;  // no point with this abscissa
      }
      CHECK_THROWS_WITH(g.decode_message_var(e), Catch::Contains("not the canonical embedding"));
      ++later_counters_checked;
      break;
    }
  }
  CHECK(later_counters_checked == 5);
}

TEST_CASE("hash_to_element and independent generators are deterministic members") {
  for (const std::string& name : supported_group_names()) {
    const Group& g = group_by_name(name);
    const auto gens = g.independent_generators("test-election/mixnet", 4);
    const auto again = g.independent_generators("test-election/mixnet", 4);
    REQUIRE(gens.size() == 4);
    for (std::size_t i = 0; i < gens.size(); ++i) {
      CHECK(g.equal(gens[i], again[i]));
      CHECK(g.equal(g.decode_var(g.encode(gens[i])), gens[i]));  // passes the membership check
      for (std::size_t j = 0; j < i; ++j) CHECK_FALSE(g.equal(gens[i], gens[j]));
      CHECK_FALSE(g.equal(gens[i], g.generator()));
    }
    CHECK_FALSE(g.equal(g.independent_generators("other", 1)[0], gens[0]));
  }
}

TEST_CASE("group fingerprints differ and are stable") {
  CHECK(group_by_name("P-256").fingerprint() != group_by_name("modp-2048").fingerprint());
  CHECK(group_by_name("modp-2048").fingerprint() != group_by_name("modp-3072").fingerprint());
  CHECK_THROWS_WITH(group_by_name("P-384"), Catch::Contains("unknown group"));
}
