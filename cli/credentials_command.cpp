// `haal credentials issue|register`: the credential authority's step (a signing key per voter
// and the published roll) and voters' self-registered keys. Logic lives in election/.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "election/context.hpp"
#include "election/credential.hpp"
#include "election/strict_json.hpp"

namespace {

namespace fs = std::filesystem;
using namespace haal::election;

constexpr const char* kUsage =
    "usage:\n"
    "  haal credentials issue --election ELECTION_DIR --voters voters.csv --out DIR\n"
    "                         [--protect [--passphrase-fd N | --passphrase-file F |\n"
    "                                     --passphrase-env V]]\n"
    "      give each voter of voters.csv (header voter_id,name) a fresh Ed25519 credential in\n"
    "      DIR/<voter_id>.json (mode 0600; with --protect sealed under a passphrase, scrypt:\n"
    "      slow by design) and add the voters to ELECTION_DIR/roll.json\n"
    "  haal credentials register --election ELECTION_DIR --voter-id ID --public-key HEX\n"
    "      add a voter's self-generated Ed25519 public key (32 bytes hex) to the roll; a key of\n"
    "      small order, not canonically encoded or not on the curve is refused\n";

// Progress on stderr: counter, rate and ETA, at most a few times a second.
class Progress {
 public:
  void operator()(std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    std::fprintf(stderr, "\rissued %zu/%zu credentials (%.0f/s, ETA %.0fs)   ", done, total, rate,
                 eta);
    if (done == total) std::fprintf(stderr, "\n");
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

int run_issue(const std::vector<std::string>& rest) {
  std::set<std::string> options = {"election", "voters", "out"};
  options.insert(haal::cli::kPassphraseOptions.begin(), haal::cli::kPassphraseOptions.end());
  const haal::cli::Args args(rest, options, {"protect"});
  IssueOptions issue;
  if (args.has("protect")) {
    issue.passphrase = haal::cli::read_passphrase(args, "the voters' credentials");
  } else {
    for (const std::string& option : haal::cli::kPassphraseOptions) {
      if (args.optional(option)) throw haal::cli::UsageError("--" + option + " needs --protect");
    }
  }
  Progress progress;
  issue.progress = std::ref(progress);
  const fs::path voters = args.required("voters");
  const fs::path election = args.required("election");
  const std::size_t count = issue_credentials(election, read_text_file(voters), voters.string(),
                                              args.required("out"), issue);
  const Roll roll = load_roll(election, load_manifest(election).election_id);
  std::cout << "issued " << count << " credentials; roll: " << roll.size() << " voters, roll_hash "
            << haal::crypto::to_hex(roll.hash()) << "\n";
  return 0;
}

int run_register(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "voter-id", "public-key"});
  const fs::path election = args.required("election");
  register_credential(election, args.required("voter-id"), args.required("public-key"));
  const Roll roll = load_roll(election, load_manifest(election).election_id);
  std::cout << "registered " << args.required("voter-id") << "; roll: " << roll.size()
            << " voters, roll_hash " << haal::crypto::to_hex(roll.hash()) << "\n";
  return 0;
}

int run(const std::vector<std::string>& args) {
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "issue") return run_issue(rest);
  if (args[0] == "register") return run_register(rest);
  throw haal::cli::UsageError("unknown subcommand '" + args[0] + "'");
}

const haal::cli::CommandRegistration reg("credentials", "issue and register voter credentials",
                                         kUsage, &run);

}  // namespace
