// Stage 8: a second, independent implementation of docs/counting.md (validity, choice counts,
// tie-break order, instant-runoff with every round, Schulze with the pairwise and strongest-path
// matrices) producing the per-contest results object, so the verifier can compare it byte for
// byte with the record's results.json. Written from the document, not from tally/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"

namespace haal::verifier::counting {

// Contest metadata (docs/counting.md 1.1) as far as the count depends on it.
struct ContestRules {
  std::string id;
  std::string kind;  // plurality | approval | referendum | irv | schulze
  std::uint32_t option_count = 0;
  std::uint32_t min = 0;
  std::uint32_t max = 1;
  std::uint32_t rank_limit = 0;
  bool has_write_in = false;
  bool ranked() const { return kind == "irv" || kind == "schulze"; }
};

// One ballot's decoded selection (docs/counting.md 1.2).
struct CountBallot {
  bool decoded = false;
  std::vector<std::uint32_t> options;  // a set (choice kinds) or a ranking (ranked kinds)
  std::optional<std::string> write_in;
};

// Returns the indices 0..n-1 sorted by key(i) = SHA-256(lp("haal/tally/tie-break/v1") ||
// lp(seed) || lp(id) || u32be(i)) ascending (ties by i): most favoured first.
std::vector<std::uint32_t> tie_break_order(crypto::ByteView seed, std::string_view contest_id,
                                           std::uint32_t n);

// Returns the reason code of an invalid ballot (docs/counting.md section 2) or "" if valid.
std::string invalid_reason(const ContestRules& rules, const CountBallot& ballot);

// Returns the contest's results object (docs/counting.md section 7). `tie_seed` is used for
// ranked kinds only. Throws std::invalid_argument for an unknown kind.
crypto::Json recount(const ContestRules& rules, const std::vector<CountBallot>& ballots,
                     crypto::ByteView tie_seed);

// Returns the JSON path of the first difference between two JSON values ("" when equal), e.g.
// ".irv.rounds[2].tallies[0].votes: 17 != 18" (for precise failure messages).
std::string first_difference(const crypto::Json& expected, const crypto::Json& actual,
                             const std::string& path = "");

}  // namespace haal::verifier::counting
