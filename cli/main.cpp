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

void print_usage(std::ostream& out) {
  out << "usage: haal <command> [arguments]\n\ncommands:\n";
  for (const auto& [name, info] : haal::cli::command_registry()) {
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ') << info.summary
        << "\n";
  }
  out << "  version       print the version\n\n"
         "`haal help <command>`, `haal <command> help` or `haal <command> --help` describes a\n"
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
