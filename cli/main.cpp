// `haal`: the officials', trustees' and voters' command. Each subcommand lives in its own file
// and registers itself in cli/commands.hpp.
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string usage =
      "usage: haal <command> [options]\n"
      "  version                 print the version\n";
  if (argc < 2) {
    std::cerr << usage;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    std::cout << "haal 0.1.0\n";
    return 0;
  }
  std::cerr << "haal: unknown command '" << command << "'\n" << usage;
  return 2;
}
