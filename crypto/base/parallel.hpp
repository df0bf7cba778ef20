// The base layer's one parallel loop and its progress display (docs/verifier.md, "Independence":
// the base layer holds no protocol logic, so producers and the verifier both link it).
// Used by every long step: threshold decryption, cleansing, the mix-net and the verifier.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <iostream>
#include <mutex>
#include <ostream>
#include <string>

namespace haal::base {

// A thread-safe counter of finished items for one long step. On `out` (nullptr: silent) it
// prints "<label>: done/total (rate/s, ETA s)", refreshed at most twice a second and only once
// the step has run for `quiet_for` (shorter steps print nothing), and a final line
// "<label>: done/total (rate/s, took s)" from finish() or the destructor if a line was printed.
class Progress {
 public:
  Progress(std::string label, std::size_t total, std::ostream* out = &std::cerr,
           std::chrono::milliseconds quiet_for = std::chrono::seconds(1));
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Records `count` more finished items. Thread-safe.
  void advance(std::size_t count);
  // Prints the final line if a line was printed before. Idempotent; the destructor calls it.
  void finish();

 private:
  void print(std::size_t done, bool final_line);

  std::string label_;
  std::size_t total_;
  std::ostream* out_;
  std::chrono::milliseconds quiet_for_;
  std::atomic<std::size_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  std::mutex mutex_;
  bool printed_ = false;
  bool finished_ = false;
};

// Returns the number of threads a loop uses when asked for `requested` (0: the value set by
// set_worker_count, else the hardware concurrency; at least 1).
unsigned worker_count(unsigned requested = 0);
// Sets the default thread count of worker_count() (0 restores the hardware concurrency). For the
// command-line --threads options, benchmarks and tests.
void set_worker_count(unsigned threads);

// Calls body(begin, end) on consecutive blocks of at most `block` indices covering [0, count), on
// worker_count(threads) threads (the calling thread included), blocks handed out in increasing
// order. Advances `progress` by each finished block's size. If bodies throw, the blocks starting
// below the lowest failing one still run, later ones are skipped, and the exception of the
// lowest failing block is rethrown after every thread stopped: the error is deterministic
// whatever the scheduling (when a body handles its indices in order and stops at its first error,
// it is the error of the lowest failing index).
void parallel_for(std::size_t count, std::size_t block,
                  const std::function<void(std::size_t, std::size_t)>& body,
                  Progress* progress = nullptr, unsigned threads = 0);

// Calls body(i) for every i in [0, count): parallel_for with blocks of 16 indices, the same
// error rule (the exception of the lowest failing index is rethrown).
void parallel_for_each(std::size_t count, const std::function<void(std::size_t)>& body,
                       Progress* progress = nullptr, unsigned threads = 0);

}  // namespace haal::base
