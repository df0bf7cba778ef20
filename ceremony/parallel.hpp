// Data-parallel loops over all cores with a progress counter on stderr, for the tally's
// threshold decryption of up to a million ciphertexts.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace haal::ceremony {

// A thread-safe counter that prints "<label>: done/total (rate/s, ETA s)" to `out` at most
// twice a second, and a final line on finish(). Silent when `out` is nullptr.
class Progress {
 public:
  Progress(std::string label, std::size_t total, std::ostream* out);
  // Adds `count` finished items (thread-safe).
  void advance(std::size_t count);
  // Prints the final line (once).
  void finish();

 private:
  void print(bool final);

  std::string label_;
  std::size_t total_;
  std::ostream* out_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  std::mutex mutex_;
  bool finished_ = false;
};

// Runs body(i) for every i in [0, count) on `threads` threads (0: all hardware threads), in
// blocks handed out by an atomic counter. If bodies throw, rethrows the exception of the lowest
// failing index (deterministic; later blocks are skipped). Advances `progress` when given.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                  Progress* progress = nullptr, unsigned threads = 0);

}  // namespace haal::ceremony
