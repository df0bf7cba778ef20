// The election manifest: what is being voted on, by whom it is decrypted, in which group.
// Schema and validation rules: docs/ballots.md ("Manifest").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/sha256.hpp"

namespace haal::election {

using crypto::Json;

// A text shown to voters (titles, the contact): the string form, one text for every language,
// or the object form, translations keyed by language tag (docs/ballots.md section 2, "Texts").
struct LocalizedText {
  std::string text;                                 // the string form; empty in the object form
  std::map<std::string, std::string> translations;  // the object form ("en" always present)

  bool translated() const { return !translations.empty(); }
  // Returns the text for a reader of `language` (display rule of docs/ballots.md 2): the
  // translation into `language` when present, else the "en" one, else the string form.
  const std::string& in(std::string_view language) const;
};

// The language tags a translated text may use, in validation order ("en" is required).
inline constexpr std::string_view kTextLanguages[] = {"en", "et", "ru"};
// Byte limit of one text (the string, or each translation).
inline constexpr std::size_t kMaxTextBytes = 1000;

enum class ContestKind { plurality, approval, referendum, ranked };
// The count that decides a ranked contest (the other one is published for comparison only):
// docs/counting.md sections 5 and 6, ties by the tie-break order of section 4.
enum class RankedMethod { instant_runoff, schulze };

struct ContestOption {
  std::string id;
  LocalizedText title;
};

struct Contest {
  std::string id;
  LocalizedText title;
  ContestKind kind = ContestKind::plurality;
  // Number of candidates (options plus the write-in, if any) a valid selection names: for
  // choose kinds the number chosen, for ranked the number of ranks filled.
  std::size_t min = 0;
  std::size_t max = 1;
  std::vector<ContestOption> options;
  // Byte limit of the write-in text when the contest allows a write-in.
  std::optional<std::size_t> write_in_max_bytes;
  // Ranked contests only: the binding count ("method" in the manifest; instant-runoff when the
  // input manifest omits it, always written in the canonical manifest).
  RankedMethod method = RankedMethod::instant_runoff;

  bool ranked() const { return kind == ContestKind::ranked; }
  // Options plus the write-in candidate (which has index options.size()).
  std::size_t candidate_count() const { return options.size() + (write_in_max_bytes ? 1 : 0); }
};

struct Manifest {
  std::string election_id;
  LocalizedText title;
  // How voters reach the election officials (e-mail, phone); optional.
  std::optional<LocalizedText> contact;
  std::string opens;   // RFC 3339 UTC, "YYYY-MM-DDTHH:MM:SSZ"
  std::string closes;  // same form, strictly after `opens`
  std::string group_name;
  std::size_t trustee_count = 0;
  std::size_t trustee_threshold = 0;
  std::vector<Contest> contests;

  const crypto::Group& group() const { return crypto::group_by_name(group_name); }
  // Returns the contest with this id or nullptr.
  const Contest* find_contest(std::string_view id) const;
};

// Limits enforced by validation (docs/ballots.md).
inline constexpr std::size_t kMaxOptionsPerContest = 1000;
inline constexpr std::size_t kMaxWriteInBytes = 1024;
inline constexpr std::size_t kMaxContests = 1000;
inline constexpr std::size_t kMaxTrustees = 255;

// Returns "plurality" | "approval" | "referendum" | "ranked".
std::string contest_kind_name(ContestKind kind);
// Returns "instant-runoff" or "schulze".
std::string ranked_method_name(RankedMethod method);

// Returns true iff `id` matches [A-Za-z0-9][A-Za-z0-9._-]{0,63} (election, contest, option and
// voter ids; safe as file names).
bool is_valid_identifier(std::string_view id);

// Returns j[key] when it is a string and a valid identifier. Throws crypto::FormatError naming
// "<path>.<key>" otherwise (e.g. `... .id: invalid identifier "a b" (expected ...)`).
std::string require_identifier(const Json& j, std::string_view key, const std::string& path);

// Returns the validated text `value` found at `path` (a string, or an object of translations:
// docs/ballots.md 2, "Texts"). Throws crypto::FormatError naming the field, e.g.
// `contests[0].title.ru: must not be empty`.
LocalizedText text_from_json(const Json& value, const std::string& path);
// Returns the canonical JSON of a text: the string, or the object of its translations.
Json text_to_json(const LocalizedText& text);
// Returns the display text of `value`, a text of a validated manifest in JSON (as served by
// GET /api/election), for a reader of `language` (display rule of docs/ballots.md 2).
std::string text_in(const Json& value, std::string_view language);

// Returns true iff `text` is "YYYY-MM-DDTHH:MM:SSZ" naming a real UTC instant (no leap seconds).
bool is_rfc3339_utc(std::string_view text);

// Returns the validated manifest in `j`. Throws crypto::FormatError whose message starts with
// the offending field path (e.g. `contests[2].options[0].id: duplicate option id "x"`).
Manifest manifest_from_json(const Json& j);

// Parses and validates manifest text; syntax errors carry "<source>:<line>:<column>".
Manifest parse_manifest(std::string_view text, std::string_view source);

// Throws crypto::FormatError (field path first) unless the tally can count every contest of
// `manifest` (docs/counting.md section 1.1): today, no ranked contest offers a write-in (a
// write-in text is no registered option, so instant-runoff and Schulze cannot rank it). The
// ballot format can still express one; `haal election new` refuses it before any ballot exists.
void require_countable(const Manifest& manifest);

// Returns the canonical JSON of the manifest (every field explicit).
Json manifest_to_json(const Manifest& manifest);

// Returns canonical_json_hash(manifest_to_json(manifest)).
crypto::Digest manifest_hash(const Manifest& manifest);

}  // namespace haal::election
