// A voter's selection in one contest, its validation against the contest rules, and its JSON
// form (the `--choices` input and the claimed choices of a Benaloh opening).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "election/manifest.hpp"

namespace haal::election {

struct Selection {
  // Candidate indices: option i is i, the write-in candidate is options.size().
  // Choose kinds: strictly increasing. Ranked: in rank order (first choice first).
  std::vector<std::size_t> candidates;
  // The write-in text when the write-in candidate is selected; empty otherwise.
  std::string write_in;

  friend bool operator==(const Selection&, const Selection&) = default;
};

// Choices per contest id (a whole ballot's worth).
using BallotChoices = std::map<std::string, Selection>;

// Returns an empty string when `selection` obeys the contest's rules, otherwise the reason
// (too many/few candidates, duplicates, unknown index, write-in missing, too long, not UTF-8,
// control characters). Variable time (selections are public after the mix).
std::string selection_violation_var(const Contest& contest, const Selection& selection);

// Returns the reason `text` is not an acceptable write-in (empty when acceptable): non-empty,
// at most max_bytes UTF-8 bytes, valid UTF-8, no control characters (U+0000-U+001F, U+007F).
std::string write_in_violation(std::string_view text, std::size_t max_bytes);

// Returns the JSON array of a selection: option ids, and {"write_in": text} for the write-in.
// Precondition: selection_violation_var(contest, selection) is empty.
Json selection_to_json(const Contest& contest, const Selection& selection);

// Parses a selection array; choose kinds accept any order and are sorted. Throws
// crypto::FormatError naming `path` and the element for unknown option ids, duplicates, wrong
// types and every rule selection_violation_var checks.
Selection selection_from_json(const Contest& contest, const Json& j, const std::string& path);

// Parses {"<contest id>": [...], ...} naming every contest of the manifest exactly once.
BallotChoices ballot_choices_from_json(const Manifest& manifest, const Json& j);

// Returns the {"<contest id>": [...]} object of `choices`.
Json ballot_choices_to_json(const Manifest& manifest, const BallotChoices& choices);

}  // namespace haal::election
