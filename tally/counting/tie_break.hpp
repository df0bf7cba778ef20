// The published tie-break order: a permutation of a contest's options fixed by a public seed, used
// when the counting rules themselves cannot separate options (docs/counting.md, "Tie-break order").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"

namespace haal::tally {

// Options from most favoured (position 0) to least favoured. An IRV elimination tie removes the
// least favoured tied option; a Schulze tie is ordered by it in the full ranking.
class TieBreakOrder {
 public:
  // Derives the order for `option_count` options of contest `contest_id` from `seed`:
  // options sorted by SHA-256(lp(tag) || lp(seed) || lp(contest_id) || u32be(index)) ascending,
  // tag = "haal/tally/tie-break/v1", lp = u32 big-endian length prefix. Variable time (public
  // data). Precondition: option_count <= kMaxOptions.
  static TieBreakOrder from_seed_var(crypto::ByteView seed, std::string_view contest_id,
                                     std::uint32_t option_count);

  // Returns the order, most favoured first.
  const std::vector<std::uint32_t>& order() const { return order_; }
  // Returns the position of `option` in the order (0 = most favoured). Precondition: option < size.
  std::uint32_t position(std::uint32_t option) const { return position_.at(option); }

 private:
  explicit TieBreakOrder(std::vector<std::uint32_t> order);
  std::vector<std::uint32_t> order_;
  std::vector<std::uint32_t> position_;
};

}  // namespace haal::tally
