// A progress line on stderr for long issuing runs: counter, rate and ETA, at most four times a
// second (and always at the end).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace haal::cli {

class IssueProgress {
 public:
  // Prints "issued DONE/TOTAL credentials (R/s, ETA Ss)" unless printed less than 250 ms ago.
  void operator()(std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0;
    std::fprintf(stderr, "\rissued %zu/%zu credentials (%.0f/s, ETA %.0fs)   ", done, total, rate,
                 eta);
    if (done == total) std::fprintf(stderr, "\n");
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace haal::cli
