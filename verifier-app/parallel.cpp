#include "verifier-app/parallel.hpp"

#include <algorithm>
#include <exception>
#include <iomanip>
#include <thread>
#include <vector>

namespace haal::verifier {

ProgressMeter::ProgressMeter(std::ostream* out, std::string label, std::size_t total,
                             std::size_t quiet_below)
    : out_(total < quiet_below ? nullptr : out),
      label_(std::move(label)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressMeter::~ProgressMeter() { finish(); }

void ProgressMeter::add(std::size_t n) {
  const std::size_t done = done_.fetch_add(n) + n;
  if (out_ == nullptr) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (finished_ || now - last_ < std::chrono::milliseconds(500)) return;
  last_ = now;
  print(done, false);
}

void ProgressMeter::finish() {
  if (out_ == nullptr) return;
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  print(done_.load(), true);
}

void ProgressMeter::print(std::size_t done, bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  *out_ << "\r" << label_ << ": " << done << "/" << total_ << " (" << std::fixed
        << std::setprecision(0) << rate << "/s";
  if (final_line) {
    *out_ << ", " << std::setprecision(1) << elapsed << " s)\n";
  } else {
    const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
    *out_ << ", ETA " << std::setprecision(0) << eta << " s)   " << std::flush;
  }
}

unsigned effective_threads(unsigned requested) {
  if (requested != 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void parallel_chunks(std::size_t n, std::size_t chunk, unsigned threads,
                     const std::function<void(std::size_t, std::size_t)>& body,
                     ProgressMeter* progress) {
  if (n == 0) return;
  chunk = std::max<std::size_t>(chunk, 1);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<bool> stop{false};
  auto worker = [&] {
    while (!stop.load()) {
      const std::size_t begin = next.fetch_add(chunk);
      if (begin >= n) return;
      const std::size_t end = std::min(n, begin + chunk);
      try {
        body(begin, end);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        stop = true;
        return;
      }
      if (progress != nullptr) progress->add(end - begin);
    }
  };
  const std::size_t chunks = (n + chunk - 1) / chunk;
  const unsigned count = static_cast<unsigned>(std::min<std::size_t>(threads, chunks));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < count; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace haal::verifier
