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

// Returns `options` with kPassphraseOptions added (the Args options of a passphrase-taking step).
inline std::set<std::string> with_passphrase(std::set<std::string> options) {
  options.insert(kPassphraseOptions.begin(), kPassphraseOptions.end());
  return options;
}

// Returns the passphrase chosen by `args` for `purpose` (shown in the prompt only).
// Throws UsageError when no source is available or the source is empty.
std::string read_passphrase(const Args& args, const std::string& purpose);

// The options of a second, new passphrase (`haal trustee passphrase`), same sources as above.
inline const std::set<std::string> kNewPassphraseOptions = {
    "new-passphrase-fd", "new-passphrase-file", "new-passphrase-env"};

// Returns the new passphrase chosen by `args` (--new-passphrase-fd|-file|-env), else prompts
// twice and requires both to agree. Throws UsageError as read_passphrase does, or when the
// two prompts differ.
std::string read_new_passphrase(const Args& args, const std::string& purpose);

}  // namespace haal::cli
