// `haal trustee ...`: one trustee's key-ceremony steps and partial decryption, each run on the
// trustee's own machine with its own sealed store. The public side: `haal ceremony ...`
// (ceremony_command.cpp). All logic is in ceremony/; this file parses arguments and moves
// files. Runbook: docs/ceremony.md.
#include <iostream>

#include "ceremony/threshold_decryption.hpp"
#include "ceremony/trustee_rounds.hpp"
#include "cli/args.hpp"
#include "cli/ceremony_files.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/random_source.hpp"

namespace haal::cli {
namespace {

namespace fs = std::filesystem;
using ceremony::CeremonyBoard;
using ceremony::CeremonyParameters;
using ceremony::TrusteeSecrets;
using ceremony::TrusteeStore;
using crypto::Bytes;

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

// Returns what a trustee store holds, for the store-care steps' messages (no secret value).
std::string store_contents(const TrusteeSecrets& secrets) {
  std::string out = "the identity keys";
  if (!secrets.coefficients.empty()) out += " and the polynomial (between commit and finalize)";
  out += secrets.share ? " and the secret share (it can decrypt)"
                       : "; no secret share yet (`finalize` not run)";
  return out;
}

// What every trustee step reads first: its arguments and the election's ceremony parameters
// and board.
struct TrusteeCall {
  Args a;
  fs::path election;
  CeremonyParameters params;
  CeremonyBoard board;
  bool allow_missing = false;
};

// Parses the arguments of trustee step `step` and loads the election. Throws UsageError for
// --allow-missing on a step that never skips a trustee (docs/ceremony.md section 10).
TrusteeCall trustee_call(const std::string& step, const std::vector<std::string>& argv) {
  std::set<std::string> options =
      with_passphrase({"election", "trustee-dir", "index", "in", "out", "from", "context-hash"});
  options.insert(kNewPassphraseOptions.begin(), kNewPassphraseOptions.end());
  Args a(argv, options, {"allow-missing"});
  const fs::path election = a.required("election");
  CeremonyParameters params = ceremony::load_ceremony_parameters(election);
  const bool allow_missing = a.has("allow-missing");
  if (allow_missing && step != "status" && step != "verify-shares" && step != "answer" &&
      step != "finalize") {
    throw UsageError(
        "--allow-missing applies only to verify-shares, answer and finalize, once "
        "the deadline has passed (docs/ceremony.md section 10); `" +
        step + "` never skips a trustee");
  }
  return TrusteeCall{std::move(a), election, std::move(params), CeremonyBoard(election),
                     allow_missing};
}

// A trustee's store, opened with its passphrase, for a round step.
struct OpenStore {
  TrusteeStore store;
  std::uint32_t index;
  std::string passphrase;
  TrusteeSecrets secrets;
};

// Opens the store of --trustee-dir with the trustee's passphrase.
OpenStore open_store(const TrusteeCall& c) {
  TrusteeStore store(c.a.required("trustee-dir"));
  const std::uint32_t index = store.trustee_index(c.params);
  std::string passphrase = read_passphrase(c.a, "trustee " + std::to_string(index));
  TrusteeSecrets secrets = store.load(c.params, passphrase);
  return OpenStore{std::move(store), index, std::move(passphrase), std::move(secrets)};
}

int trustee_status(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("status", argv);
  print_status(c.params, c.board);
  return 0;
}

int trustee_init(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("init", argv);
  const TrusteeStore store(c.a.required("trustee-dir"));
  const std::uint64_t index = c.a.uint_or("index", 0);
  if (index < 1 || index > c.params.trustee_count) {
    throw UsageError("--index must be in 1.." + std::to_string(c.params.trustee_count));
  }
  if (store.exists()) {
    throw UsageError(store.file().string() + " already exists; each trustee runs init once");
  }
  const std::string passphrase =
      read_passphrase(c.a, "trustee " + std::to_string(index) + "'s new store");
  const TrusteeSecrets secrets = ceremony::new_trustee_secrets(static_cast<std::uint32_t>(index));
  store.save(c.params, secrets, passphrase);
  std::cout << "sealed trustee " << index << "'s keys in " << store.file().string()
            << " (mode 0600)\n";
  ceremony::publish_identity(c.params, c.board, secrets, std::cout);
  return 0;
}

int trustee_restore(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("restore", argv);
  const TrusteeStore store(c.a.required("trustee-dir"));
  const TrusteeStore backup = TrusteeStore::from_file(c.a.required("from"));
  const std::string passphrase = read_passphrase(
      c.a, "trustee " + std::to_string(backup.trustee_index(c.params)) + "'s backup");
  const TrusteeSecrets secrets =
      ceremony::restore_trustee_store(c.params, backup, store, passphrase);
  std::cout << "restored trustee " << secrets.trustee << "'s store to " << store.file().string()
            << " (mode 0600); it holds " << store_contents(secrets) << "\n";
  return 0;
}

int trustee_passphrase(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("passphrase", argv);
  const TrusteeStore store(c.a.required("trustee-dir"));
  const std::string who = "trustee " + std::to_string(store.trustee_index(c.params));
  const std::string old_passphrase = read_passphrase(c.a, who + "'s store (current)");
  const std::string new_passphrase = read_new_passphrase(c.a, who + "'s store (new)");
  const TrusteeSecrets secrets =
      ceremony::change_trustee_passphrase(c.params, store, old_passphrase, new_passphrase);
  std::cout << "re-sealed " << who << "'s store " << store.file().string()
            << " under the new passphrase; it holds " << store_contents(secrets)
            << ". Backups made earlier still open only with the old passphrase.\n";
  return 0;
}

int trustee_backup(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("backup", argv);
  const TrusteeStore store(c.a.required("trustee-dir"));
  const std::string who = "trustee " + std::to_string(store.trustee_index(c.params));
  const std::string passphrase = read_passphrase(c.a, who);
  const TrusteeStore backup = TrusteeStore::from_file(c.a.required("out"));
  const TrusteeSecrets secrets =
      ceremony::backup_trustee_store(c.params, store, backup, passphrase);
  std::cout << "backed up " << who << "'s store to " << backup.file().string()
            << " (mode 0600, sealed under the same passphrase); it holds "
            << store_contents(secrets) << "\n";
  return 0;
}

int trustee_commit(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("commit", argv);
  OpenStore s = open_store(c);
  ceremony::commit_round(c.params, c.board, s.secrets, crypto::system_random(), std::cout);
  s.store.save(c.params, s.secrets, s.passphrase);  // the polynomial must survive until finalize
  return 0;
}

int trustee_reveal(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("reveal", argv);
  OpenStore s = open_store(c);
  ceremony::reveal_round(c.params, c.board, s.secrets, crypto::system_random(), std::cout);
  return 0;
}

int trustee_shares(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("shares", argv);
  OpenStore s = open_store(c);
  ceremony::shares_round(c.params, c.board, s.secrets, std::cout);
  return 0;
}

int trustee_verify_shares(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("verify-shares", argv);
  OpenStore s = open_store(c);
  ceremony::verify_shares_round(c.params, c.board, s.secrets, c.allow_missing, std::cout);
  return 0;
}

int trustee_answer(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("answer", argv);
  OpenStore s = open_store(c);
  ceremony::answer_round(c.params, c.board, s.secrets, c.allow_missing, std::cout);
  return 0;
}

int trustee_finalize(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("finalize", argv);
  OpenStore s = open_store(c);
  ceremony::finalize_round(c.params, c.board, s.secrets, c.allow_missing, std::cout);
  s.store.save(c.params, s.secrets, s.passphrase);
  std::cout << "sealed the final share in " << s.store.file().string()
            << "; the polynomial coefficients were erased\n";
  return 0;
}

int trustee_decrypt(const std::vector<std::string>& argv) {
  const TrusteeCall c = trustee_call("decrypt", argv);
  const OpenStore s = open_store(c);
  const Args& a = c.a;
  const fs::path& election = c.election;
  const CeremonyParameters& params = c.params;
  const std::uint32_t index = s.index;
  const TrusteeSecrets& secrets = s.secrets;
  const ceremony::CeremonyResult result = ceremony::load_ceremony_result(election);
  const ceremony::TrusteeKeys* keys = result.find(index);
  if (keys == nullptr) throw ceremony::CeremonyError("this trustee is not qualified");
  const Bytes context = context_hash_of(a, election);
  const auto ciphertexts = read_ciphertexts(*params.group, a.required("in"));
  std::vector<crypto::Element> alphas;
  alphas.reserve(ciphertexts.size());
  for (const auto& ciphertext : ciphertexts) alphas.push_back(ciphertext.alpha);
  std::cerr << "trustee " << index << ": decrypting " << alphas.size() << " ciphertexts\n";
  base::Progress progress("partial decryptions", alphas.size(), &std::cerr);
  const auto set = ceremony::compute_partial_decryptions(*params.group, params.election_id, context,
                                                         secrets, *keys, alphas, &progress);
  write_public_json(a.required("out"), ceremony::partial_decryptions_to_json(*params.group, set));
  std::cout << "wrote " << alphas.size() << " partial decryptions with a batch proof to "
            << a.required("out") << "\n";
  return 0;
}

// NOLINTNEXTLINE(cert-err58-cpp): self-registration at static initialisation (cli/command.hpp)
const CommandRegistration trustee_registration(
    "trustee", "a trustee's key-ceremony steps and partial decryptions", kTrusteeUsage,
    {{"init", &trustee_init},
     {"commit", &trustee_commit},
     {"reveal", &trustee_reveal},
     {"shares", &trustee_shares},
     {"verify-shares", &trustee_verify_shares},
     {"answer", &trustee_answer},
     {"finalize", &trustee_finalize},
     {"decrypt", &trustee_decrypt},
     {"status", &trustee_status},
     {"passphrase", &trustee_passphrase},
     {"backup", &trustee_backup},
     {"restore", &trustee_restore}},
    "step");
}  // namespace
}  // namespace haal::cli
