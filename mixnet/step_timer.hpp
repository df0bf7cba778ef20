// Wall and CPU time of one step of a shuffle proof, for profiling (docs/mixnet.md).
#pragma once

#include <chrono>
#include <string>

namespace haal::mixnet {

// With HAAL_MIXNET_TIMING set in the environment, prints "[timing] <label>: wall s, cpu s" on
// stderr when destroyed; silent otherwise.
class StepTimer {
 public:
  explicit StepTimer(std::string label);
  ~StepTimer();
  StepTimer(const StepTimer&) = delete;
  StepTimer& operator=(const StepTimer&) = delete;

 private:
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  double cpu_start_;
};

}  // namespace haal::mixnet
