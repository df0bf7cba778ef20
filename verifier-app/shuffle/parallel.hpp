// Work splitting for the verifier's heavy loops and a progress line on stderr.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace haal::verifier::shuffle {

// Prints "label: done/total (rate/s, ETA s)" on stderr at most once a second, and a final line
// when total is reached. Thread-safe. Silent for totals below `quiet_below`.
class Progress {
 public:
  Progress(std::string label, std::size_t total, std::size_t quiet_below = 20000);
  ~Progress();
  void add(std::size_t n);

 private:
  void print(std::size_t done, bool final_line);
  std::string label_;
  std::size_t total_;
  bool quiet_;
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool finished_ = false;
};

// Returns the number of worker threads used (hardware concurrency, at least 1).
unsigned worker_count();

// Runs body(begin, end) over [0, n) in chunks of `chunk` on worker_count() threads. Rethrows
// the first exception a chunk threw (after all threads have stopped). Reports each finished
// chunk to `progress` if given.
void parallel_chunks(std::size_t n, std::size_t chunk,
                     const std::function<void(std::size_t, std::size_t)>& body,
                     Progress* progress = nullptr);

}  // namespace haal::verifier::shuffle
