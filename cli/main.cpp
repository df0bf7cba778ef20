// `haal`: the officials', trustees' and voters' command. Command families register themselves
// (cli/command.hpp); this file only dispatches.
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
                                         CommandFunction run) {
  command_registry()[name] = CommandInfo{summary, std::move(run)};
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
         "`haal <command> help` describes a command's subcommands.\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "help" || std::string(argv[1]) == "--help") {
    print_usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    std::cout << "haal 0.1.0\n";
    return 0;
  }
  const auto& registry = haal::cli::command_registry();
  const auto it = registry.find(command);
  if (it == registry.end()) {
    std::cerr << "haal: unknown command '" << command << "'\n";
    print_usage(std::cerr);
    return 2;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  try {
    return it->second.run(args);
  } catch (const haal::cli::UsageError& e) {
    std::cerr << "haal " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "haal " << command << ": error: " << e.what() << "\n";
    return 1;
  }
}
