#include "collector/client/progress.hpp"

#include <cstdio>

namespace haal::collector {

ProgressMeter::ProgressMeter(std::string what, std::size_t total, bool enabled)
    : what_(std::move(what)), total_(total), enabled_(enabled) {
  if (!enabled_) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
      print(false);
    }
  });
}

ProgressMeter::~ProgressMeter() {
  finish();
}

void ProgressMeter::finish() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (enabled_) print(true);
}

void ProgressMeter::print(bool final_line) {
  const std::size_t done = done_.load(std::memory_order_relaxed);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = done / std::max(seconds, 1e-9);
  if (final_line) {
    std::fprintf(stderr, "%s: %zu/%zu in %.1f s (%.0f/s)\n", what_.c_str(), done, total_, seconds,
                 rate);
  } else {
    const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
    std::fprintf(stderr, "%s: %zu/%zu, %.0f/s, ETA %.1f s\n", what_.c_str(), done, total_, rate,
                 eta);
  }
}

}  // namespace haal::collector
