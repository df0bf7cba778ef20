#include "tally/counting/tie_break.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "crypto/sha256.hpp"
#include "tally/counting/contest.hpp"

namespace haal::tally {

namespace {
constexpr std::string_view kTieBreakTag = "haal/tally/tie-break/v1";
}  // namespace

TieBreakOrder::TieBreakOrder(std::vector<std::uint32_t> order) : order_(std::move(order)) {
  position_.resize(order_.size());
  for (std::uint32_t i = 0; i < order_.size(); ++i) position_[order_[i]] = i;
}

TieBreakOrder TieBreakOrder::from_seed_var(crypto::ByteView seed, std::string_view contest_id,
                                           std::uint32_t option_count) {
  if (option_count > kMaxOptions) throw std::invalid_argument("tie-break: too many options");
  crypto::Bytes prefix;
  crypto::append_length_prefixed(prefix, crypto::to_bytes(kTieBreakTag));
  crypto::append_length_prefixed(prefix, seed);
  crypto::append_length_prefixed(prefix, crypto::to_bytes(contest_id));
  std::vector<std::pair<crypto::Digest, std::uint32_t>> keyed;
  keyed.reserve(option_count);
  for (std::uint32_t option = 0; option < option_count; ++option) {
    crypto::Bytes input = prefix;
    crypto::append_u32_be(input, option);
    keyed.emplace_back(crypto::sha256(input), option);
  }
  // Pairs compare digest first, then index: a (never observed) digest collision stays ordered.
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::uint32_t> order;
  order.reserve(option_count);
  for (const auto& entry : keyed) order.push_back(entry.second);
  return TieBreakOrder(std::move(order));
}

}  // namespace haal::tally
