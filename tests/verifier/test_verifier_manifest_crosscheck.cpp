// Cross-check of the verifier's manifest parser (verifier-app/manifest_parser.cpp, written from
// docs/ballots.md 2) against the election library's (used here only to produce the expected
// answers): both accept the same canonical manifests, with the same hash, and reject each
// malformed one with the same "<field path>: <reason>". Then a whole record whose titles and
// contact are translated passes stages 1-5, and one with a malformed translation fails stage 1.
#include <catch2/catch.hpp>
#include <functional>

#include "election/manifest.hpp"
#include "tests/verifier/record_builder.hpp"
#include "verifier-app/manifest_parser.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::testing;
using crypto::Json;
namespace fs = std::filesystem;

namespace {

// A canonical manifest with every kind of contest, a write-in and both ranked methods.
Json base_manifest() {
  return Json::parse(R"({
    "election_id": "city-2026",
    "title": {"en": "City election 2026", "et": "Linnavalimised 2026", "ru": "Городские выборы 2026"},
    "contact": {"en": "officials@city.example", "et": "valimised@city.example"},
    "voting_window": {"opens": "2026-11-20T08:00:00Z", "closes": "2026-11-27T18:00:00Z"},
    "group": "P-256",
    "trustees": {"count": 5, "threshold": 3},
    "contests": [
      {"id": "mayor", "title": {"en": "Mayor", "ru": "Мэр"}, "kind": "plurality", "min": 1, "max": 1,
       "options": [{"id": "alice", "title": "Alice"}, {"id": "bob", "title": {"en": "Bob"}}],
       "write_in": {"max_bytes": 40}},
      {"id": "council", "title": "Council", "kind": "approval", "min": 0, "max": 2,
       "options": [{"id": "c1", "title": "One"}, {"id": "c2", "title": "Two"}, {"id": "c3", "title": "Three"}]},
      {"id": "measure", "title": "Measure A", "kind": "referendum", "min": 0, "max": 1,
       "options": [{"id": "yes", "title": {"en": "Yes", "et": "Jah", "ru": "Да"}},
                   {"id": "no", "title": {"en": "No", "et": "Ei", "ru": "Нет"}}]},
      {"id": "board", "title": "School board", "kind": "ranked", "min": 1, "max": 2,
       "method": "schulze", "options": [{"id": "dan", "title": "Dan"}, {"id": "eve", "title": "Eve"}]}
    ]
  })");
}

std::string producer_error(const Json& j) {
  try {
    election::manifest_from_json(j);
  } catch (const crypto::FormatError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string verifier_error(const Json& j) {
  try {
    parse_manifest(j);
  } catch (const crypto::FormatError& e) {
    return e.what();
  }
  return "(accepted)";
}

// The base manifest with `edit` applied, as it reads back from its text (so integers are
// unsigned, as in a file).
Json edited(const std::function<void(Json&)>& edit) {
  Json j = base_manifest();
  edit(j);
  return Json::parse(j.dump());
}

}  // namespace

TEST_CASE("the verifier accepts the canonical manifests the election library writes") {
  const Json j = base_manifest();
  const election::Manifest produced = election::manifest_from_json(j);
  REQUIRE(election::manifest_to_json(produced) == j);
  const ParsedManifest read = parse_manifest(j);
  CHECK(read.hash == election::manifest_hash(produced));
  CHECK(read.title.translations.at("ru") == "Городские выборы 2026");
  REQUIRE(read.contact);
  CHECK(read.contact->translations.size() == 2);
  CHECK(read.contests[0].options[0].title.text == "Alice");
  CHECK(read.contests[0].options[1].title.translations.at("en") == "Bob");
  // The string forms of a manifest without translations (as before texts could be translated).
  Json plain = j;
  plain["title"] = "City election 2026";
  plain.erase("contact");
  plain["contests"][0]["title"] = "Mayor";
  CHECK(verifier_error(plain) == "(accepted)");
  CHECK(parse_manifest(plain).hash == election::manifest_hash(election::manifest_from_json(plain)));
}

TEST_CASE("the verifier rejects each malformed manifest as the specification says") {
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases = {
      {[](Json& j) { j["title"] = 7; },
       "title: must be a string or an object of translations (en, et, ru)"},
      {[](Json& j) { j["title"] = ""; }, "title: must not be empty"},
      {[](Json& j) { j["title"] = std::string(1001, 't'); }, "title: longer than 1000 bytes"},
      {[](Json& j) { j["title"] = Json::object(); }, "title.en: missing"},
      {[](Json& j) { j["title"].erase("en"); }, "title.en: missing"},
      {[](Json& j) { j["title"]["de"] = "Stadtwahl"; }, "title.de: unknown field"},
      {[](Json& j) { j["title"]["et"] = 1; }, "title.et: must be a string"},
      {[](Json& j) { j["title"]["ru"] = ""; }, "title.ru: must not be empty"},
      {[](Json& j) { j["contests"][0]["title"]["ru"] = ""; },
       "contests[0].title.ru: must not be empty"},
      {[](Json& j) { j["contests"][2]["options"][1]["title"]["et"] = std::string(1001, 'e'); },
       "contests[2].options[1].title.et: longer than 1000 bytes"},
      {[](Json& j) { j["contests"][1]["options"][0]["title"] = Json::array(); },
       "contests[1].options[0].title: must be a string or an object of translations (en, et, ru)"},
      {[](Json& j) { j["contact"] = ""; }, "contact: must not be empty"},
      {[](Json& j) {
         j["contact"] = {{"et", "valimised@city.example"}};
       },
       "contact.en: missing"},
      {[](Json& j) { j["contact"]["fi"] = "vaalit@city.example"; }, "contact.fi: unknown field"},
      // Order: the title before the contact, the contact before the voting window.
      {[](Json& j) {
         j["title"] = "";
         j["contact"] = "";
       },
       "title: must not be empty"},
      {[](Json& j) {
         j["contact"] = 1;
         j["voting_window"]["opens"] = "soon";
       },
       "contact: must be a string or an object of translations (en, et, ru)"},
      // The other rules of the table.
      {[](Json& j) { j["colour"] = "red"; }, "colour: unknown field"},
      {[](Json& j) { j["election_id"] = "bad id"; },
       "election_id: invalid identifier \"bad id\" (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})"},
      {[](Json& j) { j["voting_window"]["closes"] = "2026-11-20T08:00:00Z"; },
       "voting_window.closes: must be after voting_window.opens (2026-11-20T08:00:00Z)"},
      {[](Json& j) { j["voting_window"]["opens"] = "2026-02-30T08:00:00Z"; },
       "voting_window.opens: expected an RFC 3339 UTC time \"YYYY-MM-DDTHH:MM:SSZ\", got "
       "\"2026-02-30T08:00:00Z\""},
      {[](Json& j) { j["trustees"]["threshold"] = 6; },
       "trustees.threshold: must be between 1 and 5, got 6"},
      {[](Json& j) { j["contests"] = Json::array(); }, "contests: must list at least one contest"},
      {[](Json& j) { j["contests"][1]["id"] = "mayor"; },
       "contests[1].id: duplicate contest id \"mayor\""},
      {[](Json& j) { j["contests"][2]["options"][0]["id"] = "no"; },
       "contests[2].options[1].id: duplicate option id \"no\""},
      {[](Json& j) { j["contests"][0]["kind"] = "borda"; },
       "contests[0].kind: unknown contest kind \"borda\" (expected plurality, approval, "
       "referendum or ranked)"},
      {[](Json& j) { j["contests"][0]["max"] = 2; },
       "contests[0].max: a plurality contest has max 1"},
      {[](Json& j) { j["contests"][1]["min"] = 3; }, "contests[1].min: min 3 exceeds max 2"},
      {[](Json& j) {
         j["contests"][2]["write_in"] = {{"max_bytes", 5}};
       },
       "contests[2].write_in: a referendum has no write-in"},
      {[](Json& j) { j["contests"][0]["write_in"]["max_bytes"] = 1025; },
       "contests[0].write_in.max_bytes: must be between 1 and 1024, got 1025"},
      {[](Json& j) { j["contests"][0]["method"] = "schulze"; },
       "contests[0].method: only a ranked contest names a counting method"},
      {[](Json& j) { j["contests"][3]["method"] = "borda"; },
       "contests[3].method: unknown method \"borda\" (expected instant-runoff or schulze)"},
      {[](Json& j) { j["contests"][3]["options"][0] = "dan"; },
       "contests[3].options[0]: must be a JSON object"},
  };
  for (const auto& [edit, expected] : cases) {
    const Json j = edited(edit);
    INFO(j.dump());
    CHECK(producer_error(j) == expected);
    CHECK(verifier_error(j) == expected);
  }
}

TEST_CASE(
    "a record with translated titles and contact verifies, and a malformed translation fails") {
  BuildOptions options;
  options.voters = 3;
  options.translated_texts = true;
  const fs::path dir = fresh_temp_path("translated");
  build_record(dir, options);
  const Report report = verify_path(dir);
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  CHECK(read_json(dir / "manifest.json")["contests"][0]["title"]["ru"] == "Мэр");

  const Report tampered = verify_tampered(dir, "empty Russian title", [](const fs::path& d) {
    Json m = read_json(d / "manifest.json");
    m["contests"][0]["title"]["ru"] = "";
    write_json(d / "manifest.json", m);
  });
  CHECK_FALSE(tampered.ok());
  CHECK(tampered.failed_with(Stage::kParameters, "contests[0].title.ru: must not be empty"));
  fs::remove_all(dir);
}
