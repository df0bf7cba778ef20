#include "cli/passphrase.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>

namespace haal::cli {

namespace {

std::string read_line_from_fd(int fd) {
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

std::string prompt_without_echo(const std::string& purpose) {
  if (!::isatty(STDIN_FILENO)) {
    throw UsageError("no passphrase source for " + purpose +
                     ": use --passphrase-fd, --passphrase-file or --passphrase-env, or a terminal");
  }
  std::cerr << "Passphrase for " << purpose << ": " << std::flush;
  termios old_settings{};
  ::tcgetattr(STDIN_FILENO, &old_settings);
  termios silent = old_settings;
  silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  std::string line = read_line_from_fd(STDIN_FILENO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old_settings);
  std::cerr << "\n";
  return line;
}

// Reads the passphrase from the source `args` names with the options `prefix`-fd, -file or
// -env; nullopt when none is given.
std::optional<std::string> passphrase_from_options(const Args& args, const std::string& prefix) {
  if (args.optional(prefix + "-fd")) {
    return read_line_from_fd(static_cast<int>(args.uint_or(prefix + "-fd", 0)));
  }
  if (const auto file = args.optional(prefix + "-file")) {
    std::ifstream in(*file);
    if (!in) throw UsageError("cannot read passphrase file " + *file);
    std::string line;
    std::getline(in, line);
    return line;
  }
  if (const auto var = args.optional(prefix + "-env")) {
    const char* value = std::getenv(var->c_str());
    if (value == nullptr) throw UsageError("environment variable " + *var + " is not set");
    return std::string(value);
  }
  return std::nullopt;
}

std::string checked(std::string passphrase, const std::string& purpose) {
  if (!passphrase.empty() && passphrase.back() == '\r') passphrase.pop_back();
  if (passphrase.empty()) throw UsageError("empty passphrase for " + purpose);
  return passphrase;
}

}  // namespace

std::string read_passphrase(const Args& args, const std::string& purpose) {
  auto passphrase = passphrase_from_options(args, "passphrase");
  return checked(passphrase ? std::move(*passphrase) : prompt_without_echo(purpose), purpose);
}

std::string read_new_passphrase(const Args& args, const std::string& purpose) {
  if (auto passphrase = passphrase_from_options(args, "new-passphrase")) {
    return checked(std::move(*passphrase), purpose);
  }
  std::string first = checked(prompt_without_echo(purpose), purpose);
  if (first != prompt_without_echo(purpose + " (again)")) {
    throw UsageError("the two new passphrases differ; nothing was changed");
  }
  return first;
}

}  // namespace haal::cli
