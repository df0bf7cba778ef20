// `haal credentials issue|keygen|register|check`: keys made by the officials (issue: small
// trials and demos; real elections mail credentials through `haal authority`), voters' own keys
// (made on their device), the officials' registration of public keys (one voter's, or a
// credential authority's roll) and the voter's check of the published roll. Logic in election/.
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "cli/progress.hpp"
#include "crypto/base/file.hpp"
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
    "  haal credentials keygen --election ELECTION_DIR --voter-id ID --out FILE\n"
    "                          (--passphrase-fd N | --passphrase-file F | --passphrase-env V |\n"
    "                           --no-passphrase)\n"
    "      the VOTER, on their own device: make my own credential FILE (mode 0600, sealed under\n"
    "      my passphrase) and print the public key to give the officials for registration\n"
    "  haal credentials register --election ELECTION_DIR --voter-id ID --public-key HEX\n"
    "      the officials: add a voter's self-generated Ed25519 public key (32 bytes hex) to the\n"
    "      roll; a key of small order, not canonically encoded or not on the curve is refused\n"
    "  haal credentials register --election ELECTION_DIR --roll FILE\n"
    "      the officials: add every voter of the roll the credential authority made\n"
    "      (`haal authority issue`: its roll.json); voters already registered with the same\n"
    "      key are skipped, a voter listed with another key is refused (nothing is written)\n"
    "  haal credentials check --election ELECTION_DIR --credential FILE [passphrase option]\n"
    "      the VOTER: is the key the published roll has for me the one in my credential? Exit 0\n"
    "      if so, 1 if the roll lists another key or not me (tell the officials at once)\n";

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
  haal::cli::IssueProgress progress("issuing credentials");
  issue.progress = std::ref(progress);
  const fs::path voters = args.required("voters");
  const fs::path election = args.required("election");
  const std::size_t count = issue_credentials(election, haal::base::read_file(voters),
                                              voters.string(), args.required("out"), issue);
  std::cerr << "note: these credentials were made here, so whoever holds " << args.required("out")
            << " can vote for any of these voters; for a real election mail credentials through "
               "`haal authority` or let voters make their own keys (README, threat model)\n";
  const Roll roll = load_roll(election, load_manifest(election).election_id);
  std::cout << "issued " << count << " credentials; roll: " << roll.size() << " voters, roll_hash "
            << haal::crypto::to_hex(roll.hash()) << "\n";
  return 0;
}

int run_register(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "voter-id", "public-key", "roll"});
  const fs::path election = args.required("election");
  if (const auto file = args.optional("roll")) {
    if (args.optional("voter-id") || args.optional("public-key")) {
      throw haal::cli::UsageError("--roll excludes --voter-id and --public-key");
    }
    const RollRegistration registered = register_roll(election, *file);
    const Roll roll = load_roll(election, load_manifest(election).election_id);
    std::cout << "registered " << registered.added << " voters of " << *file << " (roll_hash "
              << haal::crypto::to_hex(registered.file_roll_hash) << "; " << registered.present
              << " already on the roll)\nroll: " << roll.size() << " voters, roll_hash "
              << haal::crypto::to_hex(roll.hash()) << "\n";
    return 0;
  }
  register_credential(election, args.required("voter-id"), args.required("public-key"));
  const Roll roll = load_roll(election, load_manifest(election).election_id);
  std::cout << "registered " << args.required("voter-id") << "; roll: " << roll.size()
            << " voters, roll_hash " << haal::crypto::to_hex(roll.hash()) << "\n";
  return 0;
}

int run_keygen(const std::vector<std::string>& rest) {
  std::set<std::string> options = {"election", "voter-id", "out"};
  options.insert(haal::cli::kPassphraseOptions.begin(), haal::cli::kPassphraseOptions.end());
  const haal::cli::Args args(rest, options, {"no-passphrase"});
  std::optional<std::string> passphrase;
  if (!args.has("no-passphrase")) {
    passphrase = haal::cli::read_passphrase(args, "your new credential");
  } else {
    for (const std::string& option : haal::cli::kPassphraseOptions) {
      if (args.optional(option)) {
        throw haal::cli::UsageError("--" + option + " and --no-passphrase exclude each other");
      }
    }
  }
  const fs::path out = args.required("out");
  const haal::crypto::Bytes public_key =
      make_own_credential(args.required("election"), args.required("voter-id"), out, passphrase);
  std::cout << "your credential: " << out.string() << " (keep it secret; "
            << (passphrase ? "sealed under your passphrase" : "NOT passphrase-protected") << ")\n"
            << "your public key: " << haal::crypto::to_hex(public_key) << "\n"
            << "give the officials your voter id and this public key; they run\n"
            << "  haal credentials register --election ELECTION_DIR --voter-id "
            << args.required("voter-id") << " --public-key " << haal::crypto::to_hex(public_key)
            << "\n"
            << "once the roll is published, check it with `haal credentials check`\n";
  return 0;
}

int run_check(const std::vector<std::string>& rest) {
  std::set<std::string> options = {"election", "credential"};
  options.insert(haal::cli::kPassphraseOptions.begin(), haal::cli::kPassphraseOptions.end());
  const haal::cli::Args args(rest, options);
  const fs::path election = args.required("election");
  const std::string file = args.required("credential");
  const Credential credential =
      load_credential(file, [&] { return haal::cli::read_passphrase(args, "credential " + file); });
  const Manifest manifest = load_manifest(election);
  if (credential.election_id != manifest.election_id) {
    std::cout << "FAILED: " << file << " is a credential for election \"" << credential.election_id
              << "\", not \"" << manifest.election_id << "\"\n";
    return 1;
  }
  const Roll roll = load_roll(election, manifest.election_id);
  const std::string roll_hash = haal::crypto::to_hex(roll.hash());
  switch (roll_standing_var(roll, credential)) {
    case RollStanding::listed:
      std::cout << "OK: the roll (roll_hash " << roll_hash << ") lists voter "
                << credential.voter_id << " with your key "
                << haal::crypto::to_hex(credential.public_key) << "\n";
      return 0;
    case RollStanding::not_listed:
      std::cout << "FAILED: voter " << credential.voter_id << " is not on the roll (roll_hash "
                << roll_hash << "): you cannot vote with this credential; tell the officials\n";
      return 1;
    case RollStanding::another_key:
      std::cout << "FAILED: the roll (roll_hash " << roll_hash << ") lists voter "
                << credential.voter_id << " with the key "
                << haal::crypto::to_hex(*roll.find(credential.voter_id))
                << ", not yours: someone else could vote in your name; tell the officials at "
                   "once\n";
      return 1;
  }
  return 1;
}

const haal::cli::CommandRegistration reg("credentials",
                                         "issue, make, register and check voter credentials",
                                         kUsage,
                                         {{"issue", &run_issue},
                                          {"register", &run_register},
                                          {"keygen", &run_keygen},
                                          {"check", &run_check}});

}  // namespace
