// Old names of the base layer's parallel loop (crypto/base/parallel.hpp), kept only for
// tally/tally_cleanse.cpp; new code includes crypto/base/parallel.hpp. Remove this header when
// that file switches to base::parallel_for_each.
#pragma once

#include "crypto/base/parallel.hpp"

namespace haal::ceremony {

using base::Progress;

// Returns base::parallel_for_each(count, body, progress, threads).
inline void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                         Progress* progress = nullptr, unsigned threads = 0) {
  base::parallel_for_each(count, body, progress, threads);
}

}  // namespace haal::ceremony
