// `haal ceremony ...`: the public side of the key ceremony (run a whole ceremony locally for
// demos, finalize, verify, status) and combining partial decryptions. Each trustee's own steps:
// `haal trustee ...` (trustee_command.cpp). All logic is in ceremony/; this file parses
// arguments and moves files. Runbook: docs/ceremony.md.
#include <iostream>

#include "ceremony/local_ceremony.hpp"
#include "ceremony/threshold_decryption.hpp"
#include "cli/args.hpp"
#include "cli/ceremony_files.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::cli {
namespace {

namespace fs = std::filesystem;
using ceremony::CeremonyBoard;
using ceremony::CeremonyParameters;
using crypto::Bytes;
using crypto::Json;

const char* const kCeremonyUsage =
    "usage:\n"
    "  haal ceremony run --election DIR --trustees-root DIR2 [passphrase options]\n"
    "      [--trustees N --threshold T [--group G] [--election-id ID]]\n"
    "      run every round for every trustee on this machine (demos and tests only);\n"
    "      with --trustees/--threshold, first write a minimal demo manifest.json\n"
    "  haal ceremony finalize --election DIR [--allow-missing]\n"
    "      compute ceremony/result.json from the messages, or check the existing one\n"
    "  haal ceremony verify --election DIR\n"
    "      recompute the result from the messages and check ceremony/result.json (read-only)\n"
    "  haal ceremony status --election DIR\n"
    "  haal ceremony combine --election DIR --in CIPHERTEXTS --out PLAINTEXTS\n"
    "      [--context-hash HEX] PARTIALS...\n"
    "      verify partial-decryption files and combine t valid ones\n";

// Parses the arguments of a `haal ceremony` subcommand.
Args ceremony_args(const std::vector<std::string>& argv) {
  return Args(argv,
              with_passphrase({"election", "trustees-root", "in", "out", "context-hash", "trustees",
                               "threshold", "group", "election-id"}),
              {"allow-missing"});
}

int ceremony_run(const std::vector<std::string>& argv) {
  const Args a = ceremony_args(argv);
  const fs::path election = a.required("election");
  const fs::path root = a.required("trustees-root");
  if (a.optional("trustees") || a.optional("threshold")) {
    // Demo without `haal election new`: a minimal manifest with just the ceremony's fields.
    ceremony::write_demo_manifest(election, a.value_or("election-id", "demo-election"),
                                  a.value_or("group", "P-256"),
                                  static_cast<std::uint32_t>(a.uint_or("trustees", 0)),
                                  static_cast<std::uint32_t>(a.uint_or("threshold", 0)));
    std::cout << "wrote a demo manifest to " << (election / "manifest.json").string() << "\n";
  }
  const std::string passphrase = read_passphrase(a, "every local trustee's store");
  ceremony::run_local_ceremony(election, root, passphrase, std::cout);
  return 0;
}

int ceremony_status(const std::vector<std::string>& argv) {
  const Args a = ceremony_args(argv);
  const fs::path election = a.required("election");
  print_status(ceremony::load_ceremony_parameters(election), CeremonyBoard(election));
  return 0;
}

int ceremony_finalize(const std::vector<std::string>& argv) {
  const Args a = ceremony_args(argv);
  const fs::path election = a.required("election");
  const CeremonyParameters params = ceremony::load_ceremony_parameters(election);
  const CeremonyBoard board(election);
  const auto result =
      ceremony::compute_ceremony_result(params, board, a.has("allow-missing"), std::cout);
  ceremony::publish_ceremony_result(board, result, std::cout);
  return 0;
}

int ceremony_verify(const std::vector<std::string>& argv) {
  const Args a = ceremony_args(argv);
  ceremony::verify_ceremony_result(a.required("election"), std::cout);
  std::cout << "the key ceremony verifies\n";
  return 0;
}

int ceremony_combine(const std::vector<std::string>& argv) {
  const Args a = ceremony_args(argv);
  const fs::path election = a.required("election");
  const CeremonyParameters params = ceremony::load_ceremony_parameters(election);
  const ceremony::CeremonyResult result = ceremony::load_ceremony_result(election);
  const Bytes context = context_hash_of(a, election);
  const auto ciphertexts = read_ciphertexts(*params.group, a.required("in"));
  if (a.positionals().empty()) throw UsageError("give the partial-decryption files to combine");
  std::vector<ceremony::PartialDecryptionSet> sets;
  for (const auto& file : a.positionals()) {
    sets.push_back(ceremony::partial_decryptions_from_json(*params.group,
                                                           ceremony::read_json_file(file), file));
    std::cout << "read " << file << " (trustee " << sets.back().trustee << ")\n";
  }
  const auto out = ceremony::threshold_decrypt_var(result, context, ciphertexts, sets, &std::cerr);
  Json rejected = Json::array();
  for (const auto& f : out.rejected) {
    std::cout << "REJECTED: " << f.message() << "\n";
    Json r{{"trustee", f.trustee}, {"reason", f.reason}};
    if (f.index) r["index"] = *f.index;
    rejected.push_back(std::move(r));
  }
  Json plaintexts = Json::array();
  for (const auto& m : out.plaintexts) plaintexts.push_back(params.group->to_hex(m));
  write_public_json(a.required("out"), Json{{"plaintexts", std::move(plaintexts)},
                                            {"trustees_used", out.trustees_used},
                                            {"rejected", std::move(rejected)}});
  std::cout << "combined trustees";
  for (auto i : out.trustees_used) std::cout << " " << i;
  std::cout << ": wrote " << out.plaintexts.size() << " plaintexts to " << a.required("out")
            << "\n";
  return 0;
}

// NOLINTNEXTLINE(cert-err58-cpp): self-registration at static initialisation (cli/command.hpp)
const CommandRegistration ceremony_registration(
    "ceremony", "run, finalize or inspect a key ceremony; combine partial decryptions",
    kCeremonyUsage,
    {{"run", &ceremony_run},
     {"status", &ceremony_status},
     {"finalize", &ceremony_finalize},
     {"verify", &ceremony_verify},
     {"combine", &ceremony_combine}});

}  // namespace
}  // namespace haal::cli
