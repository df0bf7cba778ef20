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
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::atomic<std::size_t> next{0};
  // Lowest index whose body threw. Blocks are handed out in increasing order and every block
  // starting below this index is still run, so the exception rethrown is always the one of
  // the lowest failing index: errors are deterministic whatever the scheduling.
  std::atomic<std::size_t> failed_index{kNone};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (;;) {
      const std::size_t begin = next.fetch_add(kBlock);
      if (begin >= count || begin >= failed_index.load()) return;
      const std::size_t end = std::min(count, begin + kBlock);
      for (std::size_t i = begin; i < end; ++i) {
        try {
          body(i);
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (i < failed_index.load()) {
            error = std::current_exception();
            failed_index = i;
          }
          break;
        }
      }
      if (progress != nullptr) progress->advance(end - begin);
    }
  };
  const std::size_t blocks = (count + kBlock - 1) / kBlock;
  const unsigned n = static_cast<unsigned>(std::min<std::size_t>(threads, blocks));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace haal::ceremony
