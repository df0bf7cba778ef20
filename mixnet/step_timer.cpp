#include "mixnet/step_timer.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace haal::mixnet {

namespace {
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

StepTimer::StepTimer(std::string label)
    : label_(std::move(label)),
      start_(std::chrono::steady_clock::now()),
      cpu_start_(process_cpu_seconds()) {}

StepTimer::~StepTimer() {
  if (std::getenv("HAAL_MIXNET_TIMING") == nullptr) return;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "[timing] %s: %.2f s wall, %.2f s cpu\n", label_.c_str(), wall,
               process_cpu_seconds() - cpu_start_);
}

}  // namespace haal::mixnet
