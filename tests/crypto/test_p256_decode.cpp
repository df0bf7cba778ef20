// P256Group::decode (square root through GMP) accepts exactly the encodings OpenSSL's
// EC_POINT_oct2point accepts, and yields the same point, for members and random x of both
// parities.
#include <openssl/ec.h>
#include <openssl/err.h>

#include <catch2/catch.hpp>

#include "crypto/group_p256.hpp"
#include "crypto/random_source.hpp"

using namespace haal::crypto;

TEST_CASE("P-256 decode agrees with OpenSSL's decompression") {
  const P256Group& g = p256_group();
  DeterministicRandomForTests rng(to_bytes("p256-decode"));
  int accepted = 0;
  for (int i = 0; i < 400; ++i) {
    Bytes enc(33);
    if (i % 2 == 0) {
      enc = g.encode(g.exp_generator(g.scalars().random_secret(rng)));
    } else {
      rng.fill(enc);
    }
    enc[0] = static_cast<std::uint8_t>(0x02 | (i / 2 % 2));
    EcPointPtr expected(EC_POINT_new(g.ec_group()));
    const bool openssl_ok = EC_POINT_oct2point(g.ec_group(), expected.get(), enc.data(), enc.size(),
                                               thread_bn_ctx()) == 1;
    ERR_clear_error();
    bool ours_ok = true;
    Element e;
    try {
      e = g.decode_var(enc);
    } catch (const std::invalid_argument&) {
      ours_ok = false;
    }
    INFO(to_hex(enc));
    REQUIRE(ours_ok == openssl_ok);
    if (ours_ok) {
      ++accepted;
      CHECK(EC_POINT_cmp(g.ec_group(), e.ec_point(), expected.get(), thread_bn_ctx()) == 0);
      CHECK(g.encode(e) == enc);
    }
  }
  CHECK(accepted > 200);
}

TEST_CASE("P-256 encode_var equals encode for decoded, computed and identity elements") {
  const P256Group& g = p256_group();
  DeterministicRandomForTests rng(to_bytes("p256-encode-var"));
  CHECK(g.encode_var(g.identity()) == g.encode(g.identity()));
  for (int i = 0; i < 100; ++i) {
    const Element computed = g.exp_generator(g.scalars().random_secret(rng));
    const Element decoded = g.decode_var(g.encode(computed));
    CHECK(g.encode_var(computed) == g.encode(computed));
    CHECK(g.encode_var(decoded) == g.encode(computed));
    const Element sum = g.mul(decoded, decoded);
    CHECK(g.encode_var(sum) == g.encode(sum));
  }
}
