#include "crypto/base/parallel.hpp"

#include <algorithm>
#include <exception>
#include <iomanip>
#include <thread>
#include <vector>

namespace haal::base {

namespace {
std::atomic<unsigned> g_default_threads{0};
}  // namespace

Progress::Progress(std::string label, std::size_t total, std::ostream* out,
                   std::chrono::milliseconds quiet_for)
    : label_(std::move(label)),
      total_(total),
      out_(out),
      quiet_for_(quiet_for),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

Progress::~Progress() {
  finish();
}

void Progress::advance(std::size_t count) {
  const std::size_t done = done_.fetch_add(count) + count;
  if (out_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < quiet_for_) return;
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock() || finished_) return;
  if (printed_ && now - last_print_ < std::chrono::milliseconds(500)) return;
  last_print_ = now;
  print(done, false);
}

void Progress::finish() {
  if (out_ == nullptr) return;
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (printed_) print(done_.load(), true);
}

void Progress::print(std::size_t done, bool final_line) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  *out_ << "\r" << label_ << ": " << done << "/" << total_ << " (" << std::fixed
        << std::setprecision(0) << rate << "/s, ";
  if (final_line) {
    *out_ << "took " << std::setprecision(1) << seconds << " s)\n" << std::flush;
  } else {
    const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
    *out_ << "ETA " << std::setprecision(0) << eta << " s)   " << std::flush;
  }
  printed_ = true;
}

unsigned worker_count(unsigned requested) {
  if (requested != 0) return requested;
  const unsigned forced = g_default_threads.load();
  if (forced != 0) return forced;
  return std::max(1u, std::thread::hardware_concurrency());
}

void set_worker_count(unsigned threads) {
  g_default_threads.store(threads);
}

void parallel_for(std::size_t count, std::size_t block,
                  const std::function<void(std::size_t, std::size_t)>& body, Progress* progress,
                  unsigned threads) {
  if (count == 0) return;
  block = std::max<std::size_t>(block, 1);
  const std::size_t blocks = (count + block - 1) / block;
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::atomic<std::size_t> next{0};
  // Lowest block whose body threw. Blocks are handed out in increasing order and every block
  // below this one still runs, so the exception kept is always the lowest block's.
  std::atomic<std::size_t> failed_block{kNone};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (;;) {
      const std::size_t b = next.fetch_add(1);
      if (b >= blocks || b >= failed_block.load()) return;
      const std::size_t begin = b * block;
      const std::size_t end = std::min(count, begin + block);
      try {
        body(begin, end);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (b < failed_block.load()) {
          error = std::current_exception();
          failed_block = b;
        }
        continue;
      }
      if (progress != nullptr) progress->advance(end - begin);
    }
  };
  const auto n = static_cast<unsigned>(std::min<std::size_t>(worker_count(threads), blocks));
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

void parallel_for_each(std::size_t count, const std::function<void(std::size_t)>& body,
                       Progress* progress, unsigned threads) {
  parallel_for(
      count, 16,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) body(i);
      },
      progress, threads);
}

}  // namespace haal::base
