#include <catch2/catch.hpp>

#include "crypto/canonical_json.hpp"
#include "election/credential.hpp"
#include "election/strict_json.hpp"
#include "fixtures.hpp"

using namespace haal::election;
using haal::crypto::FormatError;

namespace {
std::string csv_error(const std::string& text) {
  try {
    parse_voters_csv(text, "voters.csv");
  } catch (const FormatError& e) {
    return e.what();
  }
  return "(accepted)";
}

void make_election(const std::filesystem::path& dir) {
  create_election(test::sample_manifest_json().dump(), "manifest.json", dir);
}
}  // namespace

TEST_CASE("voters.csv parses with quoting and CRLF", "[credentials]") {
  const auto rows = parse_voters_csv(
      "voter_id,name\r\nv1,Ada Lovelace\r\nv2,\"Hopper, Grace \"\"Amazing\"\"\"\n", "voters.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].voter_id == "v1");
  CHECK(rows[0].name == "Ada Lovelace");
  CHECK(rows[1].name == "Hopper, Grace \"Amazing\"");
  CHECK(rows[1].line == 3);
  CHECK(parse_voters_csv("voter_id,name\n", "v").empty());
}

TEST_CASE("malformed voters.csv rows give precise errors", "[credentials]") {
  CHECK(csv_error("") == "voters.csv:1: empty file (expected the header \"voter_id,name\")");
  CHECK(csv_error("id,name\nv1,A\n") ==
        "voters.csv:1: the header line must be exactly \"voter_id,name\"");
  CHECK(csv_error("voter_id,name\nv1,A\nv2\n") ==
        "voters.csv:3: expected 2 fields (voter_id,name), found 1");
  CHECK(csv_error("voter_id,name\nv1,A,extra\n") ==
        "voters.csv:2: expected 2 fields (voter_id,name), found 3");
  CHECK(csv_error("voter_id,name\nv1,A\nv2,B\nv1,C\n") ==
        "voters.csv:4: duplicate voter id \"v1\" (first on line 2)");
  CHECK(csv_error("voter_id,name\nbad id,A\n") ==
        "voters.csv:2: invalid voter id \"bad id\" (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})");
  CHECK(csv_error("voter_id,name\nv1,\n") == "voters.csv:2: empty name for voter \"v1\"");
  CHECK(csv_error("voter_id,name\nv1,\"unterminated\n") ==
        "voters.csv:2: unterminated quoted field");
  CHECK(csv_error("voter_id,name\nv1,ab\"c\n") == "voters.csv:2: quote inside an unquoted field");
  CHECK(csv_error("voter_id,name\nv1,\"ab\"c\n") == "voters.csv:2: text after a closing quote");
  CHECK(csv_error("voter_id,name\nv1,A\n\n") ==
        "voters.csv:3: expected 2 fields (voter_id,name), found 1");
}

TEST_CASE("credentials issue writes private files and the roll", "[credentials]") {
  test::TempDir tmp;
  const auto election = tmp.path() / "election";
  const auto out = tmp.path() / "credentials";
  make_election(election);
  std::size_t last_progress = 0;
  IssueOptions options;
  options.progress = [&](std::size_t done, std::size_t total) {
    CHECK(total == 3);
    last_progress = done;
  };
  CHECK(issue_credentials(election, "voter_id,name\nv2,B\nv1,A\nv3,C\n", "voters.csv", out,
                          options) == 3);
  CHECK(last_progress == 3);
  const Roll roll = load_roll(election, "city-2026");
  CHECK(roll.size() == 3);
  const Json roll_json = read_json_file(election / "roll.json");
  CHECK(roll_json["voters"][0]["voter_id"] == "v1");
  CHECK(roll_json["voters"][2]["voter_id"] == "v3");
  CHECK(roll.hash() == haal::crypto::canonical_json_hash(roll_json));
  for (const std::string id : {"v1", "v2", "v3"}) {
    const auto file = out / (id + ".json");
    CHECK((std::filesystem::status(file).permissions() & std::filesystem::perms::group_read) ==
          std::filesystem::perms::none);
    const Credential c = load_credential(file, [] { return std::string("unused"); });
    CHECK(c.voter_id == id);
    CHECK(c.election_id == "city-2026");
    CHECK(*roll.find(id) == c.public_key);
  }
  // A second batch adds voters; re-issuing someone already on the roll fails before writing.
  CHECK(issue_credentials(election, "voter_id,name\nv4,D\n", "more.csv", out, {}) == 1);
  CHECK_THROWS_WITH(
      issue_credentials(election, "voter_id,name\nv5,E\nv2,B\n", "again.csv", out, {}),
      "again.csv:3: voter \"v2\" is already on the roll");
  CHECK_FALSE(std::filesystem::exists(out / "v5.json"));
  CHECK(load_roll(election, "city-2026").size() == 4);
}

TEST_CASE("passphrase-protected credentials", "[credentials]") {
  test::TempDir tmp;
  const auto election = tmp.path() / "election";
  make_election(election);
  IssueOptions options;
  options.passphrase = "correct horse";
  options.scrypt = {1u << 14, 8, 1};  // smallest accepted cost: the test is about the format
  issue_credentials(election, "voter_id,name\nv1,A\n", "voters.csv", tmp.path() / "c", options);
  const Json file = read_json_file(tmp.path() / "c" / "v1.json");
  CHECK(credential_is_protected(file));
  CHECK_FALSE(file.contains("seed"));
  const Credential c = credential_from_json(file, [] { return std::string("correct horse"); });
  CHECK(c.public_key == *load_roll(election, "city-2026").find("v1"));
  CHECK_THROWS_WITH(credential_from_json(file, [] { return std::string("wrong"); }),
                    "wrong passphrase or corrupted box");
  // The box is bound to the voter: relabelled, it does not open.
  Json moved = file;
  moved["voter_id"] = "v2";
  CHECK_THROWS_WITH(credential_from_json(moved, [] { return std::string("correct horse"); }),
                    "passphrase box.label: this box is for \"HAAL-V1-CREDENTIAL:city-2026:v1\", "
                    "not \"HAAL-V1-CREDENTIAL:city-2026:v2\"");
}

TEST_CASE("credential files are checked", "[credentials]") {
  const Credential c = test::test_credential("v1");
  const Json good = credential_to_json(c, std::nullopt);
  CHECK(credential_from_json(good, {}).public_key == c.public_key);
  Json t = good;
  t["public_key"] = haal::crypto::to_hex(test::test_credential("v2").public_key);
  CHECK_THROWS_WITH(credential_from_json(t, {}),
                    "credential.public_key: does not match the credential's seed");
  t = good;
  t.erase("seed");
  CHECK_THROWS_WITH(credential_from_json(t, {}),
                    "credential: must hold exactly one of \"seed\" and \"seed_box\"");
  t = good;
  t["seed"] = "00";
  CHECK_THROWS_WITH(credential_from_json(t, {}), Catch::StartsWith("credential.seed: "));
}

TEST_CASE("voters may register their own key", "[credentials]") {
  test::TempDir tmp;
  const auto election = tmp.path() / "election";
  make_election(election);
  issue_credentials(election, "voter_id,name\nv1,A\n", "voters.csv", tmp.path() / "c", {});
  const Credential own = test::test_credential("v2");
  register_credential(election, "v2", haal::crypto::to_hex(own.public_key));
  CHECK(*load_roll(election, "city-2026").find("v2") == own.public_key);
  CHECK_THROWS_WITH(register_credential(election, "v2", haal::crypto::to_hex(own.public_key)),
                    "voter \"v2\" is already on the roll");
  CHECK_THROWS_WITH(register_credential(election, "v3", haal::crypto::to_hex(own.public_key)),
                    "voter \"v3\": credential public key already on the roll for voter \"v2\"");
  CHECK_THROWS_WITH(register_credential(election, "v3", "abcd"),
                    "voter \"v3\": credential public key: an Ed25519 public key must be 32 bytes, "
                    "got 2");
  CHECK_THROWS_WITH(register_credential(election, "v3", "xyz"),
                    Catch::StartsWith("--public-key: "));
  CHECK_THROWS_WITH(register_credential(election, "../x", haal::crypto::to_hex(own.public_key)),
                    Catch::StartsWith("invalid voter id \"../x\""));
}

TEST_CASE(
    "small-order and non-canonical keys are refused on the roll, at registration and in credential "
    "files",
    "[credentials]") {
  test::TempDir tmp;
  const auto election = tmp.path() / "election";
  make_election(election);
  // The identity point: R = identity, S = 0 would be a valid signature of any ballot under it.
  const std::string identity = "01" + std::string(62, '0');
  CHECK_THROWS_WITH(register_credential(election, "v3", identity),
                    "voter \"v3\": credential public key: a small-order Ed25519 point (it would "
                    "verify forged signatures)");
  CHECK_THROWS_WITH(
      register_credential(election, "v3", "ee" + std::string(60, 'f') + "7f"),
      "voter \"v3\": credential public key: a small-order Ed25519 point (it would verify forged "
      "signatures)");
  CHECK_THROWS_WITH(register_credential(election, "v3", "f0" + std::string(60, 'f') + "7f"),
                    "voter \"v3\": credential public key: not a canonical Ed25519 point encoding "
                    "(y >= 2^255-19, RFC 8032 5.1.3)");
  CHECK(load_roll(election, "city-2026").size() == 0);
  Roll roll("e");
  CHECK_THROWS_WITH(roll.add("a", haal::crypto::from_hex(identity)),
                    Catch::StartsWith("voter \"a\": credential public key: a small-order"));
  roll.add("a", test::test_credential("a").public_key);
  roll.add("b", test::test_credential("b").public_key);
  Json j = roll.to_json();
  REQUIRE_NOTHROW(Roll::from_json(j));
  j["voters"][1]["public_key"] = identity;
  CHECK_THROWS_WITH(Roll::from_json(j),
                    "roll.json.voters[1].public_key: a small-order Ed25519 point (it would verify "
                    "forged signatures)");
  Json file = credential_to_json(test::test_credential("v1"), std::nullopt);
  file["public_key"] = identity;
  CHECK_THROWS_WITH(credential_from_json(file, {}),
                    "credential.public_key: a small-order Ed25519 point (it would verify forged "
                    "signatures)");
}

TEST_CASE("roll.json is parsed strictly", "[credentials]") {
  Roll roll("e");
  roll.add("b", test::test_credential("b").public_key);
  roll.add("a", test::test_credential("a").public_key);
  const Json j = roll.to_json();
  CHECK(Roll::from_json(j).hash() == roll.hash());
  Json unsorted = j;
  std::swap(unsorted["voters"][0], unsorted["voters"][1]);
  CHECK_THROWS_WITH(Roll::from_json(unsorted),
                    "roll.json.voters[1].voter_id: voters must be strictly sorted by voter_id");
  Json same_key = j;
  same_key["voters"][1]["public_key"] = same_key["voters"][0]["public_key"];
  CHECK_THROWS_WITH(Roll::from_json(same_key),
                    "roll.json.voters[1]: voter \"b\": credential public key already on the roll "
                    "for voter \"a\"");
}
