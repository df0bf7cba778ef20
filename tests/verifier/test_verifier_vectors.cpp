// Cross-check against the election component's known-answer ballot (tests/vectors/
// ballot-p256.json, made by election::encrypt_ballot_var and election::make_challenge): the
// verifier's independent re-implementation must accept its ballot and its Benaloh challenge
// (five contests: write-ins, ranked, approval, referendum) and reject a change to either.
#include <catch2/catch.hpp>
#include <fstream>

#include "crypto/canonical_json.hpp"
#include "tests/verifier/record_builder.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::testing;
using crypto::Json;
namespace fs = std::filesystem;

namespace {

Json vector_json() {
  std::ifstream in(std::string(HAAL_SOURCE_DIR) + "/tests/vectors/ballot-p256.json");
  REQUIRE(in);
  return Json::parse(in);
}

// A record holding the vector's election and one board entry of `kind` with `payload`.
fs::path record_with_entry(const Json& v, const std::string& kind, const Json& payload) {
  const fs::path dir = fresh_temp_path("vector-" + kind);
  fs::create_directories(dir / "board");
  write_json(dir / "manifest.json", v["manifest"]);
  write_json(dir / "context.json", v["context"]);
  write_json(dir / "roll.json",
             Json{{"election_id", v["manifest"]["election_id"]},
                  {"voters", Json::array({Json{{"voter_id", v["voter_id"]},
                                               {"public_key", v["credential_public_key"]}}})}});
  write_json(dir / "board" / "head.json", Json{{"timestamp_ms", 1}});
  Json entry = {{"kind", kind}, {"sequence", 0}, {"timestamp_ms", 1}};
  set_entry_payload(entry, payload);
  write_entries_and_reseal(dir, {entry});
  reindex(dir);
  return dir;
}

bool passed_with(const Report& report, Stage stage, const std::string& needle) {
  for (const CheckResult& r : report.results()) {
    if (r.stage == stage && r.passed && r.check.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("election known answer: the ballot passes every stage-4 check") {
  const Json v = vector_json();
  const fs::path dir = record_with_entry(v, "ballot", v["ballot"]);
  const Report report = verify_path(dir);
  INFO(failures_text(report));
  CHECK(stage_passes(report, Stage::kParameters));
  CHECK(stage_passes(report, Stage::kBallots));
  CHECK(passed_with(report, Stage::kBallots, "ballot proofs"));
  // The ballot hash the election component computed.
  const std::string expected = v["ballot_hash"].get<std::string>();
  CHECK(crypto::to_hex(crypto::canonical_json_hash(v["ballot"])) == expected);
  fs::remove_all(dir);

  Json changed = v["ballot"];
  changed["sequence"] = 4;
  const fs::path bad = record_with_entry(v, "ballot", changed);
  CHECK(verify_path(bad).failed_with(Stage::kBallots, "ballot signature"));
  fs::remove_all(bad);
}

TEST_CASE("election known answer: the Benaloh challenge opens correctly") {
  const Json v = vector_json();
  const fs::path dir = record_with_entry(v, "challenge", v["challenge"]);
  const Report report = verify_path(dir);
  INFO(failures_text(report));
  CHECK(stage_passes(report, Stage::kBallots));
  CHECK(passed_with(report, Stage::kBallots, "ballot is well formed"));
  CHECK(passed_with(report, Stage::kCleansing, "Benaloh openings"));
  fs::remove_all(dir);

  // A lying opening (another choice).
  Json lying = v["challenge"];
  lying["contests"][2]["choices"] = Json::array({"yes"});
  const fs::path bad = record_with_entry(v, "challenge", lying);
  const Report bad_report = verify_path(bad);
  INFO(failures_text(bad_report));
  CHECK(bad_report.failed_with(Stage::kCleansing, "Benaloh"));
  fs::remove_all(bad);
}
