// `haal`: the officials', trustees' and voters' command. Command families register themselves
// (cli/command.hpp); this file is the one dispatcher: help, usage errors and exit statuses
// (0 success or help, 1 failure, 2 usage error) are handled here for every family.
#include <iostream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"

namespace haal::cli {

std::map<std::string, CommandInfo>& command_registry() {
  static std::map<std::string, CommandInfo> registry;
  return registry;
}

CommandRegistration::CommandRegistration(const std::string& name, const std::string& summary,
                                         const std::string& usage, CommandFunction run,
                                         Subcommands subcommands) {
  command_registry()[name] = CommandInfo{summary, usage, std::move(run), subcommands};
}

CommandRegistration::CommandRegistration(const std::string& name, const std::string& summary,
                                         const std::string& usage, std::vector<Subcommand> table,
                                         const std::string& noun) {
  command_registry()[name] =
      CommandInfo{summary, usage,
                  [table = std::move(table), noun](const std::vector<std::string>& args) {
                    return dispatch_subcommand(table, args, noun);
                  },
                  Subcommands::kYes};
}

int dispatch_subcommand(const std::vector<Subcommand>& table, const std::vector<std::string>& args,
                        const std::string& noun) {
  const std::string& name = args.at(0);
  const bool option = !name.empty() && name[0] == '-';
  for (const Subcommand& s : table) {
    if (!s.name.empty() && s.name == name) {
      return s.run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
    if (s.name.empty() && option) return s.run(args);
  }
  throw UsageError("unknown " + noun + " '" + name + "'");
}

bool is_help_request(const std::vector<std::string>& args, Subcommands subcommands) {
  if (args.empty()) return false;
  if (args[0] == "help") return true;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return subcommands == Subcommands::kYes && args.size() >= 2 && args[1] == "help";
}

}  // namespace haal::cli

namespace {

// The commands in the order an election uses them (README.md walks through the same steps).
// Where two commands overlap, the election's step is named first and the other is said to be
// the bare tool or the partial action.
constexpr const char* kElectionLife =
    "an election's life, in order:\n"
    "  before the polls open\n"
    "    election new, election seal     officials: manifest and roll; seal the context\n"
    "    officials keygen                officials: their key for the polls and the tally\n"
    "    credentials issue               officials: voters' credentials (or a voter runs\n"
    "                                    credentials keygen, officials credentials register)\n"
    "    mix-server keygen               each mix server: its signing key\n"
    "    trustee init ... finalize       each trustee: the key ceremony, one step at a time\n"
    "                                    (ceremony run: every trustee on one machine; ceremony\n"
    "                                    status, finalize and verify: anyone)\n"
    "  while the polls are open\n"
    "    polls open                      officials: open the polls (a signed request)\n"
    "    vote                            a voter: cast, re-vote or challenge a ballot\n"
    "    receipt check                   a voter: is my ballot still on the board?\n"
    "    credentials check               a voter: is my key the one on the roll?\n"
    "  after the polls close (docs/record.md)\n"
    "    tally close                     officials: close the polls, start the record. `polls\n"
    "                                    close` is the same signed request alone, and `polls\n"
    "                                    export` the board alone: tally close does both\n"
    "    tally cleanse                   anyone: the counted ballots\n"
    "    tally mix                       each mix server in turn. `mix run` is the bare mix-net\n"
    "                                    on ciphertext files, outside an election record\n"
    "    tally decrypt                   each trustee. `trustee decrypt` is the bare step on a\n"
    "                                    ciphertext file\n"
    "    tally combine                   anyone: decrypt, decode, count. `ceremony combine` is\n"
    "                                    the bare step on partial-decryption files\n"
    "    tally publish, tally show       anyone: index.json and RECORD.tar; the results\n"
    "    haal-verify RECORD              anyone: the independent verifier (its own program)\n"
    "  tools: ballot (encrypt, open, verify one ballot), mix verify and mix bench, loadgen\n";

void print_usage(std::ostream& out) {
  out << "usage: haal <command> [arguments]\n\ncommands:\n";
  for (const auto& [name, info] : haal::cli::command_registry()) {
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ') << info.summary
        << "\n";
  }
  out << "  version       print the version\n\n"
      << kElectionLife
      << "\n`haal help <command>`, `haal <command> help` or `haal <command> --help` describes a\n"
         "command; exit status 0 on success, 1 on failure, 2 on a usage error.\n";
}

// Runs one family: help on stdout (exit 0); no arguments or a usage error: the usage on stderr
// (exit 2); any other error: its message on stderr (exit 1).
int run_family(const std::string& name, const haal::cli::CommandInfo& info,
               const std::vector<std::string>& args) {
  if (haal::cli::is_help_request(args, info.subcommands)) {
    std::cout << info.usage;
    return 0;
  }
  if (args.empty()) {
    std::cerr << info.usage;
    return 2;
  }
  try {
    return info.run(args);
  } catch (const haal::cli::UsageError& e) {
    std::cerr << "haal " << name << ": " << e.what() << "\n" << info.usage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "haal " << name << ": error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto& registry = haal::cli::command_registry();
  if (args.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  if (args[0] == "version" || args[0] == "--version") {
    std::cout << "haal 0.1.0\n";
    return 0;
  }
  if (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    if (args.size() == 1) {
      print_usage(std::cout);
      return 0;
    }
    args = {args[1], "help"};  // `haal help FAMILY` is `haal FAMILY help`
  }
  const auto it = registry.find(args[0]);
  if (it == registry.end()) {
    std::cerr << "haal: unknown command '" << args[0] << "'\n";
    print_usage(std::cerr);
    return 2;
  }
  return run_family(args[0], it->second, std::vector<std::string>(args.begin() + 1, args.end()));
}
