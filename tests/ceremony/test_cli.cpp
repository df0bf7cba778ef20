// The `haal trustee` and `haal ceremony` commands end to end, file by file as on separate
// machines: passphrases only through the environment, clear errors and exit codes.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>

#include "ceremony_fixture.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"

using namespace haal::ceremony;
using namespace haal::ceremony::testing;

namespace {

struct Run {
  int status;
  std::string output;
};

// Runs `haal <args>` with stdout and stderr captured.
Run run_haal(const std::string& args) {
  const std::string command = std::string(HAAL_BINARY_DIR) + "/bin/haal " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  return Run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

void write_json(const std::filesystem::path& p, const Json& j) {
  write_file_atomically(p, haal::crypto::canonical_json_bytes(j), 0644);
}

// Encrypts "<label> 0", "<label> 1", "<label> 2" under the ceremony's joint key, writes them to
// `file` as a ciphertext list ({"ciphertexts": [...]}) and returns the encoded messages.
std::vector<Element> write_ciphertexts(const CeremonyResult& result,
                                       const std::filesystem::path& file,
                                       const std::string& label) {
  const Group& group = *result.group;
  haal::crypto::ElGamalEncryptor enc(group, result.joint_public_key);
  Json list = Json::array();
  std::vector<Element> messages;
  for (int k = 0; k < 3; ++k) {
    messages.push_back(
        group.encode_message_var(haal::crypto::to_bytes(label + " " + std::to_string(k))));
    const auto c =
        enc.encrypt(messages.back(), group.scalars().random_secret(haal::crypto::system_random()));
    list.push_back(Json{{"alpha", group.to_hex(c.alpha)}, {"beta", group.to_hex(c.beta)}});
  }
  write_json(file, Json{{"ciphertexts", list}});
  return messages;
}

}  // namespace

TEST_CASE("haal trustee: a 2-of-3 ceremony file by file, then decryption and combination",
          "[cli]") {
  TempDir temp;
  const auto election = write_election(temp.path(), 3, 2);
  ::setenv("HAAL_TEST_PASSPHRASE", "a long test passphrase", 1);
  ::setenv("HAAL_TEST_WRONG", "not the passphrase", 1);
  const std::string e = " --election " + election.string();
  auto tdir = [&](int i) {
    return " --trustee-dir " + (temp.path() / ("t" + std::to_string(i))).string();
  };
  const std::string pw = " --passphrase-env HAAL_TEST_PASSPHRASE";

  for (int i = 1; i <= 3; ++i) {
    const Run r = run_haal("trustee init" + e + tdir(i) + pw + " --index " + std::to_string(i));
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.output, Catch::Contains("message hash"));
  }
  // Re-initialising a trustee is refused.
  CHECK(run_haal("trustee init" + e + tdir(1) + pw + " --index 1").status == 2);
  // Reveal before everyone committed: refused, naming the missing commitments.
  REQUIRE(run_haal("trustee commit" + e + tdir(1) + pw).status == 0);
  const Run early = run_haal("trustee reveal" + e + tdir(1) + pw);
  CHECK(early.status == 1);
  CHECK_THAT(early.output, Catch::Contains("round1-commitment-trustee-2.json"));
  // ... and says what to do: wait (no option overrides it, docs/ceremony.md section 5).
  CHECK_THAT(early.output, Catch::Contains("Wait for those trustees"));
  CHECK_THAT(early.output, !Catch::Contains("--allow-missing once"));
  const Run forced = run_haal("trustee reveal" + e + tdir(1) + pw + " --allow-missing");
  CHECK(forced.status == 2);
  CHECK_THAT(forced.output, Catch::Contains("--allow-missing applies only to verify-shares"));
  // A wrong passphrase fails cleanly.
  const Run wrong = run_haal("trustee commit" + e + tdir(2) + " --passphrase-env HAAL_TEST_WRONG");
  CHECK(wrong.status == 1);
  CHECK_THAT(wrong.output, Catch::Contains("wrong passphrase or corrupted box"));
  // Passphrases are never taken from argv.
  CHECK(run_haal("trustee commit" + e + tdir(2) + " --passphrase secret").status == 2);

  for (const std::string step :
       {"commit", "reveal", "shares", "verify-shares", "answer", "finalize"}) {
    for (int i = 1; i <= 3; ++i) {
      const Run r = run_haal("trustee " + step + e + tdir(i) + pw);
      INFO(step << " " << i << ": " << r.output);
      REQUIRE(r.status == 0);
    }
  }
  const Run fin = run_haal("ceremony finalize" + e);
  INFO(fin.output);
  CHECK(fin.status == 0);
  CHECK_THAT(fin.output, Catch::Contains("matches the messages"));
  CHECK_THAT(run_haal("trustee status" + e).output, Catch::Contains("result.json present"));

  // Decrypt three ciphertexts under the joint key.
  const CeremonyResult result = load_ceremony_result(election);
  const Group& group = *result.group;
  const auto cts = temp.path() / "ciphertexts.json";
  const std::vector<Element> messages = write_ciphertexts(result, cts, "vote");
  const std::string context = " --context-hash " + std::string(64, 'e');
  for (int i = 1; i <= 3; ++i) {
    const auto out = temp.path() / ("partial-" + std::to_string(i) + ".json");
    const Run r = run_haal("trustee decrypt" + e + tdir(i) + pw + context + " --in " +
                           cts.string() + " --out " + out.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
  }
  // Trustee 1's file is tampered with: combine names it and uses trustees 2 and 3.
  Json p1 = read_json_file(temp.path() / "partial-1.json");
  p1["values"][1] = p1["values"][0];
  write_json(temp.path() / "partial-1.json", p1);
  const auto plain = temp.path() / "plaintexts.json";
  const Run comb = run_haal("ceremony combine" + e + context + " --in " + cts.string() + " --out " +
                            plain.string() + " " + (temp.path() / "partial-1.json").string() + " " +
                            (temp.path() / "partial-2.json").string() + " " +
                            (temp.path() / "partial-3.json").string());
  INFO(comb.output);
  REQUIRE(comb.status == 0);
  CHECK_THAT(comb.output, Catch::Contains("REJECTED: partial decryptions of trustee 1"));
  const Json out = read_json_file(plain);
  CHECK(out["trustees_used"] == Json::array({2, 3}));
  REQUIRE(out["plaintexts"].size() == 3);
  for (int k = 0; k < 3; ++k) CHECK(out["plaintexts"][k] == group.to_hex(messages[k]));
  // Only trustee 1 and a tampered file: fewer than t valid, non-zero exit naming trustee 1.
  const Run few = run_haal("ceremony combine" + e + context + " --in " + cts.string() + " --out " +
                           plain.string() + " " + (temp.path() / "partial-1.json").string() + " " +
                           (temp.path() / "partial-2.json").string() + " " +
                           (temp.path() / "partial-2.json").string());
  CHECK(few.status == 1);
  CHECK_THAT(few.output, Catch::Contains("trustee 1 rejected"));
}

TEST_CASE("haal ceremony run: a local 3-of-5 demo with a generated manifest", "[cli]") {
  TempDir temp;
  ::setenv("HAAL_TEST_PASSPHRASE", "a long test passphrase", 1);
  const auto election = temp.path() / "e";
  const Run r = run_haal("ceremony run --election " + election.string() + " --trustees-root " +
                         (temp.path() / "t").string() +
                         " --trustees 5 --threshold 3 --passphrase-env HAAL_TEST_PASSPHRASE");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("ceremony complete: 5 of 5 trustees qualified"));
  const CeremonyResult result = load_ceremony_result(election);
  CHECK(result.threshold == 3);
  CHECK(result.trustees.size() == 5);
  // Bad parameters are refused before anything is written.
  const Run bad = run_haal("ceremony run --election " + (temp.path() / "e2").string() +
                           " --trustees-root " + (temp.path() / "t2").string() +
                           " --trustees 2 --threshold 3 --passphrase-env HAAL_TEST_PASSPHRASE");
  CHECK(bad.status == 1);
  CHECK_THAT(bad.output, Catch::Contains("threshold"));
  CHECK_FALSE(std::filesystem::exists(temp.path() / "e2" / "manifest.json"));
}

TEST_CASE("haal election new, ceremony run, election seal, then decrypt under context.json",
          "[cli][integration]") {
  TempDir temp;
  ::setenv("HAAL_TEST_PASSPHRASE", "a long test passphrase", 1);
  const Json manifest{
      {"election_id", "integration-2026"},
      {"title", "Integration test"},
      {"voting_window", {{"opens", "2026-11-20T08:00:00Z"}, {"closes", "2026-11-27T18:00:00Z"}}},
      {"group", "P-256"},
      {"trustees", {{"count", 3u}, {"threshold", 2u}}},
      {"contests",
       Json::array({Json{{"id", "mayor"},
                         {"title", "Mayor"},
                         {"kind", "plurality"},
                         {"min", 1u},
                         {"max", 1u},
                         {"options", Json::array({Json{{"id", "alice"}, {"title", "Alice"}},
                                                  Json{{"id", "bob"}, {"title", "Bob"}}})}}})}};
  const auto source = temp.path() / "manifest-source.json";
  const auto election = temp.path() / "election";
  const std::string e = " --election " + election.string();
  // A ranked contest with a write-in could not be counted: refused before anything is written.
  Json uncountable = manifest;
  uncountable["contests"][0]["kind"] = "ranked";
  uncountable["contests"][0]["write_in"] = Json{{"max_bytes", 20u}};
  write_json(source, uncountable);
  Run r = run_haal("election new --manifest " + source.string() + " --out " + election.string());
  CHECK(r.status != 0);
  CHECK_THAT(r.output, Catch::Contains("contests[0].write_in: a ranked contest cannot offer a "
                                       "write-in"));
  CHECK_FALSE(std::filesystem::exists(election / "manifest.json"));
  write_json(source, manifest);
  r = run_haal("election new --manifest " + source.string() + " --out " + election.string());
  INFO(r.output);
  REQUIRE(r.status == 0);
  // A voter's self-registered key must not be the identity point (R = identity, S = 0 would
  // sign any ballot under it): refused, and the roll is not written.
  r = run_haal("credentials register" + e + " --voter-id v9 --public-key 01" +
               std::string(62, '0'));
  CHECK(r.status == 1);
  CHECK_THAT(r.output, Catch::Contains("voter \"v9\": credential public key: a small-order Ed25519 "
                                       "point (it would verify forged signatures)"));
  CHECK_FALSE(std::filesystem::exists(election / "roll.json"));
  r = run_haal("ceremony run" + e + " --trustees-root " + (temp.path() / "t").string() +
               " --passphrase-env HAAL_TEST_PASSPHRASE");
  INFO(r.output);
  REQUIRE(r.status == 0);
  // The other parties' public key files, each made by its own keygen (the collector's by
  // haal-collector, written here directly in its format).
  r = run_haal("election seal" + e + " --collector " + (temp.path() / "collector.json").string() +
               " --mix-servers " + (temp.path() / "mix-1" / "mix-server.json").string());
  CHECK(r.status != 0);  // no party keys yet
  CHECK_THAT(r.output, Catch::Contains("officials.json: missing (made by `haal officials keygen`"));
  r = run_haal("officials keygen" + e + " --out " + (temp.path() / "officials-key.json").string() +
               " --passphrase-env HAAL_TEST_PASSPHRASE");
  REQUIRE(r.status == 0);
  r = run_haal("mix-server keygen" + e + " --id mix-1 --out " + (temp.path() / "mix-1").string() +
               " --passphrase-env HAAL_TEST_PASSPHRASE");
  REQUIRE(r.status == 0);
  write_json(temp.path() / "collector.json",
             Json{{"election_id", "integration-2026"},
                  {"role", "collector"},
                  {"public_key", haal::crypto::to_hex(
                                     haal::crypto::Ed25519PrivateKey::generate().public_key())}});
  // A mix server's file given as the collector's is refused by its role.
  r = run_haal("election seal" + e + " --collector " +
               (temp.path() / "mix-1" / "mix-server.json").string() + " --mix-servers " +
               (temp.path() / "mix-1" / "mix-server.json").string());
  CHECK(r.status != 0);
  CHECK_THAT(r.output, Catch::Contains(".role: is \"mix-server\", expected \"collector\""));
  r = run_haal("election seal" + e + " --collector " + (temp.path() / "collector.json").string() +
               " --mix-servers " + (temp.path() / "mix-1" / "mix-server.json").string());
  INFO(r.output);
  REQUIRE(r.status == 0);
  // context.json carries the ceremony's joint key and the hash of result.json.
  const Json context = read_json_file(election / "context.json");
  std::ostringstream log;
  const CeremonyResult result = verify_ceremony_result(election, log);
  const Group& group = *result.group;
  CHECK(context["public_key"] == group.to_hex(result.joint_public_key));
  CHECK(context["ceremony_hash"] == haal::crypto::to_hex(haal::crypto::canonical_json_hash(
                                        read_json_file(election / "ceremony/result.json"))));

  // Decryption proofs bind context_hash = H(context.json) (no --context-hash given).
  haal::crypto::ElGamalEncryptor enc(group, result.joint_public_key);
  const Element m = group.encode_message_var(haal::crypto::to_bytes("alice"));
  const auto c = enc.encrypt(m, group.scalars().random_secret(haal::crypto::system_random()));
  const auto cts = temp.path() / "ciphertexts.json";
  write_json(cts, Json{{"ciphertexts", Json::array({Json{{"alpha", group.to_hex(c.alpha)},
                                                         {"beta", group.to_hex(c.beta)}}})}});
  std::string partials;
  for (int i : {2, 3}) {
    const auto out = temp.path() / ("partial-" + std::to_string(i) + ".json");
    r = run_haal("trustee decrypt" + e + " --trustee-dir " +
                 (temp.path() / "t" / ("trustee-" + std::to_string(i))).string() +
                 " --passphrase-env HAAL_TEST_PASSPHRASE --in " + cts.string() + " --out " +
                 out.string());
    INFO(r.output);
    REQUIRE(r.status == 0);
    partials += " " + out.string();
    const Json p = read_json_file(out);
    CHECK(p["context_hash"] == haal::crypto::to_hex(haal::crypto::canonical_json_hash(context)));
  }
  const auto plain = temp.path() / "plaintexts.json";
  r = run_haal("ceremony combine" + e + " --in " + cts.string() + " --out " + plain.string() +
               partials);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(read_json_file(plain)["plaintexts"][0] == group.to_hex(m));
}

TEST_CASE("haal trustee passphrase, backup and restore: a restored store still decrypts", "[cli]") {
  TempDir temp;
  ::setenv("HAAL_TEST_PASSPHRASE", "a long test passphrase", 1);
  ::setenv("HAAL_TEST_NEW", "another long passphrase", 1);
  ::setenv("HAAL_TEST_WRONG", "not the passphrase", 1);
  const auto election = temp.path() / "e";
  REQUIRE(run_haal("ceremony run --election " + election.string() + " --trustees-root " +
                   (temp.path() / "t").string() +
                   " --trustees 3 --threshold 2 --passphrase-env HAAL_TEST_PASSPHRASE")
              .status == 0);
  const std::string e = " --election " + election.string();
  const auto t1 = temp.path() / "t" / "trustee-1";
  const std::string old_pw = " --passphrase-env HAAL_TEST_PASSPHRASE";
  const std::string new_pw = " --passphrase-env HAAL_TEST_NEW";
  const std::string wrong_pw = " --passphrase-env HAAL_TEST_WRONG";
  const auto backup = temp.path() / "usb" / "trustee-1-backup.json";
  std::filesystem::create_directories(backup.parent_path());

  // Backup: refused under a wrong passphrase (nothing written), then made; never overwritten.
  const Run wrong_backup = run_haal("trustee backup" + e + " --trustee-dir " + t1.string() +
                                    wrong_pw + " --out " + backup.string());
  CHECK(wrong_backup.status == 1);
  CHECK_THAT(wrong_backup.output, Catch::Contains("wrong passphrase or corrupted box"));
  CHECK(!std::filesystem::exists(backup));
  const Run made = run_haal("trustee backup" + e + " --trustee-dir " + t1.string() + old_pw +
                            " --out " + backup.string());
  INFO(made.output);
  REQUIRE(made.status == 0);
  CHECK_THAT(made.output, Catch::Contains("the secret share (it can decrypt)"));
  CHECK((std::filesystem::status(backup).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK(run_haal("trustee backup" + e + " --trustee-dir " + t1.string() + old_pw + " --out " +
                 backup.string())
            .status == 1);

  // Passphrase change: a wrong current passphrase changes nothing; then the new one opens the
  // store and the old one no longer does.
  const Run wrong_change = run_haal("trustee passphrase" + e + " --trustee-dir " + t1.string() +
                                    wrong_pw + " --new-passphrase-env HAAL_TEST_NEW");
  CHECK(wrong_change.status == 1);
  CHECK_THAT(wrong_change.output, Catch::Contains("wrong passphrase or corrupted box"));
  const Run changed = run_haal("trustee passphrase" + e + " --trustee-dir " + t1.string() + old_pw +
                               " --new-passphrase-env HAAL_TEST_NEW");
  INFO(changed.output);
  REQUIRE(changed.status == 0);

  // Three ciphertexts under the joint key, decrypted by the restored trustee 1 and trustee 2.
  const CeremonyResult result = load_ceremony_result(election);
  const Group& group = *result.group;
  const auto cts = temp.path() / "ciphertexts.json";
  const std::vector<Element> messages = write_ciphertexts(result, cts, "ballot");
  const std::string context = " --context-hash " + std::string(64, 'c');
  auto decrypt = [&](const std::filesystem::path& dir, const std::string& pw, int i) {
    return run_haal("trustee decrypt" + e + " --trustee-dir " + dir.string() + pw + context +
                    " --in " + cts.string() + " --out " +
                    (temp.path() / ("partial-" + std::to_string(i) + ".json")).string());
  };
  CHECK_THAT(decrypt(t1, old_pw, 1).output, Catch::Contains("wrong passphrase or corrupted box"));
  REQUIRE(decrypt(t1, new_pw, 1).status == 0);

  // The machine is lost: restore the backup (sealed under the passphrase of its day).
  std::filesystem::remove_all(t1);
  const Run wrong_restore = run_haal("trustee restore" + e + " --trustee-dir " + t1.string() +
                                     new_pw + " --from " + backup.string());
  CHECK(wrong_restore.status == 1);
  CHECK_THAT(wrong_restore.output, Catch::Contains("wrong passphrase or corrupted box"));
  CHECK(!std::filesystem::exists(t1 / "trustee.json"));
  const Run restored = run_haal("trustee restore" + e + " --trustee-dir " + t1.string() + old_pw +
                                " --from " + backup.string());
  INFO(restored.output);
  REQUIRE(restored.status == 0);
  CHECK_THAT(restored.output, Catch::Contains("restored trustee 1"));
  CHECK(run_haal("trustee restore" + e + " --trustee-dir " + t1.string() + old_pw + " --from " +
                 backup.string())
            .status == 1);  // never over an existing store
  std::filesystem::remove(temp.path() / "partial-1.json");
  REQUIRE(decrypt(t1, old_pw, 1).status == 0);
  REQUIRE(decrypt(temp.path() / "t" / "trustee-2", old_pw, 2).status == 0);
  const auto plain = temp.path() / "plaintexts.json";
  const Run comb = run_haal("ceremony combine" + e + context + " --in " + cts.string() + " --out " +
                            plain.string() + " " + (temp.path() / "partial-1.json").string() + " " +
                            (temp.path() / "partial-2.json").string());
  INFO(comb.output);
  REQUIRE(comb.status == 0);
  const Json out = read_json_file(plain);
  CHECK(out["trustees_used"] == Json::array({1, 2}));
  REQUIRE(out["plaintexts"].size() == 3);
  for (int k = 0; k < 3; ++k) CHECK(out["plaintexts"][k] == group.to_hex(messages[k]));
}
