// Passphrase boxes: round trip, wrong passphrase, wrong label, tampered fields, weak parameters.
#include <catch2/catch.hpp>

#include "crypto/passphrase_box.hpp"

using namespace haal::crypto;

TEST_CASE("passphrase box seals and opens, and every tampering fails") {
  const Bytes secret = to_bytes("trustee share 0123456789abcdef");
  const Json box = passphrase_box_seal(secret, "correct horse", "trustee 2 of election X");
  CHECK(box.dump().find("trustee share") == std::string::npos);  // no plaintext in the file
  CHECK(passphrase_box_open(box, "correct horse", "trustee 2 of election X") == secret);

  CHECK_THROWS_WITH(passphrase_box_open(box, "wrong horse", "trustee 2 of election X"),
                    "wrong passphrase or corrupted box");
  CHECK_THROWS_WITH(passphrase_box_open(box, "correct horse", "trustee 3 of election X"),
                    Catch::Contains("passphrase box.label"));
  for (const char* field : {"salt", "nonce", "ciphertext", "tag"}) {
    Json bad = box;
    std::string hex = bad[field];
    hex[0] = hex[0] == '0' ? '1' : '0';
    bad[field] = hex;
    INFO(field);
    CHECK_THROWS_WITH(passphrase_box_open(bad, "correct horse", "trustee 2 of election X"),
                      "wrong passphrase or corrupted box");
  }
  Json weak = box;
  weak["kdf"]["n"] = 1024;
  CHECK_THROWS_WITH(passphrase_box_open(weak, "correct horse", "trustee 2 of election X"),
                    Catch::Contains("kdf.n"));
  Json missing = box;
  missing.erase("tag");
  CHECK_THROWS_WITH(passphrase_box_open(missing, "correct horse", "trustee 2 of election X"),
                    "passphrase box.tag: missing");
}
