#include <catch2/catch.hpp>

#include "crypto/ecies.hpp"

using namespace haal::crypto;

namespace {
EciesBinding binding_for(const std::string& sender, const std::string& recipient) {
  return EciesBinding{sender, recipient, Bytes(32, 0xab)};
}
}  // namespace

TEST_CASE("ECIES round trip binds sender, recipient and context", "[ecies]") {
  const X25519PrivateKey recipient = X25519PrivateKey::generate();
  const Bytes secret = to_bytes("a 32-byte share of a polynomial!");
  const EciesBinding binding = binding_for("trustee-1", "trustee-2");
  const EciesCiphertext c = ecies_encrypt(recipient.public_key(), binding, secret);
  CHECK(c.ciphertext.size() == secret.size());
  CHECK(c.ciphertext != secret);
  CHECK(ecies_decrypt(recipient, binding, c) == secret);

  // The JSON form survives a round trip and still decrypts.
  const EciesCiphertext parsed = ecies_ciphertext_from_json(ecies_ciphertext_to_json(c), "share");
  CHECK(ecies_decrypt(recipient, binding, parsed) == secret);

  // A second encryption of the same secret looks unrelated (fresh ephemeral key).
  const EciesCiphertext again = ecies_encrypt(recipient.public_key(), binding, secret);
  CHECK(again.ephemeral_public_key != c.ephemeral_public_key);
  CHECK(again.ciphertext != c.ciphertext);

  // The private key survives export and import.
  const X25519PrivateKey reloaded = X25519PrivateKey::from_bytes(recipient.private_bytes());
  CHECK(reloaded.public_key() == recipient.public_key());
  CHECK(ecies_decrypt(reloaded, binding, c) == secret);
}

TEST_CASE("ECIES rejects the wrong recipient and every wrong binding", "[ecies]") {
  const X25519PrivateKey recipient = X25519PrivateKey::generate();
  const X25519PrivateKey other = X25519PrivateKey::generate();
  const Bytes secret = to_bytes("share");
  const EciesBinding binding = binding_for("trustee-1", "trustee-2");
  const EciesCiphertext c = ecies_encrypt(recipient.public_key(), binding, secret);

  CHECK_THROWS_AS(ecies_decrypt(other, binding, c), EciesError);
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding_for("trustee-3", "trustee-2"), c), EciesError);
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding_for("trustee-1", "trustee-3"), c), EciesError);
  EciesBinding other_context = binding;
  other_context.context[0] ^= 1;
  CHECK_THROWS_AS(ecies_decrypt(recipient, other_context, c), EciesError);
}

TEST_CASE("ECIES rejects each tampered field", "[ecies]") {
  const X25519PrivateKey recipient = X25519PrivateKey::generate();
  const EciesBinding binding = binding_for("trustee-4", "trustee-5");
  const EciesCiphertext c = ecies_encrypt(recipient.public_key(), binding, to_bytes("secret"));

  EciesCiphertext t = c;
  t.ephemeral_public_key[5] ^= 0x01;
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding, t), EciesError);
  t = c;
  t.ciphertext[0] ^= 0x80;
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding, t), EciesError);
  t = c;
  t.ciphertext.pop_back();
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding, t), EciesError);
  t = c;
  t.tag[15] ^= 0x01;
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding, t), EciesError);
  t = c;
  t.tag.pop_back();
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding, t), EciesError);
  // The all-zero point has low order: the shared secret would be zero.
  t = c;
  t.ephemeral_public_key.assign(32, 0);
  CHECK_THROWS_AS(ecies_decrypt(recipient, binding, t), EciesError);
  CHECK(ecies_decrypt(recipient, binding, c) == to_bytes("secret"));
}

TEST_CASE("ECIES rejects bad keys and malformed JSON precisely", "[ecies]") {
  CHECK_THROWS_AS(ecies_encrypt(Bytes(31, 1), binding_for("a", "b"), to_bytes("x")),
                  std::invalid_argument);
  CHECK_THROWS_AS(ecies_encrypt(Bytes(32, 0), binding_for("a", "b"), to_bytes("x")),
                  std::invalid_argument);
  CHECK_THROWS_AS(X25519PrivateKey::from_bytes(Bytes(5, 1)), std::invalid_argument);

  const X25519PrivateKey recipient = X25519PrivateKey::generate();
  const Json good = ecies_ciphertext_to_json(
      ecies_encrypt(recipient.public_key(), binding_for("a", "b"), to_bytes("x")));
  Json j = good;
  j.erase("tag");
  CHECK_THROWS_WITH(ecies_ciphertext_from_json(j, "share"), "share.tag: missing");
  j = good;
  j["extra"] = 1;
  CHECK_THROWS_WITH(ecies_ciphertext_from_json(j, "share"), "share.extra: unknown field");
  j = good;
  j["ephemeral_public_key"] = "00";
  CHECK_THROWS_WITH(ecies_ciphertext_from_json(j, "share"),
                    Catch::Contains("share.ephemeral_public_key"));
}
