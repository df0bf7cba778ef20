// Subcommands of `haal` register themselves here, one file per command family
// (cli/<family>_command.cpp), so main.cpp never changes when a command is added. main.cpp is the
// one dispatcher: it answers `help`/`--help` for every family and turns a UsageError into the
// family's usage on stderr and exit status 2, so families only parse and run.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace haal::cli {

// A command family's entry point: receives the arguments after the family name
// (e.g. for `haal trustee keygen --id 1`, args = {"keygen", "--id", "1"}) and returns the exit
// code. It throws UsageError for a usage error (main prints the message and the usage, exit 2)
// and any other exception for a failure (main prints it, exit 1). It is never called with no
// arguments or with a help request (main answers those).
using CommandFunction = std::function<int(const std::vector<std::string>& args)>;

// Whether a family's first argument names a subcommand (`haal tally close ...`), so that
// `haal <family> <subcommand> help` is a help request too.
enum class Subcommands { kYes, kNo };

// One subcommand of a family: its name and entry point. The entry point receives the arguments
// after the subcommand name (for `haal election seal --election DIR`: {"--election", "DIR"}). A
// table may hold one entry named "": the family's action when its first argument is an option
// (`haal loadgen --server URL ...`).
struct Subcommand {
  std::string name;
  CommandFunction run;
};

struct CommandInfo {
  std::string summary;  // one line, for `haal help`
  std::string usage;    // the family's usage, printed by `haal <family> help` and on errors
  CommandFunction run;
  Subcommands subcommands = Subcommands::kYes;
};

// Returns the registry of command families, keyed by name.
std::map<std::string, CommandInfo>& command_registry();

// Registers a command family at static-initialisation time, with its table of subcommands:
//   const CommandRegistration reg("election", "create, seal and show an election", kUsage,
//                                 {{"new", &run_new}, {"seal", &run_seal}, {"show", &run_show}});
// or, for a family without subcommands (`haal vote`), with one entry point and Subcommands::kNo.
struct CommandRegistration {
  CommandRegistration(const std::string& name, const std::string& summary, const std::string& usage,
                      CommandFunction run, Subcommands subcommands = Subcommands::kYes);
  // `noun` names a subcommand in the error for an unknown one ("subcommand", or "step").
  CommandRegistration(const std::string& name, const std::string& summary, const std::string& usage,
                      std::vector<Subcommand> table, const std::string& noun = "subcommand");
};

// The one subcommand dispatcher: returns the exit code of the entry of `table` named args[0],
// run on args[1..] (or of the "" entry when args[0] starts with '-'). Throws UsageError
// "unknown <noun> '<args[0]>'" when there is none. Precondition: args is not empty.
int dispatch_subcommand(const std::vector<Subcommand>& table, const std::vector<std::string>& args,
                        const std::string& noun);

// Returns true iff `args` (after the family name) ask for help: a first argument `help`,
// `--help` or `-h`; `--help` or `-h` anywhere; or, for a family with subcommands, `help` right
// after the subcommand (`haal tally close help`).
bool is_help_request(const std::vector<std::string>& args, Subcommands subcommands);

}  // namespace haal::cli
