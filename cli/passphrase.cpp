#include "cli/passphrase.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

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

}  // namespace

std::string read_passphrase(const Args& args, const std::string& purpose) {
  std::string passphrase;
  if (const auto fd = args.optional("passphrase-fd")) {
    passphrase = read_line_from_fd(static_cast<int>(args.uint_or("passphrase-fd", 0)));
  } else if (const auto file = args.optional("passphrase-file")) {
    std::ifstream in(*file);
    if (!in) throw UsageError("cannot read passphrase file " + *file);
    std::getline(in, passphrase);
  } else if (const auto var = args.optional("passphrase-env")) {
    const char* value = std::getenv(var->c_str());
    if (value == nullptr) throw UsageError("environment variable " + *var + " is not set");
    passphrase = value;
  } else {
    passphrase = prompt_without_echo(purpose);
  }
  if (!passphrase.empty() && passphrase.back() == '\r') passphrase.pop_back();
  if (passphrase.empty()) throw UsageError("empty passphrase for " + purpose);
  return passphrase;
}

}  // namespace haal::cli
