// `haal trustee ...`: one trustee's key-ceremony steps and partial decryption, each run on the
// trustee's own machine with its own sealed store. `haal ceremony ...`: the public side (run a
// whole ceremony locally for demos, finalize, status, combine partial decryptions).
// All logic is in ceremony/; this file parses arguments and moves files. Runbook:
// docs/ceremony.md.
#include <iostream>

#include "ceremony/local_ceremony.hpp"
#include "ceremony/threshold_decryption.hpp"
#include "ceremony/trustee_rounds.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::cli {
namespace {

namespace fs = std::filesystem;
using ceremony::CeremonyBoard;
using ceremony::CeremonyParameters;
using ceremony::TrusteeSecrets;
using ceremony::TrusteeStore;
using crypto::Bytes;
using crypto::Json;

const char* const kTrusteeUsage =
    "usage: haal trustee <step> --election DIR --trustee-dir T [passphrase options]\n"
    "steps, in order (docs/ceremony.md has the runbook):\n"
    "  init --index I        round 0: create identity keys, publish round0-identity-trustee-I\n"
    "  commit                round 1a: draw the polynomial, publish its hash commitment\n"
    "  reveal                round 1b: publish coefficient commitments and proofs\n"
    "  shares                round 2: publish encrypted shares for the other trustees\n"
    "  verify-shares         round 3a: check received shares, publish complaints (maybe none)\n"
    "  answer                round 3b: reveal shares complained about (maybe none)\n"
    "  finalize              derive the secret share, write or check ceremony/result.json\n"
    "  decrypt --in CIPHERTEXTS --out PARTIALS [--context-hash HEX]\n"
    "                        partial decryptions with a batch proof, signed by the trustee\n"
    "  status                show what is published and what is missing\n"
    "store care (any time; docs/ceremony.md section 9):\n"
    "  passphrase [--new-passphrase-fd N | --new-passphrase-file F | --new-passphrase-env V]\n"
    "                        re-seal the store under a new passphrase (else prompted twice)\n"
    "  backup --out FILE     copy the sealed store to FILE (mode 0600) after checking that it\n"
    "                        opens; the copy stays sealed under the current passphrase\n"
    "  restore --from FILE   check a backup (this election, the passphrase) and restore it to\n"
    "                        --trustee-dir (which must not hold a store)\n"
    "verify-shares, answer and finalize take --allow-missing once the deadline has passed\n"
    "(absent trustees are then disqualified); no other step does: reveal waits for every\n"
    "commitment.\n"
    "passphrase options: --passphrase-fd N | --passphrase-file F | --passphrase-env VAR\n"
    "(otherwise a prompt; never on the command line).\n";

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

std::set<std::string> with_passphrase(std::set<std::string> options) {
  options.insert(kPassphraseOptions.begin(), kPassphraseOptions.end());
  return options;
}

std::vector<std::string> rest(const std::vector<std::string>& args) {
  return std::vector<std::string>(args.begin() + 1, args.end());
}

// The context hash for decryption proofs: --context-hash, else canonical_json_hash of
// ELECTION_DIR/context.json (written by `haal election seal`).
Bytes context_hash_of(const Args& args, const fs::path& election) {
  if (const auto hex = args.optional("context-hash")) {
    Bytes h;
    try {
      h = crypto::from_hex(*hex);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--context-hash: ") + e.what());
    }
    if (h.size() != 32) throw UsageError("--context-hash: must be 32 bytes (64 hex digits)");
    return h;
  }
  const fs::path context = election / "context.json";
  if (!fs::exists(context)) {
    throw UsageError(context.string() +
                     " does not exist (run `haal election seal`) and no --context-hash given");
  }
  const crypto::Digest d = crypto::canonical_json_hash(ceremony::read_json_file(context));
  return Bytes(d.begin(), d.end());
}

// Ciphertext list file: {"ciphertexts": [{"alpha": hex, "beta": hex}, ...]}.
std::vector<crypto::Ciphertext> read_ciphertexts(const crypto::Group& group, const fs::path& file) {
  const Json j = ceremony::read_json_file(file);
  const std::string path = file.string();
  crypto::reject_unknown_fields(j, {"ciphertexts"}, path);
  const Json& list = crypto::require_array(j, "ciphertexts", path);
  std::vector<crypto::Ciphertext> out(list.size());
  base::parallel_for_each(list.size(), [&](std::size_t k) {
    const std::string p = path + ".ciphertexts[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(list[k], {"alpha", "beta"}, p);
    out[k] = crypto::Ciphertext{
        crypto::element_from_json(group, crypto::require_field(list[k], "alpha", p), p + ".alpha"),
        crypto::element_from_json(group, crypto::require_field(list[k], "beta", p), p + ".beta")};
  });
  return out;
}

void write_public_json(const fs::path& file, const Json& j) {
  Bytes data = crypto::canonical_json_bytes(j);
  data.push_back('\n');
  ceremony::write_file_atomically(file, data, 0644);
}

void print_status(const CeremonyParameters& params, const CeremonyBoard& board) {
  std::cout << "election " << params.election_id << ": " << params.trustee_count
            << " trustees, threshold " << params.threshold << ", group " << params.group->name()
            << "\nmessages in " << board.directory().string() << ":\n";
  const std::pair<const char*, std::string (*)(std::uint32_t)> rounds[] = {
      {"round 0 identity   ", ceremony::identity_file},
      {"round 1 commitment ", ceremony::commitment_file},
      {"round 1 reveal     ", ceremony::reveal_file},
      {"round 2 shares     ", ceremony::shares_file},
      {"round 3 complaints ", ceremony::complaints_file},
      {"round 3 answer     ", ceremony::answer_file}};
  for (const auto& [name, file_of] : rounds) {
    std::string present, missing;
    for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
      (board.has(file_of(i)) ? present : missing) += " " + std::to_string(i);
    }
    std::cout << "  " << name << " published by:" << (present.empty() ? " none" : present)
              << (missing.empty() ? "" : "   missing:" + missing) << "\n";
  }
  std::cout << "identity message hashes (compare out of band with each trustee's own):\n";
  for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
    if (const auto j = board.load(ceremony::identity_file(i))) {
      std::cout << "  trustee " << i << ": " << crypto::to_hex(crypto::canonical_json_hash(*j))
                << "\n";
    }
  }
  if (const auto result = board.load(ceremony::kResultFile)) {
    std::cout << "result.json present, sha256 "
              << crypto::to_hex(crypto::canonical_json_hash(*result)) << "\n";
  } else {
    std::cout << "result.json not yet written\n";
  }
}

// Returns what a trustee store holds, for the store-care steps' messages (no secret value).
std::string store_contents(const TrusteeSecrets& secrets) {
  std::string out = "the identity keys";
  if (!secrets.coefficients.empty()) out += " and the polynomial (between commit and finalize)";
  out += secrets.share ? " and the secret share (it can decrypt)"
                       : "; no secret share yet (`finalize` not run)";
  return out;
}

int trustee_command(const std::vector<std::string>& args) {
  const std::string& step = args[0];
  std::set<std::string> options =
      with_passphrase({"election", "trustee-dir", "index", "in", "out", "from", "context-hash"});
  options.insert(kNewPassphraseOptions.begin(), kNewPassphraseOptions.end());
  const Args a(rest(args), options, {"allow-missing"});
  const fs::path election = a.required("election");
  const CeremonyParameters params = ceremony::load_ceremony_parameters(election);
  const CeremonyBoard board(election);
  if (step == "status") {
    print_status(params, board);
    return 0;
  }
  const TrusteeStore store(a.required("trustee-dir"));
  const bool allow_missing = a.has("allow-missing");
  if (allow_missing && step != "verify-shares" && step != "answer" && step != "finalize") {
    throw UsageError(
        "--allow-missing applies only to verify-shares, answer and finalize, once "
        "the deadline has passed (docs/ceremony.md section 10); `" +
        step + "` never skips a trustee");
  }

  if (step == "init") {
    const std::uint64_t index = a.uint_or("index", 0);
    if (index < 1 || index > params.trustee_count) {
      throw UsageError("--index must be in 1.." + std::to_string(params.trustee_count));
    }
    if (store.exists()) {
      throw UsageError(store.file().string() + " already exists; each trustee runs init once");
    }
    const std::string passphrase =
        read_passphrase(a, "trustee " + std::to_string(index) + "'s new store");
    const TrusteeSecrets secrets = ceremony::new_trustee_secrets(static_cast<std::uint32_t>(index));
    store.save(params, secrets, passphrase);
    std::cout << "sealed trustee " << index << "'s keys in " << store.file().string()
              << " (mode 0600)\n";
    ceremony::publish_identity(params, board, secrets, std::cout);
    return 0;
  }

  if (step == "restore") {
    const TrusteeStore backup = TrusteeStore::from_file(a.required("from"));
    const std::string passphrase =
        read_passphrase(a, "trustee " + std::to_string(backup.trustee_index(params)) + "'s backup");
    const TrusteeSecrets secrets =
        ceremony::restore_trustee_store(params, backup, store, passphrase);
    std::cout << "restored trustee " << secrets.trustee << "'s store to " << store.file().string()
              << " (mode 0600); it holds " << store_contents(secrets) << "\n";
    return 0;
  }
  const std::uint32_t index = store.trustee_index(params);
  const std::string who = "trustee " + std::to_string(index);
  if (step == "passphrase") {
    const std::string old_passphrase = read_passphrase(a, who + "'s store (current)");
    const std::string new_passphrase = read_new_passphrase(a, who + "'s store (new)");
    const TrusteeSecrets secrets =
        ceremony::change_trustee_passphrase(params, store, old_passphrase, new_passphrase);
    std::cout << "re-sealed " << who << "'s store " << store.file().string()
              << " under the new passphrase; it holds " << store_contents(secrets)
              << ". Backups made earlier still open only with the old passphrase.\n";
    return 0;
  }
  const std::string passphrase = read_passphrase(a, who);
  if (step == "backup") {
    const TrusteeStore backup = TrusteeStore::from_file(a.required("out"));
    const TrusteeSecrets secrets =
        ceremony::backup_trustee_store(params, store, backup, passphrase);
    std::cout << "backed up " << who << "'s store to " << backup.file().string()
              << " (mode 0600, sealed under the same passphrase); it holds "
              << store_contents(secrets) << "\n";
    return 0;
  }
  TrusteeSecrets secrets = store.load(params, passphrase);
  if (step == "commit") {
    ceremony::commit_round(params, board, secrets, crypto::system_random(), std::cout);
    store.save(params, secrets, passphrase);  // the polynomial must survive until finalize
  } else if (step == "reveal") {
    ceremony::reveal_round(params, board, secrets, crypto::system_random(), std::cout);
  } else if (step == "shares") {
    ceremony::shares_round(params, board, secrets, std::cout);
  } else if (step == "verify-shares") {
    ceremony::verify_shares_round(params, board, secrets, allow_missing, std::cout);
  } else if (step == "answer") {
    ceremony::answer_round(params, board, secrets, allow_missing, std::cout);
  } else if (step == "finalize") {
    ceremony::finalize_round(params, board, secrets, allow_missing, std::cout);
    store.save(params, secrets, passphrase);
    std::cout << "sealed the final share in " << store.file().string()
              << "; the polynomial coefficients were erased\n";
  } else if (step == "decrypt") {
    const ceremony::CeremonyResult result = ceremony::load_ceremony_result(election);
    const ceremony::TrusteeKeys* keys = result.find(index);
    if (keys == nullptr) throw ceremony::CeremonyError("this trustee is not qualified");
    const Bytes context = context_hash_of(a, election);
    const auto ciphertexts = read_ciphertexts(*params.group, a.required("in"));
    std::vector<crypto::Element> alphas;
    alphas.reserve(ciphertexts.size());
    for (const auto& c : ciphertexts) alphas.push_back(c.alpha);
    std::cerr << "trustee " << index << ": decrypting " << alphas.size() << " ciphertexts\n";
    base::Progress progress("partial decryptions", alphas.size(), &std::cerr);
    const auto set = ceremony::compute_partial_decryptions(
        *params.group, params.election_id, context, secrets, *keys, alphas, &progress);
    write_public_json(a.required("out"), ceremony::partial_decryptions_to_json(*params.group, set));
    std::cout << "wrote " << alphas.size() << " partial decryptions with a batch proof to "
              << a.required("out") << "\n";
  } else {
    throw UsageError("unknown step '" + step + "'");
  }
  return 0;
}

int ceremony_command(const std::vector<std::string>& args) {
  const std::string& sub = args[0];
  const Args a(rest(args),
               with_passphrase({"election", "trustees-root", "in", "out", "context-hash",
                                "trustees", "threshold", "group", "election-id"}),
               {"allow-missing"});
  const fs::path election = a.required("election");
  if (sub == "run") {
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
  const CeremonyParameters params = ceremony::load_ceremony_parameters(election);
  const CeremonyBoard board(election);
  if (sub == "status") {
    print_status(params, board);
  } else if (sub == "finalize") {
    const auto result =
        ceremony::compute_ceremony_result(params, board, a.has("allow-missing"), std::cout);
    ceremony::publish_ceremony_result(board, result, std::cout);
  } else if (sub == "verify") {
    ceremony::verify_ceremony_result(election, std::cout);
    std::cout << "the key ceremony verifies\n";
  } else if (sub == "combine") {
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
    const auto out =
        ceremony::threshold_decrypt_var(result, context, ciphertexts, sets, &std::cerr);
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
  } else {
    throw UsageError("unknown subcommand '" + sub + "'");
  }
  return 0;
}

// NOLINTNEXTLINE(cert-err58-cpp): self-registration at static initialisation (cli/command.hpp)
const CommandRegistration trustee_registration(
    "trustee", "a trustee's key-ceremony steps and partial decryptions", kTrusteeUsage,
    &trustee_command);
// NOLINTNEXTLINE(cert-err58-cpp): as above
const CommandRegistration ceremony_registration(
    "ceremony", "run, finalize or inspect a key ceremony; combine partial decryptions",
    kCeremonyUsage, &ceremony_command);

}  // namespace
}  // namespace haal::cli
