#include "election/manifest.hpp"

#include <set>

#include "crypto/canonical_json.hpp"
#include "election/strict_json.hpp"

namespace haal::election {

using crypto::FormatError;

namespace {

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string quote_text(std::string_view text) {
  return Json(std::string(text)).dump();
}

const Json& require_object(const Json& j, std::string_view key, const std::string& path) {
  const Json& v = crypto::require_field(j, key, path);
  if (!v.is_object()) throw FormatError(join(path, key), "must be a JSON object");
  return v;
}

// Checks one string of a text (docs/ballots.md 2, "Texts").
const std::string& require_text_string(const Json& value, const std::string& path) {
  if (!value.is_string()) throw FormatError(path, "must be a string");
  const std::string& text = value.get_ref<const std::string&>();
  if (text.empty()) throw FormatError(path, "must not be empty");
  if (text.size() > kMaxTextBytes) {
    throw FormatError(path, "longer than " + std::to_string(kMaxTextBytes) + " bytes");
  }
  return text;
}

LocalizedText require_text(const Json& j, std::string_view key, const std::string& path) {
  return text_from_json(crypto::require_field(j, key, path), join(path, key));
}

std::size_t require_bounded(const Json& j, std::string_view key, const std::string& path,
                            std::uint64_t low, std::uint64_t high) {
  const std::uint64_t value = crypto::require_uint(j, key, path);
  if (value < low || value > high) {
    throw FormatError(join(path, key), "must be between " + std::to_string(low) + " and " +
                                           std::to_string(high) + ", got " + std::to_string(value));
  }
  return static_cast<std::size_t>(value);
}

ContestKind parse_kind(const Json& j, const std::string& path) {
  const std::string& kind = crypto::require_string(j, "kind", path);
  if (kind == "plurality") return ContestKind::plurality;
  if (kind == "approval") return ContestKind::approval;
  if (kind == "referendum") return ContestKind::referendum;
  if (kind == "ranked") return ContestKind::ranked;
  throw FormatError(join(path, "kind"),
                    "unknown contest kind " + quote_text(kind) +
                        " (expected plurality, approval, referendum or ranked)");
}

Contest parse_contest(const Json& j, const std::string& path) {
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(
      j, {"id", "title", "kind", "min", "max", "options", "write_in", "method"}, path);
  Contest contest;
  contest.id = require_identifier(j, "id", path);
  contest.title = require_text(j, "title", path);
  contest.kind = parse_kind(j, path);

  const Json& options = crypto::require_array(j, "options", path);
  const std::string options_path = join(path, "options");
  if (options.empty()) throw FormatError(options_path, "must list at least one option");
  if (options.size() > kMaxOptionsPerContest) {
    throw FormatError(options_path,
                      "more than " + std::to_string(kMaxOptionsPerContest) + " options");
  }
  std::set<std::string> option_ids;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const std::string option_path = at(options_path, i);
    if (!options[i].is_object()) throw FormatError(option_path, "must be a JSON object");
    crypto::reject_unknown_fields(options[i], {"id", "title"}, option_path);
    ContestOption option{require_identifier(options[i], "id", option_path),
                         require_text(options[i], "title", option_path)};
    if (!option_ids.insert(option.id).second) {
      throw FormatError(join(option_path, "id"), "duplicate option id " + quote_text(option.id));
    }
    contest.options.push_back(std::move(option));
  }

  if (j.contains("write_in")) {
    const Json& write_in = require_object(j, "write_in", path);
    const std::string write_in_path = join(path, "write_in");
    crypto::reject_unknown_fields(write_in, {"max_bytes"}, write_in_path);
    contest.write_in_max_bytes =
        require_bounded(write_in, "max_bytes", write_in_path, 1, kMaxWriteInBytes);
  }

  const std::size_t candidates = contest.candidate_count();
  contest.min = require_bounded(j, "min", path, 0, candidates);
  contest.max = require_bounded(j, "max", path, 1, candidates);
  if (contest.min > contest.max) {
    throw FormatError(join(path, "min"), "min " + std::to_string(contest.min) + " exceeds max " +
                                             std::to_string(contest.max));
  }
  switch (contest.kind) {
    case ContestKind::plurality:
      if (contest.max != 1) throw FormatError(join(path, "max"), "a plurality contest has max 1");
      break;
    case ContestKind::referendum:
      if (contest.options.size() != 2) {
        throw FormatError(options_path, "a referendum has exactly 2 options (e.g. yes and no)");
      }
      if (contest.write_in_max_bytes) {
        throw FormatError(join(path, "write_in"), "a referendum has no write-in");
      }
      if (contest.max != 1) throw FormatError(join(path, "max"), "a referendum has max 1");
      break;
    case ContestKind::approval:
    case ContestKind::ranked:
      break;
  }
  if (j.contains("method")) {
    const std::string method_path = join(path, "method");
    if (contest.kind != ContestKind::ranked) {
      throw FormatError(method_path, "only a ranked contest names a counting method");
    }
    const std::string& method = crypto::require_string(j, "method", path);
    if (method == "instant-runoff") {
      contest.method = RankedMethod::instant_runoff;
    } else if (method == "schulze") {
      contest.method = RankedMethod::schulze;
    } else {
      throw FormatError(method_path, "unknown method " + quote_text(method) +
                                         " (expected instant-runoff or schulze)");
    }
  }
  return contest;
}

}  // namespace

const std::string& LocalizedText::in(std::string_view language) const {
  if (translations.empty()) return text;
  const auto found = translations.find(std::string(language));
  return found != translations.end() ? found->second : translations.at("en");
}

LocalizedText text_from_json(const Json& value, const std::string& path) {
  LocalizedText text;
  if (value.is_string()) {
    text.text = require_text_string(value, path);
    return text;
  }
  if (!value.is_object()) {
    throw FormatError(path, "must be a string or an object of translations (en, et, ru)");
  }
  crypto::reject_unknown_fields(value, {"en", "et", "ru"}, path);
  crypto::require_field(value, "en", path);
  for (const std::string_view language : kTextLanguages) {
    const std::string key(language);
    if (value.contains(key)) {
      text.translations[key] = require_text_string(value.at(key), join(path, key));
    }
  }
  return text;
}

Json text_to_json(const LocalizedText& text) {
  if (!text.translated()) return text.text;
  Json j = Json::object();
  for (const auto& [language, translation] : text.translations) j[language] = translation;
  return j;
}

std::string text_in(const Json& value, std::string_view language) {
  if (value.is_string()) return value.get<std::string>();
  const std::string key(language);
  return (value.contains(key) ? value.at(key) : value.at("en")).get<std::string>();
}

std::string ranked_method_name(RankedMethod method) {
  return method == RankedMethod::schulze ? "schulze" : "instant-runoff";
}

std::string require_identifier(const Json& j, std::string_view key, const std::string& path) {
  const std::string& id = crypto::require_string(j, key, path);
  if (!is_valid_identifier(id)) {
    throw FormatError(join(path, key), "invalid identifier " + quote_text(id) +
                                           " (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})");
  }
  return id;
}

std::string contest_kind_name(ContestKind kind) {
  switch (kind) {
    case ContestKind::plurality:
      return "plurality";
    case ContestKind::approval:
      return "approval";
    case ContestKind::referendum:
      return "referendum";
    case ContestKind::ranked:
      return "ranked";
  }
  return "?";
}

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
  // "YYYY-MM-DDTHH:MM:SSZ"
  if (text.size() != 20) return false;
  const std::string_view pattern = "dddd-dd-ddTdd:dd:ddZ";
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == 'd') {
      if (text[i] < '0' || text[i] > '9') return false;
    } else if (text[i] != pattern[i]) {
      return false;
    }
  }
  auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= days;
}

const Contest* Manifest::find_contest(std::string_view id) const {
  for (const Contest& c : contests) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Manifest manifest_from_json(const Json& j) {
  const std::string root;
  if (!j.is_object()) throw FormatError("(top)", "the manifest must be a JSON object");
  crypto::reject_unknown_fields(
      j, {"election_id", "title", "contact", "voting_window", "group", "trustees", "contests"},
      root);
  Manifest m;
  m.election_id = require_identifier(j, "election_id", root);
  m.title = require_text(j, "title", root);
  if (j.contains("contact")) m.contact = require_text(j, "contact", root);

  const Json& window = require_object(j, "voting_window", root);
  crypto::reject_unknown_fields(window, {"opens", "closes"}, "voting_window");
  m.opens = crypto::require_string(window, "opens", "voting_window");
  m.closes = crypto::require_string(window, "closes", "voting_window");
  for (const auto& [field, value] : {std::pair{"opens", m.opens}, std::pair{"closes", m.closes}}) {
    if (!is_rfc3339_utc(value)) {
      throw FormatError(
          std::string("voting_window.") + field,
          "expected an RFC 3339 UTC time \"YYYY-MM-DDTHH:MM:SSZ\", got " + quote_text(value));
    }
  }
  if (m.closes <= m.opens) {
    throw FormatError("voting_window.closes",
                      "must be after voting_window.opens (" + m.opens + ")");
  }

  m.group_name = crypto::require_string(j, "group", root);
  try {
    crypto::group_by_name(m.group_name);
  } catch (const std::invalid_argument&) {
    std::string names;
    for (const std::string& name : crypto::supported_group_names())
      names += (names.empty() ? "" : ", ") + name;
    throw FormatError("group",
                      "unknown group " + quote_text(m.group_name) + " (supported: " + names + ")");
  }

  const Json& trustees = require_object(j, "trustees", root);
  crypto::reject_unknown_fields(trustees, {"count", "threshold"}, "trustees");
  m.trustee_count = require_bounded(trustees, "count", "trustees", 1, kMaxTrustees);
  m.trustee_threshold = require_bounded(trustees, "threshold", "trustees", 1, m.trustee_count);

  const Json& contests = crypto::require_array(j, "contests", root);
  if (contests.empty()) throw FormatError("contests", "must list at least one contest");
  if (contests.size() > kMaxContests) {
    throw FormatError("contests", "more than " + std::to_string(kMaxContests) + " contests");
  }
  std::set<std::string> contest_ids;
  for (std::size_t i = 0; i < contests.size(); ++i) {
    const std::string path = at("contests", i);
    Contest contest = parse_contest(contests[i], path);
    if (!contest_ids.insert(contest.id).second) {
      throw FormatError(join(path, "id"), "duplicate contest id " + quote_text(contest.id));
    }
    m.contests.push_back(std::move(contest));
  }
  return m;
}

Manifest parse_manifest(std::string_view text, std::string_view source) {
  return manifest_from_json(parse_json_strict(text, source));
}

void require_countable(const Manifest& manifest) {
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    const Contest& c = manifest.contests[i];
    if (c.kind == ContestKind::ranked && c.write_in_max_bytes) {
      throw FormatError("contests[" + std::to_string(i) + "].write_in",
                        "a ranked contest cannot offer a write-in: the count ranks registered "
                        "options only (docs/counting.md section 1.1)");
    }
  }
}

Json manifest_to_json(const Manifest& m) {
  Json contests = Json::array();
  for (const Contest& c : m.contests) {
    Json options = Json::array();
    for (const ContestOption& o : c.options)
      options.push_back({{"id", o.id}, {"title", text_to_json(o.title)}});
    Json contest = {{"id", c.id},
                    {"title", text_to_json(c.title)},
                    {"kind", contest_kind_name(c.kind)},
                    {"min", c.min},
                    {"max", c.max},
                    {"options", options}};
    if (c.write_in_max_bytes) contest["write_in"] = {{"max_bytes", *c.write_in_max_bytes}};
    if (c.ranked()) contest["method"] = ranked_method_name(c.method);
    contests.push_back(std::move(contest));
  }
  Json j = {{"election_id", m.election_id},
            {"title", text_to_json(m.title)},
            {"voting_window", {{"opens", m.opens}, {"closes", m.closes}}},
            {"group", m.group_name},
            {"trustees", {{"count", m.trustee_count}, {"threshold", m.trustee_threshold}}},
            {"contests", contests}};
  if (m.contact) j["contact"] = text_to_json(*m.contact);
  return j;
}

crypto::Digest manifest_hash(const Manifest& manifest) {
  return crypto::canonical_json_hash(manifest_to_json(manifest));
}

}  // namespace haal::election
