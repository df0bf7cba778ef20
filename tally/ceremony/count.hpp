// The counting in step "combine" of the tally ceremony (docs/record.md): each contest's decoded
// selections counted by the counting module (tally/counting/, docs/counting.md), then results.json
// and results.html.
#pragma once

#include <filesystem>
#include <span>
#include <vector>

#include "crypto/bytes.hpp"
#include "election/context.hpp"
#include "tally/ceremony/record.hpp"
#include "tally/counting/contest.hpp"
#include "tally/counting/results_html.hpp"

namespace haal::tally {

// The counts of an election, contest by contest in manifest order.
class ElectionCount {
 public:
  // `seed`: the tie-break seed, the final head's root hash (docs/counting.md 7.2, docs/record.md).
  explicit ElectionCount(crypto::Bytes seed) : seed_(std::move(seed)) {}

  // Counts one contest: by the manifest's method in "contests" and, for a ranked contest, by the
  // other method in "ranked_alternatives" for comparison (docs/counting.md 7.1). Variable time
  // (public, post-mix data).
  void add_contest_var(const election::Contest& contest, std::span<const Selection> selections);

  // Writes RECORD/results.json (election_results with "ranked_alternatives") and
  // RECORD/results.html (the eligible voters from RECORD/roll.json). Throws TallyError on a
  // write failure.
  void write(const std::filesystem::path& record_dir,
             const election::ElectionContext& context) const;

 private:
  crypto::Bytes seed_;
  std::vector<Json> primary_, alternatives_;
  std::vector<ContestReport> reports_;
};

}  // namespace haal::tally
