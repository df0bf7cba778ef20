#include "ceremony/parallel.hpp"

#include <algorithm>
#include <exception>
#include <iomanip>
#include <thread>
#include <vector>

namespace haal::ceremony {

Progress::Progress(std::string label, std::size_t total, std::ostream* out)
    : label_(std::move(label)),
      total_(total),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

void Progress::advance(std::size_t count) {
  done_ += count;
  if (out_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_print_ < std::chrono::milliseconds(500)) return;
  last_print_ = now;
  print(false);
}

void Progress::finish() {
  if (out_ == nullptr) return;
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  print(true);
}

void Progress::print(bool final) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::size_t done = done_.load();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  *out_ << "\r" << label_ << ": " << done << "/" << total_ << " (" << std::fixed
        << std::setprecision(0) << rate << "/s";
  if (final) {
    *out_ << ", " << std::setprecision(1) << seconds << " s)\n";
  } else {
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    *out_ << ", ETA " << std::setprecision(0) << eta << " s)   " << std::flush;
  }
}

void parallel_for(std::size_t count, const std::function<void(std::size_t)>& body,
                  Progress* progress, unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr std::size_t kBlock = 16;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (!failed.load()) {
      const std::size_t begin = next.fetch_add(kBlock);
      if (begin >= count) return;
      const std::size_t end = std::min(count, begin + kBlock);
      try {
        for (std::size_t i = begin; i < end; ++i) body(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
      if (progress != nullptr) progress->advance(end - begin);
    }
  };
  const unsigned n =
      static_cast<unsigned>(std::min<std::size_t>(threads, (count + kBlock - 1) / kBlock));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace haal::ceremony
