// Old names of the base layer's parallel loop (crypto/base/parallel.hpp) in haal::mixnet, kept
// only for mixnet/mix_group*.cpp and mixnet/haal_bridge.cpp (edited concurrently by others); new
// code includes crypto/base/parallel.hpp. Remove this header when they switch.
#pragma once

#include "crypto/base/parallel.hpp"

namespace haal::mixnet {

using base::parallel_for;
using base::Progress;
using base::set_worker_count;
using base::worker_count;

}  // namespace haal::mixnet
