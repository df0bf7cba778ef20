// Subcommands of `haal` register themselves here, one file per command family
// (cli/<family>_command.cpp), so main.cpp never changes when a command is added.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace haal::cli {

// A command family's entry point: receives the arguments after the family name
// (e.g. for `haal trustee keygen --id 1`, args = {"keygen", "--id", "1"}) and returns the exit
// code.
using CommandFunction = std::function<int(const std::vector<std::string>& args)>;

struct CommandInfo {
  std::string summary;
  CommandFunction run;
};

// Returns the registry of command families, keyed by name.
std::map<std::string, CommandInfo>& command_registry();

// Registers a command family at static-initialisation time:
//   static const haal::cli::CommandRegistration reg("trustee", "key ceremony steps", &run);
struct CommandRegistration {
  CommandRegistration(const std::string& name, const std::string& summary, CommandFunction run);
};

}  // namespace haal::cli
