// Counters and a latency histogram for GET /metrics, in the Prometheus text exposition format
// (version 0.0.4). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace haal::collector {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kLatencyBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};

  // Counts an accepted entry of `kind` (ballot, challenge, poll-open, poll-close).
  void count_accepted(const std::string& kind);
  // Counts a rejected request of `kind` with rejection code `reason`.
  void count_rejected(const std::string& kind, const std::string& reason);
  // Records the latency of one POST /api/ballots or /api/challenges request.
  void observe_latency(const std::string& route, double seconds);

  std::uint64_t accepted(const std::string& kind) const;
  std::uint64_t rejected(const std::string& kind, const std::string& reason) const;

  // Returns the metrics text; `gauges` are appended as "name value" lines (name includes labels).
  std::string render(const std::map<std::string, double>& gauges) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> accepted_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> rejected_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace haal::collector
