#include "verifier-app/shuffle/parallel.hpp"

#include <exception>
#include <iostream>
#include <thread>
#include <vector>

namespace haal::verifier::shuffle {

Progress::Progress(std::string label, std::size_t total, std::size_t quiet_below)
    : label_(std::move(label)),
      total_(total),
      quiet_(total < quiet_below),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (!quiet_ && !finished_) print(done_.load(), true);
}

void Progress::add(std::size_t n) {
  const std::size_t done = done_ += n;
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (done >= total_ && !finished_) {  // total reached: the final line
    finished_ = true;
    print(done, true);
  } else if (now - last_ >= std::chrono::seconds(1)) {
    last_ = now;
    print(done, false);
  }
}

void Progress::print(std::size_t done, bool final_line) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::cerr << label_ << ": " << done << "/" << total_ << " (" << static_cast<long>(rate) << "/s";
  if (final_line) {
    std::cerr << ", " << static_cast<long>(seconds * 10) / 10.0 << " s)\n";
  } else {
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    std::cerr << ", ETA " << static_cast<long>(eta) << " s)\n";
  }
}

unsigned worker_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

void parallel_chunks(std::size_t n, std::size_t chunk,
                     const std::function<void(std::size_t, std::size_t)>& body,
                     Progress* progress) {
  if (n == 0) return;
  if (chunk == 0) chunk = 1;
  const std::size_t chunks = (n + chunk - 1) / chunk;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  const auto worker = [&] {
    for (;;) {
      const std::size_t c = next++;
      if (c >= chunks || stop) return;
      const std::size_t begin = c * chunk;
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
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(worker_count(), chunks));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace haal::verifier::shuffle
