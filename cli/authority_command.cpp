// `haal authority issue|status|destroy`: the credential authority, a party separate from the
// officials with its own machine, for elections that mail credentials (docs/ballots.md section
// 4.1, docs/handbook/credential-authority.md). Logic lives in election/authority.cpp.
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/progress.hpp"
#include "crypto/base/file.hpp"
#include "crypto/sha256.hpp"
#include "election/authority.hpp"
#include "election/manifest.hpp"
#include "election/strict_json.hpp"

namespace {

namespace fs = std::filesystem;
using namespace haal::election;

constexpr const char* kUsage =
    "usage:\n"
    "  haal authority issue --election ELECTION_DIR --voters voters.csv --dir AUTHORITY_DIR\n"
    "      on the credential authority's machine: for each voter of voters.csv (header\n"
    "      voter_id,name) make a fresh Ed25519 key and a random delivery code (20 symbols,\n"
    "      100 bits), and write\n"
    "        AUTHORITY_DIR/delivery/credentials/<voter_id>.json  the credential file sealed\n"
    "            under that voter's code (scrypt: slow by design)   -> one delivery channel\n"
    "        AUTHORITY_DIR/delivery/letters/<voter_id>.txt       the letter with the code\n"
    "                                                            -> another channel\n"
    "        AUTHORITY_DIR/roll.json      the voters' PUBLIC keys: give it to the officials\n"
    "                                     (`haal credentials register --roll`)\n"
    "        AUTHORITY_DIR/authority.json the log: batches, roll hashes, destruction\n"
    "      ELECTION_DIR needs only the election's manifest.json. A later batch adds voters.\n"
    "  haal authority status --dir AUTHORITY_DIR\n"
    "      what the authority issued (batches, roll_hash of roll.json), and whether the\n"
    "      credentials are still held or were destroyed\n"
    "  haal authority destroy --dir AUTHORITY_DIR --delivered\n"
    "      once every package is delivered: overwrite with zeros and remove every credential\n"
    "      file and letter; the authority keeps roll.json and its log and issues no more\n";

int run_issue(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "voters", "dir"});
  haal::cli::IssueProgress progress("issuing credentials");
  AuthorityIssueOptions options;
  options.progress = std::ref(progress);
  const fs::path voters = args.required("voters");
  const fs::path dir = args.required("dir");
  const Roll roll = authority_issue(args.required("election"), haal::base::read_file(voters),
                                    voters.string(), dir, options);
  const AuthorityLog log = load_authority_log(dir);
  std::cout << "issued " << log.batches.back().voters << " credentials, each sealed under its "
            << "voter's own delivery code\n"
            << "  sealed credential files: " << (dir / "delivery" / "credentials").string()
            << "/  (one channel)\n"
            << "  letters with the codes:  " << (dir / "delivery" / "letters").string()
            << "/  (another channel)\n"
            << "  for the officials: " << (dir / "roll.json").string() << ", " << roll.size()
            << " voters, roll_hash " << haal::crypto::to_hex(roll.hash()) << "\n"
            << "after delivery: haal authority destroy --dir " << dir.string() << " --delivered\n";
  return 0;
}

int run_status(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"dir"});
  const fs::path dir = args.required("dir");
  const AuthorityLog log = load_authority_log(dir);
  const Roll roll = load_roll(dir, log.election_id);
  const std::string roll_hash = haal::crypto::to_hex(roll.hash());
  std::cout << "election " << log.election_id << ", manifest_hash " << log.manifest_hash << "\n";
  for (const AuthorityLog::Batch& b : log.batches) {
    std::cout << "  " << b.issued_at << ": issued " << b.voters << " credentials; roll_hash "
              << b.roll_hash << "\n";
  }
  std::cout << "roll.json: " << roll.size() << " voters, roll_hash " << roll_hash << "\n";
  if (log.batches.empty() || log.batches.back().roll_hash != roll_hash) {
    std::cout << "FAILED: roll.json is not the roll of the last batch\n";
    return 1;
  }
  if (log.destroyed_at) {
    std::cout << "destroyed at " << *log.destroyed_at << ": " << log.destroyed_files
              << " files (credentials and letters) overwritten and removed; no more issuing\n";
  } else {
    std::cout << "HELD: the sealed credentials and letters are in " << (dir / "delivery").string()
              << "/ (destroy them once delivered)\n";
  }
  return 0;
}

int run_destroy(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"dir"}, {"delivered"});
  if (!args.has("delivered")) {
    throw haal::cli::UsageError(
        "destroy erases every voter's credential and code for good: confirm with --delivered "
        "once the mailing house has sent them all");
  }
  const fs::path dir = args.required("dir");
  const std::size_t files = authority_destroy(dir);
  const AuthorityLog log = load_authority_log(dir);
  std::cout << "destroyed " << files << " files (sealed credentials and letters) at "
            << *log.destroyed_at << "; kept roll.json (roll_hash " << log.batches.back().roll_hash
            << ") and authority.json\n";
  return 0;
}

int run(const std::vector<std::string>& args) {
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "issue") return run_issue(rest);
  if (args[0] == "status") return run_status(rest);
  if (args[0] == "destroy") return run_destroy(rest);
  throw haal::cli::UsageError("unknown subcommand '" + args[0] + "'");
}

const haal::cli::CommandRegistration reg(
    "authority", "the credential authority: mailed credentials, per-voter codes, destruction",
    kUsage, &run);

}  // namespace
