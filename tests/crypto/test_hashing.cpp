// Known answers for SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 4231) and expand_message_xmd
// (RFC 9380, appendix K.1).
#include <catch2/catch.hpp>

#include "crypto/expand_message.hpp"
#include "crypto/sha256.hpp"

using namespace haal::crypto;

TEST_CASE("SHA-256 known answers (FIPS 180-4 examples)") {
  CHECK(to_hex(sha256(std::string_view(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256(std::string_view("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(
            sha256(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("HMAC-SHA256 known answer (RFC 4231 test case 2)") {
  CHECK(to_hex(hmac_sha256(to_bytes("Jefe"), to_bytes("what do ya want for nothing?"))) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("expand_message_xmd SHA-256 (RFC 9380 K.1)") {
  const std::string dst = "QUUX-V01-CS02-with-expander-SHA256-128";
  CHECK(to_hex(expand_message_xmd_sha256(to_bytes(""), dst, 0x20)) ==
        "68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235");
  CHECK(to_hex(expand_message_xmd_sha256(to_bytes("abc"), dst, 0x20)) ==
        "d8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615");
  CHECK(to_hex(expand_message_xmd_sha256(to_bytes(""), dst, 0x80)) ==
        "af84c27ccfd45d41914fdff5df25293e221afc53d8ad2ac06d5e3e29485dadbee0d121587713a3e0dd4d5e69e9"
        "3eb7cd4f5df4cd103e188cf60cb02edc3edf18eda8576c412b18ffb658e3dd6ec849469b979d444cf7b26911a0"
        "8e63cf31f9dcc541708d3491184472c2c29bb749d4286b004ceb5ee6b9a7fa5b646c993f0ced");
  CHECK_THROWS_AS(expand_message_xmd_sha256(to_bytes("abc"), "", 32), std::invalid_argument);
  CHECK_THROWS_AS(expand_message_xmd_sha256(to_bytes("abc"), dst, 8161), std::invalid_argument);
}

TEST_CASE("hex is canonical") {
  CHECK(to_hex(from_hex("00ff10")) == "00ff10");
  CHECK_THROWS_WITH(from_hex("0"), Catch::Contains("odd length"));
  CHECK_THROWS_WITH(from_hex("0A"), Catch::Contains("offset 1"));
  CHECK_THROWS_WITH(from_hex("zz"), Catch::Contains("non-canonical"));
}
