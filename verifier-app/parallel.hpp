// Parallel loops over large lists (ballots, leaves) and a progress line on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace haal::verifier {

// Prints "label: done/total (rate/s, ETA s)" on `out` at most twice a second and a final line
// when finished. Thread-safe. Silent when `out` is null or total < quiet_below.
class ProgressMeter {
 public:
  ProgressMeter(std::ostream* out, std::string label, std::size_t total,
                std::size_t quiet_below = 10000);
  ~ProgressMeter();
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;
  // Counts n more items done.
  void add(std::size_t n);
  // Prints the final line (idempotent; also done by the destructor).
  void finish();

 private:
  void print(std::size_t done, bool final_line);
  std::ostream* out_;
  std::string label_;
  std::size_t total_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool finished_ = false;
};

// Returns `requested` if non-zero, else the hardware concurrency (at least 1).
unsigned effective_threads(unsigned requested);

// Runs body(begin, end) over [0, n) in chunks of at most `chunk` items on `threads` threads
// (the calling thread included). Rethrows the first exception a chunk threw, after every
// thread stopped. Adds each finished chunk's size to `progress` when given.
void parallel_chunks(std::size_t n, std::size_t chunk, unsigned threads,
                     const std::function<void(std::size_t, std::size_t)>& body,
                     ProgressMeter* progress = nullptr);

}  // namespace haal::verifier
