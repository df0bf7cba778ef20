#include "verifier-app/manifest_parser.hpp"

#include <set>

#include "crypto/canonical_json.hpp"
#include "crypto/group.hpp"

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

constexpr std::size_t kMaxOptionsPerContest = 1000;
constexpr std::size_t kMaxWriteInBytes = 1024;
constexpr std::size_t kMaxContests = 1000;
constexpr std::size_t kMaxTrustees = 255;

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

std::string identifier(const Json& j, std::string_view key, const std::string& path) {
  const std::string& id = crypto::require_string(j, key, path);
  if (!is_valid_identifier(id)) {
    throw FormatError(join(path, key),
                      "invalid identifier (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})");
  }
  return id;
}

std::string title(const Json& j, std::string_view key, const std::string& path) {
  const std::string& t = crypto::require_string(j, key, path);
  if (t.empty()) throw FormatError(join(path, key), "must not be empty");
  if (t.size() > 1000) throw FormatError(join(path, key), "longer than 1000 bytes");
  return t;
}

std::size_t bounded(const Json& j, std::string_view key, const std::string& path, std::uint64_t low,
                    std::uint64_t high) {
  const std::uint64_t v = crypto::require_uint(j, key, path);
  if (v < low || v > high) {
    throw FormatError(join(path, key), "must be between " + std::to_string(low) + " and " +
                                           std::to_string(high) + ", got " + std::to_string(v));
  }
  return static_cast<std::size_t>(v);
}

const Json& object(const Json& j, std::string_view key, const std::string& path) {
  const Json& v = crypto::require_field(j, key, path);
  if (!v.is_object()) throw FormatError(join(path, key), "must be a JSON object");
  return v;
}

ManifestContest parse_contest(const Json& j, const std::string& path) {
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(
      j, {"id", "title", "kind", "min", "max", "options", "write_in", "method"}, path);
  ManifestContest c;
  c.id = identifier(j, "id", path);
  c.title = title(j, "title", path);
  c.kind = crypto::require_string(j, "kind", path);
  if (c.kind != "plurality" && c.kind != "approval" && c.kind != "referendum" &&
      c.kind != "ranked") {
    throw FormatError(join(path, "kind"), "unknown contest kind \"" + c.kind + "\"");
  }
  const Json& options = crypto::require_array(j, "options", path);
  const std::string options_path = join(path, "options");
  if (options.empty()) throw FormatError(options_path, "must list at least one option");
  if (options.size() > kMaxOptionsPerContest) throw FormatError(options_path, "too many options");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const std::string p = at(options_path, i);
    if (!options[i].is_object()) throw FormatError(p, "must be a JSON object");
    crypto::reject_unknown_fields(options[i], {"id", "title"}, p);
    ManifestOption o{identifier(options[i], "id", p), title(options[i], "title", p)};
    if (!ids.insert(o.id).second) throw FormatError(join(p, "id"), "duplicate option id");
    c.options.push_back(std::move(o));
  }
  if (j.contains("write_in")) {
    const Json& w = object(j, "write_in", path);
    crypto::reject_unknown_fields(w, {"max_bytes"}, join(path, "write_in"));
    c.write_in_max_bytes = bounded(w, "max_bytes", join(path, "write_in"), 1, kMaxWriteInBytes);
  }
  const std::size_t candidates = c.candidate_count();
  c.min = bounded(j, "min", path, 0, candidates);
  c.max = bounded(j, "max", path, 1, candidates);
  if (c.min > c.max) throw FormatError(join(path, "min"), "exceeds max");
  if (c.kind == "plurality" && c.max != 1) {
    throw FormatError(join(path, "max"), "a plurality contest has max 1");
  }
  if (c.kind == "referendum") {
    if (c.options.size() != 2)
      throw FormatError(options_path, "a referendum has exactly 2 options");
    if (c.write_in_max_bytes)
      throw FormatError(join(path, "write_in"), "a referendum has no write-in");
    if (c.max != 1) throw FormatError(join(path, "max"), "a referendum has max 1");
  }
  // The canonical manifest names the binding count of every ranked contest (docs/ballots.md 2).
  if (c.ranked()) {
    c.method = crypto::require_string(j, "method", path);
    if (c.method != "instant-runoff" && c.method != "schulze")
      throw FormatError(join(path, "method"), "must be \"instant-runoff\" or \"schulze\"");
  } else if (j.contains("method")) {
    throw FormatError(join(path, "method"), "only a ranked contest names a counting method");
  }
  return c;
}

}  // namespace

bool is_valid_identifier(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

bool is_rfc3339_utc(std::string_view text) {
  static constexpr std::string_view kPattern = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != kPattern.size()) return false;
  for (std::size_t i = 0; i < kPattern.size(); ++i) {
    if (kPattern[i] == 'd' ? (text[i] < '0' || text[i] > '9') : text[i] != kPattern[i]) {
      return false;
    }
  }
  auto number = [&](std::size_t from, std::size_t length) {
    int v = 0;
    for (std::size_t i = from; i < from + length; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  if (month < 1 || month > 12 || day < 1 || number(11, 2) > 23 || number(14, 2) > 59 ||
      number(17, 2) > 59) {
    return false;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

ParsedManifest parse_manifest(const Json& j) {
  const std::string root;
  if (!j.is_object()) throw FormatError("(top)", "the manifest must be a JSON object");
  crypto::reject_unknown_fields(
      j, {"election_id", "title", "voting_window", "group", "trustees", "contests"}, root);
  ParsedManifest m;
  m.election_id = identifier(j, "election_id", root);
  m.title = title(j, "title", root);
  const Json& window = object(j, "voting_window", root);
  crypto::reject_unknown_fields(window, {"opens", "closes"}, "voting_window");
  m.opens = crypto::require_string(window, "opens", "voting_window");
  m.closes = crypto::require_string(window, "closes", "voting_window");
  if (!is_rfc3339_utc(m.opens)) throw FormatError("voting_window.opens", "not RFC 3339 UTC");
  if (!is_rfc3339_utc(m.closes)) throw FormatError("voting_window.closes", "not RFC 3339 UTC");
  if (m.closes <= m.opens) throw FormatError("voting_window.closes", "must be after opens");
  m.group_name = crypto::require_string(j, "group", root);
  const Json& trustees = object(j, "trustees", root);
  crypto::reject_unknown_fields(trustees, {"count", "threshold"}, "trustees");
  m.trustee_count = bounded(trustees, "count", "trustees", 1, kMaxTrustees);
  m.trustee_threshold = bounded(trustees, "threshold", "trustees", 1, m.trustee_count);
  const Json& contests = crypto::require_array(j, "contests", root);
  if (contests.empty()) throw FormatError("contests", "must list at least one contest");
  if (contests.size() > kMaxContests) throw FormatError("contests", "too many contests");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < contests.size(); ++i) {
    ManifestContest c = parse_contest(contests[i], at("contests", i));
    if (!ids.insert(c.id).second)
      throw FormatError(at("contests", i) + ".id", "duplicate contest id");
    m.contests.push_back(std::move(c));
  }
  m.json = j;
  m.hash = crypto::canonical_json_hash(j);
  return m;
}

}  // namespace haal::verifier
