#include "tally/counting/contest.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <stdexcept>

#include "crypto/base/utf8.hpp"

namespace haal::tally {

namespace {

struct KindName {
  ContestKind kind;
  std::string_view name;
};
constexpr std::array<KindName, 5> kKindNames{{{ContestKind::kPlurality, "plurality"},
                                              {ContestKind::kApproval, "approval"},
                                              {ContestKind::kReferendum, "referendum"},
                                              {ContestKind::kIrv, "irv"},
                                              {ContestKind::kSchulze, "schulze"}}};

constexpr std::array<std::string_view, kInvalidReasonCount> kReasonNames{
    "undecodable",    "option_out_of_range", "duplicate_option",   "write_in_not_allowed",
    "write_in_empty", "write_in_not_utf8",   "too_few_selections", "too_many_selections"};

void fail(const std::string& field, const std::string& reason) {
  throw std::invalid_argument("contest metadata: " + field + ": " + reason);
}

}  // namespace

std::string_view contest_kind_name(ContestKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  throw std::invalid_argument("contest kind: value out of range");
}

ContestKind contest_kind_from_name(std::string_view name) {
  for (const auto& entry : kKindNames) {
    if (entry.name == name) return entry.kind;
  }
  throw std::invalid_argument("contest kind: unknown kind \"" + std::string(name) + "\"");
}

bool is_ranked(ContestKind kind) {
  return kind == ContestKind::kIrv || kind == ContestKind::kSchulze;
}

std::string_view invalid_reason_name(InvalidReason reason) {
  return kReasonNames.at(static_cast<std::size_t>(reason));
}

void validate_contest_metadata(const ContestMetadata& contest) {
  if (contest.id.empty()) fail("id", "empty");
  if (!base::is_valid_utf8_var(contest.id)) fail("id", "not UTF-8");
  if (!base::is_valid_utf8_var(contest.title)) fail("title", "not UTF-8");
  const auto n = contest.option_names.size();
  if (n == 0) fail("option_names", "no options");
  if (n > kMaxOptions)
    fail("option_names", "more than " + std::to_string(kMaxOptions) + " options");
  for (std::size_t i = 0; i < n; ++i) {
    if (!base::is_valid_utf8_var(contest.option_names[i])) {
      fail("option_names[" + std::to_string(i) + "]", "not UTF-8");
    }
  }
  if (contest.min > contest.max) fail("min", "greater than max");
  if (contest.max == 0) fail("max", "must be at least 1");
  if (is_ranked(contest.kind)) {
    if (contest.has_write_in) fail("has_write_in", "ranked contests have no write-in slot");
    if (contest.rank_limit == 0 || contest.rank_limit > n) {
      fail("rank_limit", "must be between 1 and the number of options");
    }
    if (contest.max != contest.rank_limit) fail("max", "must equal rank_limit in a ranked contest");
  } else {
    if (contest.rank_limit != 0) fail("rank_limit", "must be 0 in a choice contest");
    const std::size_t items = n + (contest.has_write_in ? 1 : 0);
    if (contest.max > items) fail("max", "greater than the number of options and write-in slots");
    if (contest.kind == ContestKind::kReferendum) {
      if (n != 2) fail("option_names", "a referendum has exactly two options");
      if (contest.has_write_in) fail("has_write_in", "a referendum has no write-in slot");
      if (contest.max != 1) fail("max", "a referendum allows exactly one choice");
    }
  }
}

std::optional<InvalidReason> find_invalid_reason(const ContestMetadata& contest,
                                                 const Selection& selection) {
  if (!selection.decoded) return InvalidReason::kUndecodable;
  const auto n = contest.option_names.size();
  for (const auto option : selection.options) {
    if (option >= n) return InvalidReason::kOptionOutOfRange;
  }
  std::bitset<kMaxOptions> seen;  // n <= kMaxOptions, checked by validate_contest_metadata
  for (const auto option : selection.options) {
    if (seen.test(option)) return InvalidReason::kDuplicateOption;
    seen.set(option);
  }
  if (selection.write_in.has_value()) {
    if (!contest.has_write_in) return InvalidReason::kWriteInNotAllowed;
    if (selection.write_in->empty()) return InvalidReason::kWriteInEmpty;
    if (!base::is_valid_utf8_var(*selection.write_in)) return InvalidReason::kWriteInNotUtf8;
  }
  const std::size_t items = selection.options.size() + (selection.write_in.has_value() ? 1 : 0);
  if (items < contest.min) return InvalidReason::kTooFewSelections;
  if (items > contest.max) return InvalidReason::kTooManySelections;
  return std::nullopt;
}

}  // namespace haal::tally
