// Contest metadata and decoded selections: the inputs of the counting algorithms
// (docs/counting.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace haal::tally {

// How a contest is voted and counted. Choice kinds take a set of options, ranked kinds an order.
enum class ContestKind { kPlurality, kApproval, kReferendum, kIrv, kSchulze };

// Returns the canonical name used in JSON: "plurality", "approval", "referendum", "irv", "schulze".
std::string_view contest_kind_name(ContestKind kind);
// Returns the kind named `name`; throws std::invalid_argument naming it when unknown.
ContestKind contest_kind_from_name(std::string_view name);
// Returns true for irv and schulze.
bool is_ranked(ContestKind kind);

// What the counter and the results page need to know about a contest.
// Choice kinds: a valid ballot selects between min and max items (options plus the write-in, if
// any); rank_limit is 0. Ranked kinds: a valid ballot ranks between min and max distinct options,
// max == rank_limit, no write-in. A referendum has exactly two options (conventionally yes, no).
struct ContestMetadata {
  std::string id;
  std::string title;
  ContestKind kind = ContestKind::kPlurality;
  std::vector<std::string> option_names;
  std::uint32_t min = 0;
  std::uint32_t max = 1;
  std::uint32_t rank_limit = 0;
  bool has_write_in = false;
};

// Largest number of options a contest may have (bounds the O(n^3) Schulze count).
inline constexpr std::uint32_t kMaxOptions = 1024;

// Throws std::invalid_argument naming the first field of `contest` that breaks the rules above
// (including non-UTF-8 id, title or option names). Returns normally otherwise.
void validate_contest_metadata(const ContestMetadata& contest);

// One voter's decoded plaintext for one contest.
// decoded == false: the decryption did not yield a well-formed selection (counted as invalid).
// options: choice kinds a set (any order), ranked kinds the ranking, most preferred first.
// write_in: the text in the write-in slot, exact bytes, if the voter used it.
struct Selection {
  bool decoded = true;
  std::vector<std::uint32_t> options;
  std::optional<std::string> write_in;
};

// Why a ballot is invalid; each invalid ballot gets exactly one reason, the first that applies in
// this order (docs/counting.md, "Validity").
enum class InvalidReason {
  kUndecodable,
  kOptionOutOfRange,
  kDuplicateOption,
  kWriteInNotAllowed,
  kWriteInEmpty,
  kWriteInNotUtf8,
  kTooFewSelections,
  kTooManySelections,
};
inline constexpr std::size_t kInvalidReasonCount = 8;

// Returns the canonical JSON name of `reason`, e.g. "too_many_selections".
std::string_view invalid_reason_name(InvalidReason reason);

// Returns why `selection` is invalid for `contest`, or nullopt when it is valid.
// Precondition: contest passed validate_contest_metadata.
std::optional<InvalidReason> find_invalid_reason(const ContestMetadata& contest,
                                                 const Selection& selection);

}  // namespace haal::tally
