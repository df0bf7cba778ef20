// A small, strict command-line parser: `--name value` options, `--flag` switches and
// positionals. Unknown options are errors that name the option.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace haal::cli {

// A usage error: the command prints what() and its usage, and exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // Parses `args`; `options` take a value, `switches` do not. Throws UsageError on an unknown
  // option, a missing value or a repeated option.
  Args(const std::vector<std::string>& args, const std::set<std::string>& options,
       const std::set<std::string>& switches = {});

  // Returns the value of a required option; throws UsageError("missing --name") if absent.
  const std::string& required(const std::string& name) const;
  // Returns the option's value or nullopt.
  std::optional<std::string> optional(const std::string& name) const;
  // Returns the value or `fallback`.
  std::string value_or(const std::string& name, const std::string& fallback) const;
  // Returns the option as an unsigned integer (throws UsageError if not a decimal integer).
  std::uint64_t uint_or(const std::string& name, std::uint64_t fallback) const;
  bool has(const std::string& switch_name) const { return switches_.count(switch_name) > 0; }
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
  std::vector<std::string> positionals_;
};

// Returns the value of --lang: "en" (the default), "et" or "ru", the languages a manifest's
// texts may have (docs/ballots.md 2). Throws UsageError for any other value.
std::string display_language(const Args& args);

// Splits "a,b,c" at commas (empty parts are kept, so that callers refuse them by name).
std::vector<std::string> comma_list(const std::string& text);

}  // namespace haal::cli
