#include "crypto/ed25519.hpp"

#include <gmpxx.h>
#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "crypto/json_codec.hpp"

namespace haal::crypto {

namespace {

using Encoding = std::array<std::uint8_t, kEd25519PublicKeyLength>;

// The 32-byte little-endian y of an encoding, bit 255 (the sign of x, RFC 8032 5.1.2) cleared.
Encoding y_bytes(ByteView encoding) {
  Encoding y{};
  std::copy(encoding.begin(), encoding.end(), y.begin());
  y[31] &= 0x7f;
  return y;
}

// The encodings of the points of order dividing 8 on edwards25519, bit 255 cleared: the blocklist
// of libsodium 1.0.18 (ge25519_has_small_order in src/libsodium/crypto_core/ed25519/ref10/
// ed25519_ref10.c, compared there too with bit 255 ignored), which lists the points of Chalkias,
// Garillot and Nikolaenko, "Taming the many EdDSAs" (SSR 2020). Eight points have
// five y-coordinates: y = 1 (the identity, order 1), y = p-1 (order 2), y = 0 (the two points
// (+-sqrt(-1), 0) of order 4) and the two y of the four points of order 8, each with both signs
// of x; p and p+1 are the only y + p below 2^255 among them (non-canonical spellings of 0 and 1).
// tests/crypto/test_ed25519.cpp checks each y against the curve equation and against OpenSSL.
constexpr std::array<Encoding, 7> kSmallOrderY = {{
    // 0 (order 4)
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    // 1 (order 1: the identity)
    {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
     0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},
    // 2707385501144840649318225287225658788936804267575313519463743609750303402022 (order 8)
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    // 55188659117513257062467267217118295137698188065244968500265048394206261417927 (order 8)
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    // p-1 (order 2)
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // p (non-canonical 0, order 4)
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    // p+1 (non-canonical 1, order 1)
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
}};

// Returns true iff the little-endian y < p = 2^255 - 19 (RFC 8032 5.1.3 step 1). Variable time.
bool y_is_canonical(const Encoding& y) {
  const Encoding& p = kSmallOrderY[5];
  for (std::size_t i = y.size(); i-- > 0;) {
    if (y[i] != p[i]) return y[i] < p[i];
  }
  return false;
}

// Returns true iff some x satisfies the curve equation for this canonical y: RFC 8032 5.1.3 step 2
// and 3 find x^2 = u/v with u = y^2 - 1, v = d*y^2 + 1 (v is never 0), which has a root iff u*v is
// 0 or a quadratic residue mod the prime p, i.e. iff its Legendre symbol (GMP's mpz_jacobi) is
// not -1. Only that decision is taken here, no point arithmetic. Variable time (public input).
bool y_has_x_var(const Encoding& y_le) {
  static const mpz_class p = (mpz_class(1) << 255) - 19;
  static const mpz_class d = [] {
    mpz_class inverse;
    mpz_class denominator = 121666;
    mpz_invert(inverse.get_mpz_t(), denominator.get_mpz_t(), p.get_mpz_t());
    mpz_class out = (p - 121665) * inverse % p;  // d = -121665/121666 (RFC 8032 5.1)
    return out;
  }();
  mpz_class y;
  mpz_import(y.get_mpz_t(), y_le.size(), -1, 1, 0, 0, y_le.data());
  const mpz_class y2 = y * y % p;
  mpz_class uv = (y2 + p - 1) * ((d * y2 + 1) % p) % p;
  return mpz_jacobi(uv.get_mpz_t(), p.get_mpz_t()) != -1;
}

}  // namespace

std::string ed25519_public_key_problem_var(ByteView public_key) {
  if (public_key.size() != kEd25519PublicKeyLength) {
    return "an Ed25519 public key must be 32 bytes, got " + std::to_string(public_key.size());
  }
  const Encoding y = y_bytes(public_key);
  // Before the canonical test, so that p and p+1 are named for what they are. This also refuses
  // the "negative zero" encodings: x = 0 only for y = 1 and y = p-1, both on the list.
  if (std::find(kSmallOrderY.begin(), kSmallOrderY.end(), y) != kSmallOrderY.end()) {
    return "a small-order Ed25519 point (it would verify forged signatures)";
  }
  if (!y_is_canonical(y)) {
    return "not a canonical Ed25519 point encoding (y >= 2^255-19, RFC 8032 5.1.3)";
  }
  if (!y_has_x_var(y)) {
    return "not an Ed25519 curve point (no x for this y, RFC 8032 5.1.3)";
  }
  return "";
}

void require_ed25519_public_key(ByteView public_key, const std::string& path) {
  const std::string problem = ed25519_public_key_problem_var(public_key);
  if (!problem.empty()) throw FormatError(path, problem);
}

Ed25519PrivateKey Ed25519PrivateKey::generate() {
  EvpPkeyCtxPtr ctx(check_openssl(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), "Ed25519 ctx"));
  check_openssl_rc(EVP_PKEY_keygen_init(ctx.get()), "Ed25519 keygen init");
  EVP_PKEY* raw = nullptr;
  check_openssl_rc(EVP_PKEY_keygen(ctx.get(), &raw), "Ed25519 keygen");
  return Ed25519PrivateKey(EvpPkeyPtr(raw));
}

Ed25519PrivateKey Ed25519PrivateKey::from_seed(ByteView seed) {
  if (seed.size() != kEd25519PrivateKeyLength) {
    throw std::invalid_argument("Ed25519 private key must be 32 bytes, got " +
                                std::to_string(seed.size()));
  }
  return Ed25519PrivateKey(EvpPkeyPtr(check_openssl(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()),
      "Ed25519 private key import")));
}

Bytes Ed25519PrivateKey::seed() const {
  Bytes out(kEd25519PrivateKeyLength);
  std::size_t len = out.size();
  check_openssl_rc(EVP_PKEY_get_raw_private_key(key_.get(), out.data(), &len), "Ed25519 export");
  return out;
}

Bytes Ed25519PrivateKey::public_key() const {
  Bytes out(kEd25519PublicKeyLength);
  std::size_t len = out.size();
  check_openssl_rc(EVP_PKEY_get_raw_public_key(key_.get(), out.data(), &len),
                   "Ed25519 public key export");
  return out;
}

Bytes Ed25519PrivateKey::sign(ByteView message) const {
  EvpMdCtxPtr ctx(check_openssl(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  check_openssl_rc(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()),
                   "Ed25519 sign init");
  Bytes sig(kEd25519SignatureLength);
  std::size_t len = sig.size();
  check_openssl_rc(EVP_DigestSign(ctx.get(), sig.data(), &len, message.data(), message.size()),
                   "Ed25519 sign");
  return sig;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  if (signature.size() != kEd25519SignatureLength ||
      !ed25519_public_key_problem_var(public_key).empty()) {
    return false;
  }
  EvpPkeyPtr key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  if (!key) {
    ERR_clear_error();
    return false;
  }
  EvpMdCtxPtr ctx(check_openssl(EVP_MD_CTX_new(), "EVP_MD_CTX_new"));
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  const int rc = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                  message.size());
  ERR_clear_error();
  return rc == 1;
}

}  // namespace haal::crypto
