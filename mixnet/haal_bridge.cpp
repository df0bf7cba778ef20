#include "mixnet/haal_bridge.hpp"

#include "crypto/base/parallel.hpp"

namespace haal::mixnet {

CiphertextList to_mix_list(const crypto::Group& group,
                           const std::vector<crypto::CiphertextVector>& ballots,
                           std::size_t width) {
  CiphertextList list(group, width, ballots.size());
  for (std::size_t i = 0; i < ballots.size(); ++i) {
    if (ballots[i].size() != width) {
      throw std::invalid_argument("ballot " + std::to_string(i) + " has width " +
                                  std::to_string(ballots[i].size()) + ", expected " +
                                  std::to_string(width));
    }
  }
  base::parallel_for(ballots.size(), 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t k = 0; k < width; ++k) {
        list.u[k].set(i, group.to_compact_var(ballots[i][k].alpha));
        list.v[k].set(i, group.to_compact_var(ballots[i][k].beta));
      }
    }
  });
  return list;
}

std::vector<crypto::CiphertextVector> to_haal_list(const crypto::Group& group,
                                                   const CiphertextList& list) {
  std::vector<crypto::CiphertextVector> out(list.size());
  base::parallel_for(list.size(), 1024, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      out[i].resize(list.width);
      for (std::size_t k = 0; k < list.width; ++k) {
        out[i][k].alpha = group.from_compact_var(list.u[k].view(i));
        out[i][k].beta = group.from_compact_var(list.v[k].view(i));
      }
    }
  });
  return out;
}

}  // namespace haal::mixnet
