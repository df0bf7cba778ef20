// Where a passphrase comes from: never argv. In order of precedence:
//   --passphrase-fd N    read the first line from file descriptor N
//   --passphrase-file F  read the first line of file F
//   --passphrase-env V   read environment variable V
//   otherwise            prompt on the terminal with echo off (fails without a terminal)
#pragma once

#include <string>

#include "cli/args.hpp"

namespace haal::cli {

// The option names every passphrase-taking command accepts (add them to its Args options).
inline const std::set<std::string> kPassphraseOptions = {"passphrase-fd", "passphrase-file",
                                                         "passphrase-env"};

// Returns the passphrase chosen by `args` for `purpose` (shown in the prompt only).
// Throws UsageError when no source is available or the source is empty.
std::string read_passphrase(const Args& args, const std::string& purpose);

}  // namespace haal::cli
