// Ed25519 (RFC 8032 section 7.1 test 1), tamper rejection, and the public-key rule: small-order,
// non-canonical and off-curve keys are refused (docs/crypto.md).
#include <gmpxx.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "crypto/ed25519.hpp"
#include "crypto/json_codec.hpp"

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

namespace {

// OpenSSL's own Ed25519 verification, without Haal's public-key check: what ed25519_verify did
// before small-order keys were refused.
bool openssl_verify_raw(ByteView public_key, ByteView message, ByteView signature) {
  EvpPkeyPtr key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!key) return false;
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                             message.size()) == 1;
  ERR_clear_error();
  return ok;
}

// The signature R = identity (y = 1), S = 0: valid under a key A exactly when [k]A is the
// identity, k = SHA-512(R || A || M) mod L (RFC 8032 5.1.7), i.e. for every message when A is the
// identity and for one message in ord(A) when A has order dividing 8.
Bytes identity_r_zero_s() {
  Bytes sig(kEd25519SignatureLength, 0);
  sig[0] = 0x01;
  return sig;
}

Bytes with_sign_bit(Bytes encoding) {
  encoding[31] |= 0x80;
  return encoding;
}

// The y of the five small-order y-coordinates (little-endian hex), from the blocklist.
const std::vector<std::string> kSmallOrderYHex = {
    "0000000000000000000000000000000000000000000000000000000000000000",  // y = 0, order 4
    "0100000000000000000000000000000000000000000000000000000000000000",  // y = 1, identity
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p-1, order 2
};
const std::string kPHex = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
const std::string kPPlusOneHex = "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";

mpz_class le_to_mpz(ByteView bytes) {
  mpz_class out;
  mpz_import(out.get_mpz_t(), bytes.size(), -1, 1, 0, 0, bytes.data());
  return out;
}

// The 14 encodings of the 8 small-order points: 8 canonical ones, the two "negative zero" ones
// (y = +-1 with the sign bit set, x = 0) and y = p, p+1 (non-canonical 0 and 1) with both signs.
std::vector<Bytes> small_order_encodings() {
  std::vector<Bytes> encodings;
  for (const std::string& hex : kSmallOrderYHex) {
    encodings.push_back(from_hex(hex));
    encodings.push_back(with_sign_bit(from_hex(hex)));
  }
  for (const std::string& hex : {kPHex, kPPlusOneHex}) {
    encodings.push_back(from_hex(hex));
    encodings.push_back(with_sign_bit(from_hex(hex)));
  }
  return encodings;
}

}  // namespace

TEST_CASE(
    "Ed25519 blocklist: each y belongs to a point of order dividing 8 by the curve equation") {
  // -x^2 + y^2 = 1 + d x^2 y^2 over p = 2^255-19, d = -121665/121666 (RFC 8032 5.1). y = 1 is
  // (0, 1), the identity; y = -1 is (0, -1), of order 2; y = 0 gives x^2 = -1, the points of
  // order 4; a point P of order 8 has 2P of order 4, so y(2P) = (x^2 + y^2)/(2 - y^2 + x^2) = 0,
  // x^2 = -y^2, and the curve equation gives d y^4 + 2 y^2 - 1 = 0.
  const mpz_class p = (mpz_class(1) << 255) - 19;
  mpz_class inv;
  const mpz_class den = 121666;
  mpz_invert(inv.get_mpz_t(), den.get_mpz_t(), p.get_mpz_t());
  const mpz_class d = (p - 121665) * inv % p;
  CHECK(le_to_mpz(from_hex(kSmallOrderYHex[0])) == 0);
  CHECK(le_to_mpz(from_hex(kSmallOrderYHex[1])) == 1);
  CHECK(le_to_mpz(from_hex(kSmallOrderYHex[4])) == p - 1);
  for (const std::size_t i : {2, 3}) {
    const mpz_class y = le_to_mpz(from_hex(kSmallOrderYHex[i]));
    CHECK(y < p);
    CHECK((d * y * y * y * y + 2 * y * y - 1) % p == 0);
  }
  CHECK(le_to_mpz(from_hex(kSmallOrderYHex[2])) + le_to_mpz(from_hex(kSmallOrderYHex[3])) == p);
  CHECK(le_to_mpz(from_hex(kPHex)) == p);
  CHECK(le_to_mpz(from_hex(kPPlusOneHex)) == p + 1);
}

TEST_CASE("Ed25519 refuses all eight small-order points and their six other encodings") {
  const std::vector<Bytes> encodings = small_order_encodings();
  REQUIRE(encodings.size() == 14);
  for (const Bytes& key : encodings) {
    INFO(to_hex(key));
    CHECK(ed25519_public_key_problem_var(key) ==
          "a small-order Ed25519 point (it would verify forged signatures)");
    CHECK_THROWS_WITH(require_ed25519_public_key(key, "roll.json.voters[3].public_key"),
                      "roll.json.voters[3].public_key: a small-order Ed25519 point (it would "
                      "verify forged signatures)");
  }
}

TEST_CASE(
    "Ed25519 small-order keys verify a forged signature in OpenSSL alone, never in "
    "ed25519_verify") {
  // The forgery of the issue: under the identity key 01 00..00, R = identity and S = 0 is a valid
  // RFC 8032 signature of every message, and OpenSSL 3 (which checks S < L and decodes A but not
  // its order) accepts it.
  const Bytes identity = from_hex(kSmallOrderYHex[1]);
  const Bytes forged = identity_r_zero_s();
  for (const char* text : {"", "ballot", "vote for Mallory"}) {
    CHECK(openssl_verify_raw(identity, to_bytes(text), forged));
    CHECK_FALSE(ed25519_verify(identity, to_bytes(text), forged));
  }
  // OpenSSL 3 decodes all 14 encodings of the small-order points (non-canonical y and x = 0 with
  // the sign bit included), and each is of small order for it too: among 256 messages one has
  // ord(A) | k and the forged signature verifies (a prime-order key would need ~2^252 tries).
  for (const Bytes& key : small_order_encodings()) {
    INFO(to_hex(key));
    int forgeries = 0;
    for (int m = 0; m < 256; ++m) {
      const Bytes message = to_bytes("message " + std::to_string(m));
      if (openssl_verify_raw(key, message, forged)) {
        ++forgeries;
        CHECK_FALSE(ed25519_verify(key, message, forged));
      }
    }
    CHECK(forgeries > 0);
  }
  const auto honest = Ed25519PrivateKey::generate();
  for (int m = 0; m < 256; ++m) {
    CHECK_FALSE(
        openssl_verify_raw(honest.public_key(), to_bytes("message " + std::to_string(m)), forged));
  }
}

TEST_CASE("Ed25519 refuses non-canonical encodings, points off the curve and wrong lengths") {
  // y = p + 3 is a non-canonical spelling of y = 3, which is on the curve; y = 2^255 - 1 too.
  const Bytes p_plus_3 =
      from_hex("f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  const std::string non_canonical =
      "not a canonical Ed25519 point encoding (y >= 2^255-19, RFC 8032 5.1.3)";
  CHECK(ed25519_public_key_problem_var(p_plus_3) == non_canonical);
  CHECK(ed25519_public_key_problem_var(with_sign_bit(p_plus_3)) == non_canonical);
  CHECK(ed25519_public_key_problem_var(Bytes(32, 0xff)) == non_canonical);
  // y = 3 decodes (x^2 = 8/(9d+1) is a square mod p), y = 2 does not (3/(4d+1) is not).
  Bytes y3(32, 0);
  y3[0] = 3;
  CHECK(ed25519_public_key_problem_var(y3).empty());
  Bytes y2(32, 0);
  y2[0] = 2;
  CHECK(ed25519_public_key_problem_var(y2) ==
        "not an Ed25519 curve point (no x for this y, RFC 8032 5.1.3)");
  CHECK(ed25519_public_key_problem_var(Bytes(31, 7)) ==
        "an Ed25519 public key must be 32 bytes, got 31");
  CHECK(ed25519_public_key_problem_var(Bytes(33, 7)) ==
        "an Ed25519 public key must be 32 bytes, got 33");
  CHECK_THROWS_AS(require_ed25519_public_key(y2, "k"), FormatError);
}

TEST_CASE("Ed25519 accepts every generated public key and the RFC 8032 test keys") {
  CHECK(ed25519_public_key_problem_var(
            from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
            .empty());
  CHECK(ed25519_public_key_problem_var(
            from_hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"))
            .empty());
  for (int i = 0; i < 200; ++i) {
    const auto key = Ed25519PrivateKey::generate();
    INFO(to_hex(key.public_key()));
    REQUIRE(ed25519_public_key_problem_var(key.public_key()).empty());
    REQUIRE_NOTHROW(require_ed25519_public_key(key.public_key(), "k"));
  }
}
