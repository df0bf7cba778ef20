#include "crypto/parallel.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <thread>
#include <vector>

namespace haal::crypto {

namespace {
std::atomic<unsigned> g_threads{0};
std::atomic<bool> g_progress{true};
}  // namespace

unsigned worker_count() {
  const unsigned forced = g_threads.load();
  if (forced != 0) return forced;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

void set_worker_count(unsigned threads) {
  g_threads.store(threads);
}
namespace {
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
}  // namespace

StepTimer::StepTimer(std::string label)
    : label_(std::move(label)),
      start_(std::chrono::steady_clock::now()),
      cpu_start_(process_cpu_seconds()) {}

StepTimer::~StepTimer() {
  if (std::getenv("HAAL_MIXNET_TIMING") == nullptr) return;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "[timing] %s: %.2f s wall, %.2f s cpu\n", label_.c_str(), wall,
               process_cpu_seconds() - cpu_start_);
}

void set_progress_enabled(bool enabled) {
  g_progress.store(enabled);
}

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)), total_(total), start_(std::chrono::steady_clock::now()) {
  last_print_ = start_;
}

Progress::~Progress() {
  if (printed_) print(done_.load(), true);
}

void Progress::advance(std::size_t n) {
  const std::size_t done = done_.fetch_add(n) + n;
  if (!g_progress.load()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1)) return;
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  if (printed_ && now - last_print_ < std::chrono::milliseconds(500)) return;
  last_print_ = now;
  print(done, false);
}

void Progress::print(std::size_t done, bool final) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0.0;
  std::fprintf(stderr, "\r%s: %zu/%zu (%.0f/s, %s %.1f s)%s", label_.c_str(), done, total_, rate,
               final ? "took" : "ETA", final ? elapsed : eta, final ? "\n" : "   ");
  std::fflush(stderr);
  printed_ = true;
}

void parallel_for(std::size_t n, std::size_t block,
                  const std::function<void(std::size_t, std::size_t)>& body, Progress* progress) {
  if (n == 0) return;
  if (block == 0) block = 1;
  const std::size_t blocks = (n + block - 1) / block;
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(worker_count(), blocks));
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&]() {
    for (;;) {
      const std::size_t b = next.fetch_add(1);
      if (b >= blocks) return;
      const std::size_t begin = b * block;
      const std::size_t end = std::min(n, begin + block);
      try {
        body(begin, end);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next.store(blocks);
        return;
      }
      if (progress != nullptr) progress->advance(end - begin);
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace haal::crypto
