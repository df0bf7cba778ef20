#include "collector/server/metrics.hpp"

#include <sstream>

namespace haal::collector {

void Metrics::count_accepted(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++accepted_[kind];
}

void Metrics::count_rejected(const std::string& kind, const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++rejected_[{kind, reason}];
}

void Metrics::observe_latency(const std::string& route, double seconds) {
  std::lock_guard lock(mutex_);
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::uint64_t Metrics::accepted(const std::string& kind) const {
  std::lock_guard lock(mutex_);
  const auto it = accepted_.find(kind);
  return it == accepted_.end() ? 0 : it->second;
}

std::uint64_t Metrics::rejected(const std::string& kind, const std::string& reason) const {
  std::lock_guard lock(mutex_);
  const auto it = rejected_.find({kind, reason});
  return it == rejected_.end() ? 0 : it->second;
}

std::string Metrics::render(const std::map<std::string, double>& gauges) const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP haal_collector_accepted_total Entries appended to the board, by kind.\n"
         "# TYPE haal_collector_accepted_total counter\n";
  for (const auto& [kind, n] : accepted_) {
    out << "haal_collector_accepted_total{kind=\"" << kind << "\"} " << n << "\n";
  }
  out << "# HELP haal_collector_rejected_total Rejected submissions, by kind and reason.\n"
         "# TYPE haal_collector_rejected_total counter\n";
  for (const auto& [key, n] : rejected_) {
    out << "haal_collector_rejected_total{kind=\"" << key.first << "\",reason=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP haal_collector_request_seconds Latency of submissions until the reply.\n"
         "# TYPE haal_collector_request_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      out << "haal_collector_request_seconds_bucket{route=\"" << route << "\",le=\""
          << kLatencyBuckets[i] << "\"} " << h.buckets[i] << "\n";
    }
    out << "haal_collector_request_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << h.count << "\n";
    out << "haal_collector_request_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "haal_collector_request_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  for (const auto& [name, value] : gauges) {
    const std::string base = name.substr(0, name.find('{'));
    out << "# TYPE " << base << " gauge\n" << name << " " << value << "\n";
  }
  return out.str();
}

}  // namespace haal::collector
