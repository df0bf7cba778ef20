#include <catch2/catch.hpp>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "election/context.hpp"
#include "election/strict_json.hpp"
#include "fixtures.hpp"

using namespace haal::election;
namespace fs = std::filesystem;

namespace {
void write_ceremony(const fs::path& election, const Json& result) {
  fs::create_directories(election / "ceremony");
  write_text_file(election / "ceremony" / "result.json", result.dump(2));
}
}  // namespace

TEST_CASE("election new, seal and load", "[context]") {
  test::TempDir tmp;
  const fs::path dir = tmp.path() / "e";
  // Non-canonical input (whitespace, key order) gives the canonical manifest.json.
  const Manifest m = create_election(test::sample_manifest_json().dump(4), "manifest.json", dir);
  const std::string written = haal::base::read_file(dir / "manifest.json");
  const auto canonical = haal::crypto::canonical_json_bytes(test::sample_manifest_json());
  CHECK(written == std::string(canonical.begin(), canonical.end()) + "\n");
  CHECK_THROWS_WITH(load_election_context(dir),
                    Catch::EndsWith("context.json: missing (run `haal election seal` first)"));

  const test::TestKey key = test::test_key(m.group());
  Json result = key.ceremony_result;
  result["qualified"] = {1, 2, 3};  // other ceremony fields are hashed, not interpreted
  write_ceremony(dir, result);
  const ElectionContext sealed = seal_election(dir, test::test_parties());
  const Json context = read_json_file(dir / "context.json");
  CHECK(context["manifest_hash"] == haal::crypto::to_hex(manifest_hash(m)));
  CHECK(context["ceremony_hash"] ==
        haal::crypto::to_hex(haal::crypto::canonical_json_hash(result)));
  CHECK(context["public_key"] == key.ceremony_result["public_key"]);
  CHECK(context["group"] == "P-256");
  CHECK(context["election_id"] == "city-2026");
  CHECK(context["contests"][0] == Json{{"contest_id", "mayor"}, {"width", 2u}});
  CHECK(context["officials_key"] == haal::crypto::to_hex(test::test_parties().officials_key));
  CHECK(context["collector_key"] == haal::crypto::to_hex(test::test_parties().collector_key));
  CHECK(context["mix_servers"].size() == 2);
  CHECK(context["mix_servers"][1]["id"] == "mix-2");
  CHECK(sealed.hash() == haal::crypto::canonical_json_hash(context));
  const ElectionContext loaded = load_election_context(dir);
  CHECK(loaded.hash() == sealed.hash());
  // Sealing again is idempotent; a different ceremony result is refused.
  CHECK(seal_election(dir, test::test_parties()).hash() == sealed.hash());
  // Other parties, or another ceremony result, make another context: refused.
  CHECK_THROWS_WITH(seal_election(dir, test::test_parties(3)),
                    Catch::EndsWith("already exists with a different context"));
  write_ceremony(dir, test::test_key(m.group(), "other").ceremony_result);
  CHECK_THROWS_WITH(seal_election(dir, test::test_parties()),
                    Catch::EndsWith("already exists with a different context"));
  // A different manifest cannot replace the existing one.
  Json other = test::sample_manifest_json();
  other["title"] = "Changed";
  CHECK_THROWS_WITH(create_election(other.dump(), "m.json", dir),
                    Catch::EndsWith("already exists with a different manifest"));
}

TEST_CASE("tampered context.json fields are named", "[context]") {
  const Manifest m = manifest_from_json(test::sample_manifest_json());
  const ElectionContext good =
      ElectionContext::seal(m, test::test_key(m.group()).ceremony_result, test::test_parties());
  const Json j = good.to_json();
  struct Case {
    std::function<void(Json&)> edit;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](Json& c) { c["election_id"] = "x"; },
       "context.json.election_id: does not match the manifest's election_id \"city-2026\""},
      {[](Json& c) { c["group"] = "modp-2048"; },
       "context.json.group: does not match the manifest's group P-256"},
      {[](Json& c) { c["manifest_hash"] = std::string(64, '0'); },
       "context.json.manifest_hash: does not match the hash of manifest.json"},
      {[](Json& c) { c["public_key"] = "02" + std::string(64, 'f'); }, "context.json.public_key: "},
      {[](Json& c) { c["contests"][0]["width"] = 1u; },
       "context.json.contests: does not list the manifest's contests with widths "},
      {[](Json& c) { c["extra"] = true; }, "context.json.extra: unknown field"},
      {[](Json& c) { c.erase("ceremony_hash"); }, "context.json.ceremony_hash: missing"},
      {[](Json& c) { c.erase("officials_key"); }, "context.json.officials_key: missing"},
      {[](Json& c) { c.erase("collector_key"); }, "context.json.collector_key: missing"},
      {[](Json& c) { c["collector_key"] = c["officials_key"]; },
       "context.json.collector_key: is also the officials' key"},
      {[](Json& c) { c["mix_servers"] = Json::array(); },
       "context.json.mix_servers: must name at least one mix server"},
      {[](Json& c) { c["mix_servers"][1]["id"] = "mix-1"; },
       "context.json.mix_servers[1].id: duplicate mix server id"},
      {[](Json& c) { c["mix_servers"][1]["public_key"] = c["mix_servers"][0]["public_key"]; },
       "context.json.mix_servers[1].public_key: is also the key of "},
      {[](Json& c) { c["mix_servers"][0]["public_key"] = "01" + std::string(62, '0'); },
       "context.json.mix_servers[0].public_key: "},
      {[](Json& c) { c["officials_key"] = "01" + std::string(62, '0'); },
       "context.json.officials_key: "},
      {[](Json& c) { c["mix_servers"][0]["role"] = "x"; },
       "context.json.mix_servers[0].role: unknown field"},
  };
  for (const Case& c : cases) {
    Json t = j;
    c.edit(t);
    CHECK_THROWS_WITH(ElectionContext::from_json(m, t), Catch::StartsWith(c.error));
  }
}

TEST_CASE("the ceremony public key must be an element of the group", "[context]") {
  const Manifest m = manifest_from_json(test::sample_manifest_json("modp-2048"));
  const Json p256_key = test::test_key(haal::crypto::group_by_name("P-256")).ceremony_result;
  CHECK_THROWS_WITH(ElectionContext::seal(m, p256_key, test::test_parties()),
                    Catch::StartsWith("ceremony/result.json.public_key: "));
  CHECK_THROWS_WITH(ElectionContext::seal(m, Json::object(), test::test_parties()),
                    "ceremony/result.json.public_key: missing");
  // The identity is not a valid key.
  const Json identity = {{"public_key", std::string(512, '0')}};
  CHECK_THROWS_WITH(ElectionContext::seal(m, identity, test::test_parties()),
                    Catch::StartsWith("ceremony/result.json.public_key: "));
}
