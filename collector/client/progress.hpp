// A progress line on stderr for long-running client work: "<what> done/total, rate/s, ETA".
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace haal::collector {

class ProgressMeter {
 public:
  // Prints about once a second while alive (if `enabled`), and a final line on finish().
  ProgressMeter(std::string what, std::size_t total, bool enabled);
  ~ProgressMeter();
  void add(std::size_t n = 1) { done_.fetch_add(n, std::memory_order_relaxed); }
  // Stops the meter and prints the final line (idempotent).
  void finish();

 private:
  void print(bool final_line);

  std::string what_;
  std::size_t total_;
  bool enabled_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace haal::collector
