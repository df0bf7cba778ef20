// Ed25519 (RFC 8032 section 7.1 test 1) and tamper rejection.
#include <catch2/catch.hpp>

#include "crypto/ed25519.hpp"

using namespace haal::crypto;

TEST_CASE("Ed25519 RFC 8032 test 1") {
  const auto key = Ed25519PrivateKey::from_seed(
      from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  CHECK(to_hex(key.public_key()) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const Bytes sig = key.sign({});
  CHECK(to_hex(sig) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701c"
        "f9b46bd25bf5f0595bbe24655141438e7a100b");
  CHECK(ed25519_verify(key.public_key(), {}, sig));
}

TEST_CASE("Ed25519 rejects tampered signatures, messages and keys") {
  const auto key = Ed25519PrivateKey::generate();
  const Bytes msg = to_bytes("ballot");
  const Bytes sig = key.sign(msg);
  REQUIRE(ed25519_verify(key.public_key(), msg, sig));
  for (std::size_t i = 0; i < sig.size(); i += 7) {
    Bytes bad = sig;
    bad[i] ^= 0x01;
    CHECK_FALSE(ed25519_verify(key.public_key(), msg, bad));
  }
  Bytes other_msg = msg;
  other_msg[0] ^= 1;
  CHECK_FALSE(ed25519_verify(key.public_key(), other_msg, sig));
  CHECK_FALSE(ed25519_verify(Ed25519PrivateKey::generate().public_key(), msg, sig));
  CHECK_FALSE(ed25519_verify(key.public_key(), msg, Bytes(63)));
  CHECK_FALSE(ed25519_verify(Bytes(31), msg, sig));
  CHECK(Ed25519PrivateKey::from_seed(key.seed()).public_key() == key.public_key());
  CHECK_THROWS_AS(Ed25519PrivateKey::from_seed(Bytes(31)), std::invalid_argument);
}
