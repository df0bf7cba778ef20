// Old names of the base layer's parallel loop (crypto/base/parallel.hpp), kept only for
// verifier-app/stage_ballots.cpp, receipt_check.cpp and shuffle/vmn_group.cpp (edited concurrently
// by others); new code includes crypto/base/parallel.hpp. Remove this header when they switch.
#pragma once

#include <ostream>
#include <string>
#include <utility>

#include "crypto/base/parallel.hpp"

namespace haal::verifier {

// base::Progress with the verifier's old argument order.
class ProgressMeter : public base::Progress {
 public:
  ProgressMeter(std::ostream* out, std::string label, std::size_t total)
      : base::Progress(std::move(label), total, out) {}
};

// Returns base::worker_count(requested).
inline unsigned effective_threads(unsigned requested) {
  return base::worker_count(requested);
}

// Returns base::parallel_for(n, chunk, body, progress, threads).
inline void parallel_chunks(std::size_t n, std::size_t chunk, unsigned threads,
                            const std::function<void(std::size_t, std::size_t)>& body,
                            base::Progress* progress = nullptr) {
  base::parallel_for(n, chunk, body, progress, threads);
}

}  // namespace haal::verifier
