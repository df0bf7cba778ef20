#include "election/revoting.hpp"

#include <algorithm>
#include <map>

namespace haal::election {

std::vector<std::size_t> counted_ballots(std::span<const CastBallotEntry> cast,
                                         const std::set<crypto::Digest>& challenged) {
  std::map<std::string, std::size_t> latest;  // voter id -> index into cast
  for (std::size_t i = 0; i < cast.size(); ++i) {
    if (challenged.count(cast[i].tracking_hash) > 0) continue;
    const auto [it, inserted] = latest.emplace(cast[i].voter_id, i);
    if (inserted) continue;
    const CastBallotEntry& current = cast[it->second];
    if (std::pair(cast[i].sequence, cast[i].board_index) >
        std::pair(current.sequence, current.board_index)) {
      it->second = i;
    }
  }
  std::vector<std::size_t> out;
  for (const auto& [voter, index] : latest) out.push_back(index);
  std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    return cast[a].board_index < cast[b].board_index;
  });
  return out;
}

}  // namespace haal::election
