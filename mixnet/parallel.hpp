// The mix-net's work splitting and progress lines are crypto/'s (crypto/parallel.hpp), which the
// group layer's batch operations use; imported here under the mix-net's namespace.
#pragma once

#include "crypto/parallel.hpp"

namespace haal::mixnet {

using crypto::parallel_for;
using crypto::Progress;
using crypto::set_progress_enabled;
using crypto::set_worker_count;
using crypto::StepTimer;
using crypto::worker_count;

}  // namespace haal::mixnet
