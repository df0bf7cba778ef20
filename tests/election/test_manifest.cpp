#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "crypto/canonical_json.hpp"
#include "election/manifest.hpp"
#include "election/strict_json.hpp"
#include "fixtures.hpp"

using namespace haal::election;
using haal::crypto::FormatError;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_manifest(text, "manifest.json");
  } catch (const FormatError& e) {
    return e.what();
  }
  return "(accepted)";
}

// Returns the sample manifest with `edit` applied, as text.
template <typename Edit>
std::string edited(Edit edit) {
  Json j = test::sample_manifest_json();
  edit(j);
  return j.dump(2);
}
}  // namespace

TEST_CASE("a valid manifest parses and round-trips to its canonical form", "[manifest]") {
  const Json j = test::sample_manifest_json();
  const Manifest m = manifest_from_json(j);
  CHECK(m.election_id == "city-2026");
  CHECK(m.contests.size() == 5);
  CHECK(m.contests[0].kind == ContestKind::plurality);
  CHECK(m.contests[0].write_in_max_bytes == 40u);
  CHECK(m.contests[0].candidate_count() == 4);
  CHECK(m.contests[3].ranked());
  CHECK(manifest_to_json(m) == j);
  CHECK(manifest_from_json(manifest_to_json(m)).contests[4].options.size() == 10);
  CHECK(manifest_hash(m) == haal::crypto::canonical_json_hash(j));
  CHECK(m.contests[3].method == RankedMethod::instant_runoff);
  CHECK(m.contests[4].method == RankedMethod::schulze);
  // An input manifest may leave a ranked contest's method out: instant-runoff, and the
  // canonical manifest says so.
  Json without = j;
  without["contests"][3].erase("method");
  const Manifest d = manifest_from_json(without);
  CHECK(d.contests[3].method == RankedMethod::instant_runoff);
  CHECK(manifest_to_json(d)["contests"][3]["method"] == "instant-runoff");
}

TEST_CASE("only countable manifests are accepted for a new election", "[manifest]") {
  // The sample's ranked "board" contest offers a write-in: the ballot format can carry it, the
  // count cannot rank it (docs/counting.md 1.1).
  Json j = test::sample_manifest_json();
  CHECK_THROWS_WITH(require_countable(manifest_from_json(j)),
                    Catch::StartsWith("contests[3].write_in: a ranked contest cannot offer a "
                                      "write-in"));
  j["contests"][3].erase("write_in");
  CHECK_NOTHROW(require_countable(manifest_from_json(j)));
}

TEST_CASE("JSON syntax errors carry line and column", "[manifest]") {
  CHECK(error_of("{\n  \"election_id\": \"x\",\n  \"title\" \"y\"\n}") ==
        "manifest.json:3:13: JSON syntax error: syntax error while parsing object separator - "
        "unexpected string literal; expected ':'");
  const std::string e = error_of("{\n\n   ]");
  CHECK(e.rfind("manifest.json:3:4: JSON syntax error:", 0) == 0);
  CHECK(error_of("").rfind("manifest.json:1:1: JSON syntax error:", 0) == 0);
}

TEST_CASE("line_column converts byte offsets", "[manifest]") {
  CHECK(line_column("ab\ncd\n", 0) == std::pair<std::size_t, std::size_t>{1, 1});
  CHECK(line_column("ab\ncd\n", 4) == std::pair<std::size_t, std::size_t>{2, 2});
  CHECK(line_column("ab\ncd\n", 6) == std::pair<std::size_t, std::size_t>{3, 1});
}

TEST_CASE("duplicate JSON keys are rejected with their path", "[manifest]") {
  CHECK(error_of(R"({"title": "a", "title": "b"})") == "manifest.json: title: duplicate key");
  CHECK(error_of(R"({"contests": [{"id": "a"}, {"id": "b", "kind": "x", "id": "c"}]})") ==
        "manifest.json: contests[1].id: duplicate key");
  CHECK(error_of(R"({"voting_window": {"opens": 1, "opens": 2}})") ==
        "manifest.json: voting_window.opens: duplicate key");
}

TEST_CASE("malformed manifests each give their precise error", "[manifest]") {
  struct Case {
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"[]", "(top): the manifest must be a JSON object"},
      {edited([](Json& j) { j.erase("election_id"); }), "election_id: missing"},
      {edited([](Json& j) { j["election_id"] = "bad id"; }),
       "election_id: invalid identifier \"bad id\" (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})"},
      {edited([](Json& j) { j["colour"] = "red"; }), "colour: unknown field"},
      {edited([](Json& j) { j["title"] = ""; }), "title: must not be empty"},
      {edited([](Json& j) { j["title"] = 7; }),
       "title: must be a string or an object of translations (en, et, ru)"},
      {edited([](Json& j) { j["title"] = Json::array({"City"}); }),
       "title: must be a string or an object of translations (en, et, ru)"},
      {edited([](Json& j) { j["title"] = std::string(1001, 'x'); }),
       "title: longer than 1000 bytes"},
      // Translated texts (docs/ballots.md 2, "Texts"), in the documented order of checks.
      {edited([](Json& j) { j["title"] = Json::object(); }), "title.en: missing"},
      {edited([](Json& j) {
         j["title"] = {{"et", "Linn"}};
       }),
       "title.en: missing"},
      {edited([](Json& j) {
         j["title"] = {{"en", "City"}, {"de", "Stadt"}, {"fi", "K"}};
       }),
       "title.de: unknown field"},
      {edited([](Json& j) {
         j["title"] = {{"de", "Stadt"}};
       }),
       "title.de: unknown field"},
      {edited([](Json& j) {
         j["title"] = {{"en", "City"}, {"EN", "City"}};
       }),
       "title.EN: unknown field"},
      {edited([](Json& j) {
         j["title"] = {{"en", 1}, {"et", ""}};
       }),
       "title.en: must be a string"},
      {edited([](Json& j) {
         j["title"] = {{"en", ""}};
       }),
       "title.en: must not be empty"},
      {edited([](Json& j) {
         j["contests"][0]["title"] = {{"en", "Mayor"}, {"ru", ""}};
       }),
       "contests[0].title.ru: must not be empty"},
      {edited([](Json& j) {
         j["contests"][0]["title"] = {{"en", "Mayor"}, {"et", nullptr}};
       }),
       "contests[0].title.et: must be a string"},
      {edited([](Json& j) {
         j["contests"][1]["options"][2]["title"] = {{"en", "Carol"},
                                                    {"et", std::string(1001, 'e')}};
       }),
       "contests[1].options[2].title.et: longer than 1000 bytes"},
      {edited([](Json& j) { j["contact"] = ""; }), "contact: must not be empty"},
      {edited([](Json& j) {
         j["contact"] = {{"ru", "+372 600 0000"}};
       }),
       "contact.en: missing"},
      {edited([](Json& j) { j["contact"] = nullptr; }),
       "contact: must be a string or an object of translations (en, et, ru)"},
      // The order of fields: the title before the contact, the contact before the window.
      {edited([](Json& j) {
         j["title"] = "";
         j["contact"] = "";
       }),
       "title: must not be empty"},
      {edited([](Json& j) {
         j["contact"] = "";
         j["voting_window"]["opens"] = "soon";
       }),
       "contact: must not be empty"},
      {edited([](Json& j) { j["voting_window"]["opens"] = "2026-02-30T08:00:00Z"; }),
       "voting_window.opens: expected an RFC 3339 UTC time \"YYYY-MM-DDTHH:MM:SSZ\", got "
       "\"2026-02-30T08:00:00Z\""},
      {edited([](Json& j) { j["voting_window"]["closes"] = "2026-11-20T08:00:00+01:00"; }),
       "voting_window.closes: expected an RFC 3339 UTC time \"YYYY-MM-DDTHH:MM:SSZ\", got "
       "\"2026-11-20T08:00:00+01:00\""},
      {edited([](Json& j) { j["voting_window"]["closes"] = "2026-11-20T08:00:00Z"; }),
       "voting_window.closes: must be after voting_window.opens (2026-11-20T08:00:00Z)"},
      {edited([](Json& j) { j["group"] = "P-384"; }),
       "group: unknown group \"P-384\" (supported: P-256, modp-2048, modp-3072)"},
      {edited([](Json& j) { j["trustees"]["threshold"] = 6; }),
       "trustees.threshold: must be between 1 and 5, got 6"},
      {edited([](Json& j) { j["trustees"]["count"] = 0; }),
       "trustees.count: must be between 1 and 255, got 0"},
      {edited([](Json& j) { j["trustees"]["count"] = -1; }),
       "trustees.count: must be a non-negative integer"},
      {edited([](Json& j) { j["trustees"]["count"] = 2.5; }),
       "trustees.count: must be a non-negative integer"},
      {edited([](Json& j) { j["contests"] = Json::array(); }),
       "contests: must list at least one contest"},
      {edited([](Json& j) { j["contests"][1]["id"] = "mayor"; }),
       "contests[1].id: duplicate contest id \"mayor\""},
      {edited([](Json& j) { j["contests"][2]["options"][0]["id"] = "no"; }),
       "contests[2].options[1].id: duplicate option id \"no\""},
      {edited([](Json& j) { j["contests"][1]["options"][3].erase("title"); }),
       "contests[1].options[3].title: missing"},
      {edited([](Json& j) { j["contests"][0]["kind"] = "borda"; }),
       "contests[0].kind: unknown contest kind \"borda\" (expected plurality, approval, "
       "referendum or ranked)"},
      {edited([](Json& j) { j["contests"][0]["max"] = 2; }),
       "contests[0].max: a plurality contest has max 1"},
      {edited([](Json& j) { j["contests"][0]["method"] = "schulze"; }),
       "contests[0].method: only a ranked contest names a counting method"},
      {edited([](Json& j) { j["contests"][3]["method"] = "borda"; }),
       "contests[3].method: unknown method \"borda\" (expected instant-runoff or schulze)"},
      {edited([](Json& j) { j["contests"][3]["method"] = 1; }),
       "contests[3].method: must be a string"},
      {edited([](Json& j) { j["contests"][1]["max"] = 6; }),
       "contests[1].max: must be between 1 and 5, got 6"},
      {edited([](Json& j) { j["contests"][1]["min"] = 4; }),
       "contests[1].min: min 4 exceeds max 3"},
      {edited([](Json& j) { j["contests"][1]["max"] = 0; }),
       "contests[1].max: must be between 1 and 5, got 0"},
      {edited([](Json& j) {
         j["contests"][2]["options"].push_back({{"id", "maybe"}, {"title", "M"}});
       }),
       "contests[2].options: a referendum has exactly 2 options (e.g. yes and no)"},
      {edited([](Json& j) {
         j["contests"][2]["write_in"] = {{"max_bytes", 5}};
       }),
       "contests[2].write_in: a referendum has no write-in"},
      {edited([](Json& j) { j["contests"][3]["write_in"]["max_bytes"] = 0; }),
       "contests[3].write_in.max_bytes: must be between 1 and 1024, got 0"},
      {edited([](Json& j) { j["contests"][3]["write_in"]["max_bytes"] = 1025; }),
       "contests[3].write_in.max_bytes: must be between 1 and 1024, got 1025"},
      {edited([](Json& j) { j["contests"][3]["write_in"]["length"] = 3; }),
       "contests[3].write_in.length: unknown field"},
      {edited([](Json& j) { j["contests"][4]["max"] = 11; }),
       "contests[4].max: must be between 1 and 10, got 11"},
      {edited([](Json& j) { j["contests"][4]["options"] = Json::array(); }),
       "contests[4].options: must list at least one option"},
      {edited([](Json& j) { j["contests"][4]["options"][2] = "o2"; }),
       "contests[4].options[2]: must be a JSON object"},
      {edited([](Json& j) { j["contests"][4].erase("min"); }), "contests[4].min: missing"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(error_of(c.text) == c.error);
  }
}

TEST_CASE("RFC 3339 UTC times are checked strictly", "[manifest]") {
  CHECK(is_rfc3339_utc("2024-02-29T23:59:59Z"));
  CHECK_FALSE(is_rfc3339_utc("2023-02-29T00:00:00Z"));
  CHECK_FALSE(is_rfc3339_utc("2100-02-29T00:00:00Z"));
  CHECK(is_rfc3339_utc("2000-02-29T00:00:00Z"));
  CHECK_FALSE(is_rfc3339_utc("2024-04-31T00:00:00Z"));
  CHECK_FALSE(is_rfc3339_utc("2024-01-01T24:00:00Z"));
  CHECK_FALSE(is_rfc3339_utc("2024-01-01t00:00:00Z"));
  CHECK_FALSE(is_rfc3339_utc("2024-01-01T00:00:00.5Z"));
}

TEST_CASE("identifiers are restricted to a file-name-safe alphabet", "[manifest]") {
  CHECK(is_valid_identifier("a"));
  CHECK(is_valid_identifier("Voter_1.x-2"));
  CHECK_FALSE(is_valid_identifier(""));
  CHECK_FALSE(is_valid_identifier(".hidden"));
  CHECK_FALSE(is_valid_identifier("-x"));
  CHECK_FALSE(is_valid_identifier("a/b"));
  CHECK_FALSE(is_valid_identifier(std::string(65, 'a')));
  CHECK(is_valid_identifier(std::string(64, 'a')));
}

TEST_CASE("titles and the contact may be translated, and keep their form", "[manifest]") {
  Json j = test::sample_manifest_json();
  j["title"] = {{"ru", "Городские выборы"}, {"en", "City election"}, {"et", "Linnavalimised"}};
  j["contests"][0]["title"] = {{"en", "Mayor"}, {"et", "Linnapea"}};
  j["contests"][0]["options"][1]["title"] = {{"en", "Bob"}};
  j["contact"] = "valimised@city.example";
  const Manifest m = manifest_from_json(j);
  CHECK(m.title.translated());
  CHECK(m.title.in("et") == "Linnavalimised");
  CHECK(m.title.in("ru") == "Городские выборы");
  CHECK(m.title.in("en") == "City election");
  // The display rule: a missing language falls back to English, a string serves every language.
  CHECK(m.contests[0].title.in("ru") == "Mayor");
  CHECK(m.contests[0].title.in("et") == "Linnapea");
  CHECK(m.contests[0].options[0].title.in("ru") == m.contests[0].options[0].title.text);
  CHECK_FALSE(m.contests[0].options[0].title.translated());
  REQUIRE(m.contact);
  CHECK(m.contact->in("et") == "valimised@city.example");
  // The same rule on the JSON as served.
  CHECK(text_in(j["title"], "et") == "Linnavalimised");
  CHECK(text_in(j["contests"][0]["title"], "ru") == "Mayor");
  CHECK(text_in(Json("Plain"), "et") == "Plain");

  // The canonical manifest keeps each text's form: an object stays an object (even with "en"
  // alone), a string stays a string, and the contact is written only when given.
  const Json canonical = manifest_to_json(m);
  CHECK(canonical == j);
  CHECK(canonical["contests"][0]["options"][1]["title"] == Json{{"en", "Bob"}});
  CHECK(canonical["contests"][0]["options"][0]["title"] == j["contests"][0]["options"][0]["title"]);
  const haal::crypto::Bytes title_bytes = haal::crypto::canonical_json_bytes(canonical["title"]);
  CHECK(std::string(title_bytes.begin(), title_bytes.end()) ==
        R"({"en":"City election","et":"Linnavalimised","ru":"Городские выборы"})");
  CHECK(manifest_hash(m) == haal::crypto::canonical_json_hash(j));
  CHECK_FALSE(
      manifest_to_json(manifest_from_json(test::sample_manifest_json())).contains("contact"));
  // A translation changes the hash (it is part of what the election is about).
  Json other = j;
  other["contests"][0]["title"]["et"] = "Vallavanem";
  CHECK(manifest_hash(manifest_from_json(other)) != manifest_hash(m));
  // "en" alone and the plain string are different manifests.
  Json plain = j;
  plain["contests"][0]["options"][1]["title"] = "Bob";
  CHECK(manifest_hash(manifest_from_json(plain)) != manifest_hash(m));
}

TEST_CASE("a manifest of string titles keeps the hash its published vector has", "[manifest]") {
  // tests/vectors/ballot-p256.json was written before texts could be translated: its manifest
  // still hashes to the manifest_hash of its context.
  std::ifstream in(std::filesystem::path(HAAL_SOURCE_DIR) / "tests" / "vectors" /
                   "ballot-p256.json");
  REQUIRE(in);
  const Json vector = Json::parse(in);
  const Manifest m = manifest_from_json(vector.at("manifest"));
  CHECK(haal::crypto::to_hex(manifest_hash(m)) ==
        vector.at("context").at("manifest_hash").get<std::string>());
  CHECK(manifest_to_json(m) == vector.at("manifest"));
}
