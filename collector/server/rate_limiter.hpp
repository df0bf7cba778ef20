// Token-bucket rate limits keyed by a string (client IP, voter credential): each key may make
// `burst` requests at once and `rate_per_second` on average. Thread-safe. Memory is bounded:
// beyond `max_keys` keys, buckets that have refilled completely are forgotten (they carry no
// information), and if none has, the limiter refuses unknown keys until some do.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace haal::collector {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // rate_per_second <= 0 disables the limiter (allow() always returns true).
  RateLimiter(double rate_per_second, double burst, std::size_t max_keys = 1'000'000);

  // Returns true and takes a token iff `key` has one at time `now`.
  bool allow(const std::string& key, Clock::time_point now = Clock::now());

  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void prune(Clock::time_point now);

  const double rate_;
  const double burst_;
  const std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace haal::collector
