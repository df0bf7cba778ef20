// Work splitting over all cores (std::thread) and a progress line with rate and ETA on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace haal::crypto {

// Number of worker threads of the batch operations (hardware concurrency, at least 1).
unsigned worker_count();
// Overrides worker_count() (0 restores the default). For benchmarks and tests.
void set_worker_count(unsigned threads);

// Progress of one long step: "<label>: done/total (rate/s, ETA s)" on stderr, refreshed at most
// twice a second and only once the step has run for a second (short steps stay silent).
class Progress {
 public:
  Progress(std::string label, std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Thread-safe: records `n` more units done.
  void advance(std::size_t n);

 private:
  void print(std::size_t done, bool final);
  std::string label_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  bool printed_ = false;
  std::mutex mutex_;
};

// With HAAL_MIXNET_TIMING set in the environment, prints "<label>: wall s, cpu s" on stderr when
// destroyed (for profiling the steps of a proof).
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

// Globally enables or disables progress output (enabled by default).
void set_progress_enabled(bool enabled);

// Calls body(begin, end) on disjoint blocks covering [0, n), on worker_count() threads.
// `block` is the unit of work stealing; progress (if any) advances per finished block.
// The first exception thrown by a body is rethrown after all threads stop.
void parallel_for(std::size_t n, std::size_t block,
                  const std::function<void(std::size_t, std::size_t)>& body,
                  Progress* progress = nullptr);

}  // namespace haal::crypto
