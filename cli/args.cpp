#include "cli/args.hpp"

#include <algorithm>
#include <iterator>

#include "election/manifest.hpp"

namespace haal::cli {

Args::Args(const std::vector<std::string>& args, const std::set<std::string>& options,
           const std::set<std::string>& switches) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positionals_.push_back(a);
      continue;
    }
    const std::string name = a.substr(2);
    if (switches.count(name)) {
      switches_.insert(name);
    } else if (options.count(name)) {
      if (i + 1 >= args.size()) throw UsageError("option --" + name + " needs a value");
      if (!values_.emplace(name, args[++i]).second) {
        throw UsageError("option --" + name + " given twice");
      }
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
}

const std::string& Args::required(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw UsageError("missing --" + name);
  return it->second;
}

std::optional<std::string> Args::optional(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::value_or(const std::string& name, const std::string& fallback) const {
  return optional(name).value_or(fallback);
}

std::uint64_t Args::uint_or(const std::string& name, std::uint64_t fallback) const {
  const auto v = optional(name);
  if (!v) return fallback;
  if (v->empty() || v->find_first_not_of("0123456789") != std::string::npos || v->size() > 18) {
    throw UsageError("--" + name + " must be a non-negative integer, got '" + *v + "'");
  }
  return std::stoull(*v);
}

std::string display_language(const Args& args) {
  std::string language = args.value_or("lang", "en");
  if (std::find(std::begin(election::kTextLanguages), std::end(election::kTextLanguages),
                language) == std::end(election::kTextLanguages)) {
    throw UsageError("--lang: expected en, et or ru, not '" + language + "'");
  }
  return language;
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (std::size_t end; (end = text.find(',', begin)) != std::string::npos; begin = end + 1) {
    parts.push_back(text.substr(begin, end - begin));
  }
  parts.push_back(text.substr(begin));
  return parts;
}

}  // namespace haal::cli
