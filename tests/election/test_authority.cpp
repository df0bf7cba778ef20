#include <catch2/catch.hpp>
#include <regex>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "election/authority.hpp"
#include "election/credential.hpp"
#include "election/strict_json.hpp"
#include "fixtures.hpp"

using namespace haal::election;
namespace fs = std::filesystem;

namespace {

// The delivery code printed in a voter's letter.
std::string letter_code(const fs::path& letter) {
  const std::string text = haal::base::read_file(letter);
  const std::string marker = "Delivery code: ";
  const auto at = text.find(marker);
  REQUIRE(at != std::string::npos);
  return text.substr(at + marker.size(), 23);
}

AuthorityIssueOptions fast() {
  AuthorityIssueOptions options;
  options.scrypt = {1u << 14, 8, 1};  // smallest accepted cost: the tests are about the flow
  return options;
}

}  // namespace

TEST_CASE("delivery codes: 20 symbols of Crockford's base32 in groups of five", "[authority]") {
  haal::crypto::DeterministicRandomForTests random(haal::crypto::Bytes{1, 2, 3});
  const std::string code = make_delivery_code(random);
  CHECK(std::regex_match(code, std::regex("[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}")));
  // Symbol k is alphabet[b_k mod 32] of the k-th random byte.
  haal::crypto::DeterministicRandomForTests same(haal::crypto::Bytes{1, 2, 3});
  std::array<std::uint8_t, 20> bytes{};
  same.fill(bytes);
  std::string expected;
  for (std::size_t i = 0; i < 20; ++i) {
    if (i > 0 && i % 5 == 0) expected.push_back('-');
    expected.push_back("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[bytes[i] % 32]);
  }
  CHECK(code == expected);
  CHECK(make_delivery_code(random) != code);
}

TEST_CASE("the credential authority issues sealed files, letters and a public roll",
          "[authority]") {
  test::TempDir tmp;
  const auto election = tmp.path() / "election";
  const auto vault = tmp.path() / "vault";
  create_election(test::sample_manifest_json().dump(), "manifest.json", election);
  const Roll roll =
      authority_issue(election, "voter_id,name\nv2,B\nv1,A\n", "voters.csv", vault, fast());
  CHECK(roll.size() == 2);
  const std::string code1 = letter_code(vault / "delivery" / "letters" / "v1.txt");
  const std::string code2 = letter_code(vault / "delivery" / "letters" / "v2.txt");
  CHECK(code1 != code2);
  for (const std::string id : {"v1", "v2"}) {
    const fs::path file = vault / "delivery" / "credentials" / (id + ".json");
    CHECK((fs::status(file).permissions() & fs::perms::group_read) == fs::perms::none);
    const Json j = read_json_file(file);
    CHECK(credential_is_protected(j));
    const std::string code = id == "v1" ? code1 : code2;
    const Credential c = credential_from_json(j, [&] { return code; });
    CHECK(*roll.find(id) == c.public_key);
    // Another voter's code does not open it.
    const std::string other = id == "v1" ? code2 : code1;
    CHECK_THROWS_WITH(credential_from_json(j, [&] { return other; }),
                      "wrong passphrase or corrupted box");
  }
  CHECK(fs::status(vault / "delivery").permissions() == fs::perms::owner_all);
  // The roll file holds public keys only, and the log its hash.
  const Json roll_file = read_json_file(vault / "roll.json");
  CHECK(roll_file.dump().find("seed") == std::string::npos);
  AuthorityLog log = load_authority_log(vault);
  REQUIRE(log.batches.size() == 1);
  CHECK(log.batches[0].voters == 2);
  CHECK(log.batches[0].roll_hash == haal::crypto::to_hex(roll.hash()));
  CHECK_FALSE(log.destroyed_at);
  // A second batch adds voters; a voter already issued is refused before anything is written.
  authority_issue(election, "voter_id,name\nv3,C\n", "late.csv", vault, fast());
  CHECK_THROWS_WITH(
      authority_issue(election, "voter_id,name\nv4,D\nv1,A\n", "again.csv", vault, fast()),
      "again.csv:3: voter \"v1\" already has a credential from this authority");
  CHECK_FALSE(fs::exists(vault / "delivery" / "credentials" / "v4.json"));
  log = load_authority_log(vault);
  CHECK(log.batches.size() == 2);
  CHECK(log.batches[1].roll_hash == haal::crypto::to_hex(load_roll(vault, "city-2026").hash()));

  SECTION("the officials register its roll, once") {
    const RollRegistration first = register_roll(election, vault / "roll.json");
    CHECK(first.added == 3);
    CHECK(first.present == 0);
    CHECK(haal::crypto::to_hex(first.file_roll_hash) == log.batches[1].roll_hash);
    const RollRegistration again = register_roll(election, vault / "roll.json");
    CHECK(again.added == 0);
    CHECK(again.present == 3);
    CHECK(load_roll(election, "city-2026").size() == 3);
  }
  SECTION("a roll listing a registered voter with another key is refused whole") {
    register_credential(election, "v2",
                        haal::crypto::to_hex(test::test_credential("x").public_key));
    CHECK_THROWS_WITH(register_roll(election, vault / "roll.json"),
                      (vault / "roll.json").string() +
                          ": voter \"v2\" is already on the roll with another key; nothing was "
                          "registered");
    CHECK(load_roll(election, "city-2026").size() == 1);
  }
  SECTION("destroy overwrites and removes every file; no more issuing") {
    CHECK(authority_destroy(vault) == 6);
    CHECK_FALSE(fs::exists(vault / "delivery"));
    CHECK(fs::exists(vault / "roll.json"));
    log = load_authority_log(vault);
    REQUIRE(log.destroyed_at);
    CHECK(log.destroyed_files == 6);
    CHECK(log.batches.size() == 2);
    CHECK_THROWS_WITH(authority_destroy(vault),
                      Catch::Contains("the credentials were already destroyed at"));
    CHECK_THROWS_WITH(
        authority_issue(election, "voter_id,name\nv9,Z\n", "new.csv", vault, fast()),
        Catch::Contains("destroyed its credentials at") && Catch::Contains("issues no more"));
  }
}

TEST_CASE("the authority refuses another election's directory and a bad log", "[authority]") {
  test::TempDir tmp;
  const auto election = tmp.path() / "election";
  const auto vault = tmp.path() / "vault";
  create_election(test::sample_manifest_json().dump(), "manifest.json", election);
  authority_issue(election, "voter_id,name\nv1,A\n", "voters.csv", vault, fast());
  Json other = test::sample_manifest_json();
  other["election_id"] = "other-2026";
  create_election(other.dump(), "manifest.json", tmp.path() / "other");
  CHECK_THROWS_WITH(
      authority_issue(tmp.path() / "other", "voter_id,name\nv2,B\n", "v.csv", vault, fast()),
      Catch::Contains("is the credential authority of election \"city-2026\""));
  Json log = read_json_file(vault / "authority.json");
  log["batches"] = Json::array();
  write_canonical_json_file(vault / "authority.json", log);
  CHECK_THROWS_WITH(load_authority_log(vault), Catch::Contains("must be a non-empty array"));
  CHECK_THROWS_WITH(load_authority_log(tmp.path()),
                    Catch::Contains("run `haal authority issue` first"));
}
