// Secret exponents reach only constant-time code, by type (docs/crypto.md section 1, "Constant
// time and _var"): the constant-time exponentiations of single elements take a SecretScalar and
// nothing else, the `_var` ones never take one, and neither a Scalar nor an integer becomes a
// SecretScalar without saying so. The batch API's checks are in tests/mixnet/
// test_prover_secrets.cpp. At run time both paths give the same values.
#include <catch2/catch.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/group.hpp"
#include "crypto/random_source.hpp"

using namespace haal::crypto;

namespace {

template <class K>
concept ExpAccepts = requires(const Group& g, const Element& e, const K& k) {
  g.exp(e, k);
};
template <class K>
concept ExpVarAccepts = requires(const Group& g, const Element& e, const K& k) {
  g.exp_var(e, k);
};
template <class K>
concept ExpGeneratorAccepts = requires(const Group& g, const K& k) {
  g.exp_generator(k);
};
template <class K>
concept ExpGeneratorVarAccepts = requires(const Group& g, const K& k) {
  g.exp_generator_var(k);
};
template <class K>
concept TableExpAccepts = requires(const FixedBase& t, const K& k) {
  t.exp(k);
};
template <class K>
concept TableExpVarAccepts = requires(const FixedBase& t, const K& k) {
  t.exp_var(k);
};
template <class K>
concept EncryptAccepts = requires(const ElGamalEncryptor& enc, const Element& m, const K& k) {
  enc.encrypt(m, k);
};
template <class K>
concept DecryptAccepts = requires(const Group& g, const Ciphertext& c, const K& k) {
  elgamal_decrypt(g, k, c);
};
template <class K>
concept DecryptionShareAccepts = requires(const Group& g, const Element& a, const K& k) {
  elgamal_decryption_share(g, k, a);
};

}  // namespace

static_assert(ExpAccepts<SecretScalar> && !ExpAccepts<Scalar> && !ExpAccepts<mpz_class>);
static_assert(ExpVarAccepts<Scalar> && !ExpVarAccepts<SecretScalar>);
static_assert(ExpGeneratorAccepts<SecretScalar> && !ExpGeneratorAccepts<Scalar> &&
              !ExpGeneratorAccepts<mpz_class>);
static_assert(ExpGeneratorVarAccepts<Scalar> && !ExpGeneratorVarAccepts<SecretScalar>);
static_assert(TableExpAccepts<SecretScalar> && !TableExpAccepts<Scalar>);
static_assert(TableExpVarAccepts<Scalar> && !TableExpVarAccepts<SecretScalar>);
static_assert(EncryptAccepts<SecretScalar> && !EncryptAccepts<Scalar>);
static_assert(DecryptAccepts<SecretScalar> && !DecryptAccepts<Scalar>);
static_assert(DecryptionShareAccepts<SecretScalar> && !DecryptionShareAccepts<Scalar>);
// Becoming secret is explicit; being secret is not undone silently.
static_assert(std::is_constructible_v<SecretScalar, const Scalar&>);
static_assert(!std::is_convertible_v<Scalar, SecretScalar>);
static_assert(!std::is_convertible_v<mpz_class, SecretScalar>);
static_assert(!std::is_convertible_v<SecretScalar, Scalar>);
static_assert(!std::is_convertible_v<SecretScalar, mpz_class>);

TEST_CASE("constant-time and variable-time exponentiations agree", "[crypto][groups]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048");
  INFO(name);
  const Group& g = group_by_name(name);
  const ScalarField& f = g.scalars();
  RandomSource& rng = system_random();
  const Element base = g.exp_generator(f.random_secret(rng));
  const auto table = g.precompute(base);
  for (const Scalar& k : {Scalar(), f.from_u64(1), f.neg(f.from_u64(1)), f.random_nonzero(rng)}) {
    const SecretScalar secret(k);
    CHECK(g.equal(g.exp(base, secret), g.exp_var(base, k)));
    CHECK(g.equal(g.exp_generator(secret), g.exp_generator_var(k)));
    CHECK(g.equal(table->exp(secret), table->exp_var(k)));
  }
  // A different exponent gives a different element (the comparisons can fail).
  CHECK_FALSE(
      g.equal(g.exp_generator(SecretScalar(f.from_u64(2))), g.exp_generator_var(f.from_u64(3))));
  // encrypt_var (public randomness, an audited ballot) equals encrypt.
  const ElGamalEncryptor enc(g, base);
  const std::vector<Element> messages = {g.encode_message_var(to_bytes("a")),
                                         g.encode_message_var(to_bytes("b"))};
  const std::vector<Scalar> r = {f.random_nonzero(rng), f.random_nonzero(rng)};
  const CiphertextVector ct = enc.encrypt(messages, std::vector<SecretScalar>(r.begin(), r.end()));
  const CiphertextVector cv = enc.encrypt_var(messages, r);
  REQUIRE(ct.size() == 2);
  REQUIRE(cv.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(g.equal(ct[i].alpha, cv[i].alpha));
    CHECK(g.equal(ct[i].beta, cv[i].beta));
  }
  CHECK_THROWS_AS(enc.encrypt_var(messages, std::span<const Scalar>(r).first(1)),
                  std::invalid_argument);
}
