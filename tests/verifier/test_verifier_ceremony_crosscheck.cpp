// Cross-check against the real key ceremony and election seal (haal_ceremony and
// haal_election, used here only to produce data): a ceremony run by ceremony::run_local_ceremony
// and a context sealed by election::seal_election pass stages 1 and 2 of the verifier's
// independent re-implementation; a changed verification key fails.
#include <catch2/catch.hpp>
#include <sstream>

#include "ceremony/local_ceremony.hpp"
#include "election/context.hpp"
#include "tests/verifier/record_builder.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::testing;
using crypto::Json;
namespace fs = std::filesystem;

TEST_CASE(
    "a ceremony run by the real trustees' code and sealed by the election code passes stages 1-2") {
  const fs::path record = fresh_temp_path("ceremony-crosscheck");
  build_record(record);
  const fs::path election = fresh_temp_path("ceremony-crosscheck-election");
  const fs::path trustees = fresh_temp_path("ceremony-crosscheck-trustees");
  fs::create_directories(election);
  fs::copy_file(record / "manifest.json", election / "manifest.json");
  std::ostringstream log;
  ceremony::run_local_ceremony(election, trustees, "test passphrase", log,
                               crypto::ScryptParameters{1u << 14, 8, 1});
  // The record's own parties, so that the resealed context differs only in the ceremony.
  election::seal_election(
      election, election::parties_from_json(read_json(record / "context.json"), "context.json"));
  fs::remove_all(record / "ceremony");
  fs::copy(election / "ceremony", record / "ceremony", fs::copy_options::recursive);
  fs::copy_file(election / "context.json", record / "context.json",
                fs::copy_options::overwrite_existing);
  reindex(record);
  const Report report = verify_path(record);
  INFO(failures_text(report));
  CHECK(stage_passes(report, Stage::kParameters));
  CHECK(stage_passes(report, Stage::kCeremony));

  const Report tampered =
      verify_tampered(record, "real ceremony, changed key", [](const fs::path& dir) {
        Json r = read_json(dir / "ceremony" / "result.json");
        const crypto::Group& g = crypto::group_by_name(r.at("group").get<std::string>());
        r["trustees"][0]["verification_key"] =
            g.to_hex(g.exp_generator_var(g.scalars().from_u64(11)));
        write_json(dir / "ceremony" / "result.json", r);
      });
  CHECK(tampered.failed_with(Stage::kCeremony, "verification_key"));
  fs::remove_all(record);
  fs::remove_all(election);
  fs::remove_all(trustees);
}
