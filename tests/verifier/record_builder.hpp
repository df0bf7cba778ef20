// Builds a small but complete election record (stages 1-5 of docs/verifier.md: manifest,
// ceremony, context, roll, board, cleanse) from haal_crypto primitives, following the formats
// of docs/record.md, docs/board.md, docs/ballots.md and docs/ceremony.md. It plays every role
// (trustees, voters, collector, officials, tally) honestly; tests then tamper with copies.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "crypto/ed25519.hpp"
#include "crypto/json_codec.hpp"
#include "verifier-app/report.hpp"

namespace haal::verifier::testing {

struct BuildOptions {
  std::string group = "P-256";
  std::size_t voters = 6;
  std::size_t trustees = 3;
  std::size_t threshold = 2;
  // Trustee 3 reveals commitments that do not open its hash commitment (disqualified).
  bool cheating_trustee = false;
  // Trustee 1 complains against trustee 2, which answers by revealing the share f_2(1).
  bool answered_complaint = false;
  // The manifest's election and contest titles are translated and it names a contact
  // (docs/ballots.md 2, "Texts").
  bool translated_texts = false;
};

// What the builder knows about the record it wrote (for tests that need indices).
struct BuiltRecord {
  std::filesystem::path dir;
  std::size_t entries = 0;
  std::vector<std::size_t> ballot_indices;        // board indices of cast ballots
  std::size_t challenge_index = 0;                // board index of the challenge
  std::size_t revote_first = 0, revote_last = 0;  // a voter's superseded and counted ballots
  crypto::Json receipt;          // a receipt for the superseded ballot (revote_first)
  crypto::Json receipt_counted;  // a receipt for a counted ballot
};

// Writes the record into `dir` (created; must not exist).
BuiltRecord build_record(const std::filesystem::path& dir, const BuildOptions& options = {});

// Rewrites dir/index.json for the files now in `dir` (what a forger would do after editing).
void reindex(const std::filesystem::path& dir);

// Reads and writes files of a record.
crypto::Json read_json(const std::filesystem::path& file);
void write_json(const std::filesystem::path& file, const crypto::Json& j);  // canonical + "\n"
std::vector<std::string> read_lines(const std::filesystem::path& file);
void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines);

// The deterministic keys the builder uses: "trustee <i>", "credential voter-001", "collector",
// "officials" (tests use them to forge re-signed tamperings, as an insider could).
crypto::Ed25519PrivateKey test_key(const std::string& label);
// Signs `object` the way voters do: Ed25519 over canonical JSON without "signature".
crypto::Json sign_as(crypto::Json object, const std::string& key_label);

// Board entries as JSON objects ({"kind","payload","sequence","timestamp_ms"}) and back, with
// the payload decoded as JSON; renumbers sequences and re-signs every head with the collector
// key (what a corrupt collector could do) so only checks beyond the board can catch a change.
std::vector<crypto::Json> read_entries(const std::filesystem::path& dir);
crypto::Json entry_payload(const crypto::Json& entry);
void set_entry_payload(crypto::Json& entry, const crypto::Json& payload);
void write_entries_and_reseal(const std::filesystem::path& dir, std::vector<crypto::Json> entries);

// Returns a fresh empty temporary directory path (not created).
std::filesystem::path fresh_temp_path(const std::string& name);

// The tamper harness: copies `honest` to a fresh directory, applies `tamper` to the copy,
// re-indexes it unless `reindex_after` is false (so only the semantic checks can catch it),
// runs the verifier library on it and returns the report.
Report verify_tampered(const std::filesystem::path& honest, const std::string& name,
                       const std::function<void(const std::filesystem::path&)>& tamper,
                       bool reindex_after = true);

// Runs the verifier library on a record directory or tar file.
Report verify_path(const std::filesystem::path& path);

// Returns whether every check of stages 1-5 passed (stages 6-8 belong to other suites).
bool stages_1_to_5_pass(const Report& report);
// Returns whether every check of `stage` passed.
bool stage_passes(const Report& report, Stage stage);
// Prints the failed checks (for test diagnostics).
std::string failures_text(const Report& report);

}  // namespace haal::verifier::testing
