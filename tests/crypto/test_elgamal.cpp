// ElGamal round trips and re-encryption for every group.
#include <catch2/catch.hpp>

#include "crypto/elgamal.hpp"

using namespace haal::crypto;

TEST_CASE("ElGamal encrypts, re-encrypts and decrypts vectors", "[elgamal]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048", "modp-3072");
  INFO(name);
  const Group& g = group_by_name(name);
  const ScalarField& f = g.scalars();
  RandomSource& rng = system_random();
  const SecretScalar x = f.random_secret(rng);
  const ElGamalEncryptor enc(g, g.exp_generator(x));

  std::vector<Element> messages;
  std::vector<SecretScalar> randomness;
  for (int i = 0; i < 3; ++i) {
    messages.push_back(g.encode_message_var(to_bytes("choice " + std::to_string(i))));
    randomness.push_back(f.random_secret(rng));
  }
  const CiphertextVector cts = enc.encrypt(messages, randomness);
  REQUIRE(cts.size() == 3);
  for (std::size_t i = 0; i < cts.size(); ++i) {
    CHECK(g.equal(cts[i].alpha, g.exp_generator(randomness[i])));
    CHECK(g.equal(elgamal_decrypt(g, x, cts[i]), messages[i]));
    const Ciphertext re = enc.reencrypt(cts[i], f.random_secret(rng));
    CHECK_FALSE(g.equal(re.alpha, cts[i].alpha));
    CHECK(g.equal(elgamal_decrypt(g, x, re), messages[i]));
    CHECK(g.decode_message_var(elgamal_decrypt(g, x, re)) ==
          to_bytes("choice " + std::to_string(i)));
  }
  // A wrong key does not decrypt.
  CHECK_FALSE(g.equal(elgamal_decrypt(g, SecretScalar(x.reveal() + 1), cts[0]), messages[0]));
  CHECK_THROWS_AS(enc.encrypt(messages, std::span<const SecretScalar>(randomness).first(2)),
                  std::invalid_argument);
}
