// The verifier's reading of manifest.json, written from docs/ballots.md section 2 alone: the
// table of fields is checked row by row in the order the specification gives, and every failure
// is reported as "<field path>: <reason>" with the reasons the specification names.
#include "verifier-app/manifest_parser.hpp"

#include <array>
#include <set>

#include "crypto/canonical_json.hpp"

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

// Limits of docs/ballots.md 2 (table "Fields" and "Texts").
constexpr std::size_t kTextBytes = 1000;
constexpr std::uint64_t kMaxTrusteeCount = 255;
constexpr std::size_t kMaxContestCount = 1000;
constexpr std::size_t kMaxOptionCount = 1000;
constexpr std::uint64_t kMaxWriteInLength = 1024;
// The language tags of a translated text, in the order docs/ballots.md 2 checks them.
constexpr std::array<const char*, 3> kLanguageTags = {"en", "et", "ru"};

// A JSON object of the manifest together with the path that names it in error messages.
class Node {
 public:
  Node(const Json& value, std::string path) : value_(value), path_(std::move(path)) {
    if (!value_.is_object()) fail_here(path_.empty() ? "(top)" : path_, "must be a JSON object");
  }

  // Throws unless every key of the object is one of `allowed` (the first unknown key in byte
  // order is named).
  void only(std::initializer_list<std::string_view> allowed) const {
    crypto::reject_unknown_fields(value_, allowed, path_);
  }

  std::string name(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  bool has(std::string_view key) const { return value_.contains(std::string(key)); }
  const Json& field(std::string_view key) const {
    return crypto::require_field(value_, key, path_);
  }
  Node object(std::string_view key) const {
    const Json& v = field(key);
    if (!v.is_object()) fail_here(name(key), "must be a JSON object");
    return Node(v, name(key));
  }
  const Json& array(std::string_view key) const {
    return crypto::require_array(value_, key, path_);
  }
  const std::string& string(std::string_view key) const {
    return crypto::require_string(value_, key, path_);
  }

  // An identifier: [A-Za-z0-9][A-Za-z0-9._-]{0,63}.
  std::string identifier(std::string_view key) const {
    const std::string& id = string(key);
    if (!is_valid_identifier(id)) {
      fail_here(name(key), "invalid identifier " + Json(id).dump() +
                               " (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})");
    }
    return id;
  }

  // An integer in [low, high].
  std::size_t integer(std::string_view key, std::uint64_t low, std::uint64_t high) const {
    const std::uint64_t v = crypto::require_uint(value_, key, path_);
    if (v < low || v > high) {
      fail_here(name(key), "must be between " + std::to_string(low) + " and " +
                               std::to_string(high) + ", got " + std::to_string(v));
    }
    return static_cast<std::size_t>(v);
  }

  // A text ("Texts" of docs/ballots.md 2): a string, or an object of translations.
  ManifestText text(std::string_view key) const {
    const Json& v = field(key);
    const std::string where = name(key);
    ManifestText out;
    if (v.is_string()) {
      out.text = text_string(v, where);
    } else if (v.is_object()) {
      const Node translations(v, where);
      translations.only({"en", "et", "ru"});
      translations.field("en");
      for (const char* tag : kLanguageTags) {
        if (translations.has(tag))
          out.translations[tag] = text_string(v.at(tag), where + "." + tag);
      }
    } else {
      fail_here(where, "must be a string or an object of translations (en, et, ru)");
    }
    return out;
  }

  [[noreturn]] static void fail_here(const std::string& path, const std::string& reason) {
    throw FormatError(path, reason);
  }

 private:
  static std::string text_string(const Json& v, const std::string& where) {
    if (!v.is_string()) fail_here(where, "must be a string");
    const std::string& s = v.get_ref<const std::string&>();
    if (s.empty()) fail_here(where, "must not be empty");
    if (s.size() > kTextBytes) fail_here(where, "longer than 1000 bytes");
    return s;
  }

  const Json& value_;
  std::string path_;
};

std::string indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// contests[i]: unknown fields, id, title, kind, options, write_in, min, max, min <= max, then the
// rules of the kind, then method (docs/ballots.md 2, last paragraph of "Fields").
ManifestContest read_contest(const Node& n) {
  n.only({"id", "title", "kind", "min", "max", "options", "write_in", "method"});
  ManifestContest c;
  c.id = n.identifier("id");
  c.title = n.text("title");
  c.kind = n.string("kind");
  if (c.kind != "plurality" && c.kind != "approval" && c.kind != "referendum" &&
      c.kind != "ranked") {
    Node::fail_here(n.name("kind"), "unknown contest kind " + Json(c.kind).dump() +
                                        " (expected plurality, approval, referendum or ranked)");
  }
  const Json& options = n.array("options");
  const std::string options_path = n.name("options");
  if (options.empty()) Node::fail_here(options_path, "must list at least one option");
  if (options.size() > kMaxOptionCount) {
    Node::fail_here(options_path, "more than 1000 options");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const Node o(options[i], indexed(options_path, i));
    o.only({"id", "title"});
    ManifestOption option{o.identifier("id"), o.text("title")};
    if (!seen.insert(option.id).second) {
      Node::fail_here(o.name("id"), "duplicate option id " + Json(option.id).dump());
    }
    c.options.push_back(std::move(option));
  }
  if (n.has("write_in")) {
    const Node w = n.object("write_in");
    w.only({"max_bytes"});
    c.write_in_max_bytes = w.integer("max_bytes", 1, kMaxWriteInLength);
  }
  c.min = n.integer("min", 0, c.candidate_count());
  c.max = n.integer("max", 1, c.candidate_count());
  if (c.min > c.max) {
    Node::fail_here(n.name("min"),
                    "min " + std::to_string(c.min) + " exceeds max " + std::to_string(c.max));
  }
  if (c.kind == "plurality" && c.max != 1) {
    Node::fail_here(n.name("max"), "a plurality contest has max 1");
  }
  if (c.kind == "referendum") {
    if (c.options.size() != 2) {
      Node::fail_here(options_path, "a referendum has exactly 2 options (e.g. yes and no)");
    }
    if (c.write_in_max_bytes) Node::fail_here(n.name("write_in"), "a referendum has no write-in");
    if (c.max != 1) Node::fail_here(n.name("max"), "a referendum has max 1");
  }
  // The canonical manifest names the binding count of every ranked contest.
  if (!c.ranked()) {
    if (n.has("method")) {
      Node::fail_here(n.name("method"), "only a ranked contest names a counting method");
    }
  } else {
    c.method = n.string("method");
    if (c.method != "instant-runoff" && c.method != "schulze") {
      Node::fail_here(n.name("method"), "unknown method " + Json(c.method).dump() +
                                            " (expected instant-runoff or schulze)");
    }
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
  const Node top(j, "");
  top.only({"election_id", "title", "contact", "voting_window", "group", "trustees", "contests"});
  ParsedManifest m;
  m.election_id = top.identifier("election_id");
  m.title = top.text("title");
  if (top.has("contact")) m.contact = top.text("contact");

  const Node window = top.object("voting_window");
  window.only({"opens", "closes"});
  m.opens = window.string("opens");
  m.closes = window.string("closes");
  for (const auto& [key, value] : {std::pair{"opens", m.opens}, std::pair{"closes", m.closes}}) {
    if (!is_rfc3339_utc(value)) {
      Node::fail_here(
          window.name(key),
          "expected an RFC 3339 UTC time \"YYYY-MM-DDTHH:MM:SSZ\", got " + Json(value).dump());
    }
  }
  if (m.closes <= m.opens) {
    Node::fail_here(window.name("closes"), "must be after voting_window.opens (" + m.opens + ")");
  }
  // The group's name is checked against the known groups by stage 1 (check "group is a known
  // group"), which reports it separately.
  m.group_name = top.string("group");

  const Node trustees = top.object("trustees");
  trustees.only({"count", "threshold"});
  m.trustee_count = trustees.integer("count", 1, kMaxTrusteeCount);
  m.trustee_threshold = trustees.integer("threshold", 1, m.trustee_count);

  const Json& contests = top.array("contests");
  if (contests.empty()) Node::fail_here("contests", "must list at least one contest");
  if (contests.size() > kMaxContestCount) Node::fail_here("contests", "more than 1000 contests");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < contests.size(); ++i) {
    const Node n(contests[i], indexed("contests", i));
    ManifestContest c = read_contest(n);
    if (!seen.insert(c.id).second) {
      Node::fail_here(n.name("id"), "duplicate contest id " + Json(c.id).dump());
    }
    m.contests.push_back(std::move(c));
  }
  m.json = j;
  m.hash = crypto::canonical_json_hash(j);
  return m;
}

}  // namespace haal::verifier
