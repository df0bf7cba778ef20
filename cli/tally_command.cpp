// `haal tally ...`: the tally ceremony after the polls close, one subcommand per step and role
// (docs/record.md has the runbook). All logic is in tally/; this file parses arguments.
#include <iostream>

#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/client/http_client.hpp"
#include "collector/client/officials_export.hpp"
#include "collector/protocol/officials_request.hpp"
#include "election/context.hpp"
#include "tally/ceremony/cleanse.hpp"
#include "tally/ceremony/close.hpp"
#include "tally/ceremony/combine.hpp"
#include "tally/ceremony/decrypt.hpp"
#include "tally/ceremony/mix.hpp"
#include "tally/ceremony/publish.hpp"
#include "tally/ceremony/record.hpp"
#include "tally/ceremony/show.hpp"

namespace haal::cli {
namespace {

namespace fs = std::filesystem;

const std::string kUsage =
    std::string(
        "usage: haal tally <step> --record RECORD_DIR [options]   (steps in order)\n"
        "  close --election ELECTION_DIR --server URL --officials-key FILE\n"
        "        [--receipts PATH[,PATH...]] [--ca-cert FILE] [passphrase]\n"
        "      officials: close the polls (signed request), fetch the whole board and its final\n"
        "      signed head, check them, start RECORD_DIR (receipts' heads go to board/heads/).\n"
        "      --receipts: receipt files as `haal vote` saves them, JSON-lines files as\n"
        "      `haal loadgen --receipts` writes, or directories of such files\n"
        "  cleanse\n"
        "      verify every ballot and challenge again; per voter the last valid ballot counts;\n"
        "      write cleanse/cast.json and cleanse/excluded.json (every exclusion with its "
        "reason)\n"
        "  mix --mix-server DIR [passphrase]\n"
        "      a mix server (its store from `haal mix-server keygen`), in its turn of "
        "context.json\n"
        "      mix_servers: check the earlier shuffles and their signed statements, shuffle every\n"
        "      contest with a proof, sign its statement (mix/<contest>/statements/LL.json)\n"
        "  decrypt --trustee-dir DIR [passphrase]\n"
        "      a trustee: check the mix chains, write partial decryptions with proofs\n"
        "  combine\n"
        "      combine t valid trustees, decode, count: plaintexts/, results.json, results.html\n"
        "  publish [--tar FILE]\n"
        "      write index.json (every file's SHA-256) and the archive (default RECORD_DIR.tar)\n"
        "  show\n"
        "      print the results of the record as text\n"
        "passphrase: --passphrase-fd N | --passphrase-file F | --passphrase-env VAR (else a "
        "prompt)\n") +
    kCaCertUsage;

// The options of every tally step (one set, as `haal tally` always took), parsed; refuses a
// positional argument.
Args tally_args(const std::vector<std::string>& argv) {
  const Args a(argv,
               with_passphrase({"record", "election", "server", "officials-key", "receipts",
                                "ca-cert", "mix-server", "trustee-dir", "tar"}),
               {"quiet"});
  if (!a.positionals().empty())
    throw UsageError("unexpected argument '" + a.positionals()[0] + "'");
  return a;
}

// Where a step's progress lines go: stderr, or nowhere with --quiet.
std::ostream* progress_of(const Args& a) {
  return a.has("quiet") ? nullptr : &std::cerr;
}

int run_close(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  std::vector<fs::path> receipts;
  if (const auto list = a.optional("receipts")) {
    for (const std::string& path : comma_list(*list)) {
      if (path.empty()) throw UsageError("--receipts: an empty path");
      receipts.emplace_back(path);
    }
  }
  tally::read_receipt_files(receipts);  // refuse an unreadable file before closing the polls
  const collector::ClientOptions options = client_options(a);
  const std::string server = a.required("server");
  auto client = collector::make_client(server, options);
  const auto info = collector::get_json(*client, "/api/election");
  if (info.status != 200)
    throw std::runtime_error("GET /api/election: " + collector::describe_error(info));
  const std::string election_id = info.body.at("election_id").get<std::string>();
  const std::string passphrase = read_passphrase(a, "the officials' key");
  const auto key =
      collector::read_officials_key(a.required("officials-key"), election_id, passphrase);
  const auto closed =
      collector::post_json(*client, "/api/officials/polls",
                           collector::sign_officials_request(
                               std::string(collector::kActionClosePolls), election_id, key));
  if (closed.status == 200) {
    std::cout << "polls closed: board entry " << closed.body.at("board_index") << "\n";
  } else {
    std::cout << "close polls: " << collector::describe_error(closed)
              << " (continuing if the board is final)\n";
  }
  const auto exported = collector::export_final_board(server, options, key, true);
  const auto start = tally::start_record(a.required("election"), exported, receipts, record);
  std::cout << "record started in " << record.string() << ": " << start.entries
            << " board entries under the final signed head (root " << start.final_root_hex << "), "
            << start.heads << " heads shown to voters, each consistent with it\n";
  return 0;
}

int run_cleanse(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  std::ostream* progress = progress_of(a);
  const auto s = tally::cleanse_record(record, progress);
  std::cout << "cleansed " << s.ballots << " ballots and " << s.challenges
            << " challenges: " << s.counted << " counted";
  for (const auto& [reason, n] : s.excluded_by_reason) std::cout << ", " << n << " " << reason;
  std::cout << " (cleanse/cast.json, cleanse/excluded.json)\n";
  return 0;
}

int run_mix(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  std::ostream* progress = progress_of(a);
  const fs::path server_dir = a.required("mix-server");
  const std::string election_id = election::load_manifest(record).election_id;
  const std::string passphrase = read_passphrase(a, "the mix server's key");
  const tally::MixServerIdentity identity =
      tally::load_mix_server_key(server_dir, election_id, passphrase);
  for (const auto& m : tally::run_mix_server_turn(record, identity, progress)) {
    if (m.server == 0) {
      std::cout << "contest " << m.contest_id << ": no counted ballot, nothing to mix\n";
    } else {
      std::cout << "contest " << m.contest_id << ": mix server " << m.server << " of " << m.servers
                << " shuffled " << m.ciphertexts << " ballots (width " << m.width
                << ") with a proof of shuffle in mix/" << m.contest_id << "/\n";
    }
  }
  return 0;
}

int run_decrypt(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  std::ostream* progress = progress_of(a);
  const std::string passphrase = read_passphrase(a, "the trustee's store");
  const auto d = tally::decrypt_as_trustee(record, a.required("trustee-dir"), passphrase, progress);
  std::cout << "trustee " << d.trustee << ": " << d.ciphertexts
            << " partial decryptions with proofs in " << d.contests
            << " contests (decrypt/<contest>/trustee-" << d.trustee << ".json)\n";
  return 0;
}

int run_combine(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  std::ostream* progress = progress_of(a);
  const auto s = tally::combine_and_count(record, progress);
  for (const auto& c : s.contests) {
    std::cout << "contest " << c.contest_id << ": " << c.ballots
              << " ballots decrypted by trustees";
    for (auto t : c.trustees_used) std::cout << " " << t;
    std::cout << ", " << c.invalid << " invalid\n";
    for (const auto& r : c.rejected) std::cout << "  REJECTED " << r << "\n";
  }
  std::cout << "tie-break seed (final board root) " << s.tie_break_seed_hex
            << "\nwrote plaintexts/, results.json and results.html\n";
  return 0;
}

int run_publish(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  tally::write_record_index(record);
  fs::path tar = a.value_or("tar", "");
  if (tar.empty()) tar = record.string() + ".tar";
  tally::write_record_tar(record, tar);
  std::cout << "wrote " << (record / "index.json").string() << " and " << tar.string() << "\n";
  return 0;
}

int run_show(const std::vector<std::string>& argv) {
  const Args a = tally_args(argv);
  const fs::path record = a.required("record");
  std::cout << tally::results_text(record);
  return 0;
}

// NOLINTNEXTLINE(cert-err58-cpp): self-registration at static initialisation (cli/command.hpp)
const CommandRegistration registration(
    "tally", "the tally ceremony: close, cleanse, mix, decrypt, combine, publish", kUsage,
    {{"close", &run_close},
     {"cleanse", &run_cleanse},
     {"mix", &run_mix},
     {"decrypt", &run_decrypt},
     {"combine", &run_combine},
     {"publish", &run_publish},
     {"show", &run_show}},
    "step");

}  // namespace
}  // namespace haal::cli
