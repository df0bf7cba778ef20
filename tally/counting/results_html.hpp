// A self-contained results page (results.html): inline CSS and SVG only, no scripts, no external
// resources, readable on a phone. Rendered from the canonical results JSON
// (tally/counting/results.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "tally/counting/contest.hpp"
#include "tally/counting/results.hpp"

namespace haal::tally {

struct ElectionSummary {
  std::string title;
  // Voters on the register, when known: turnout is shown as a share of it.
  std::optional<std::uint64_t> eligible_voters;
};

// One contest to show: its metadata (names) and the results object count_contest_var returned for
// it.
struct ContestReport {
  ContestMetadata contest;
  Json results;
  bool binding = true;  // false: a ranked contest's second count, shown for comparison only
};

// Returns `text` with & < > " ' replaced by HTML character references.
std::string html_escape(std::string_view text);

// Returns "12.3%": part / whole rounded half up to one decimal ("0.0%" when whole is 0).
// Precondition: part <= whole < 2^53.
std::string percent_text(std::uint64_t part, std::uint64_t whole);

// Returns the complete results.html document. Deterministic in its inputs.
// Throws std::invalid_argument naming the contest and JSON field when a results object does not
// match its metadata (id, kind, format, option indices, array sizes).
std::string render_results_html(const ElectionSummary& election,
                                std::span<const ContestReport> contests);

}  // namespace haal::tally
