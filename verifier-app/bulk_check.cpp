#include "verifier-app/bulk_check.hpp"

#include <algorithm>

namespace haal::verifier {

BulkCheck::BulkCheck(Report& report, Stage stage, std::string check, std::size_t max_listed)
    : report_(report), stage_(stage), check_(std::move(check)), max_listed_(max_listed) {}

void BulkCheck::fail(std::size_t index, std::string location, std::string reason) {
  std::lock_guard lock(mutex_);
  failures_.push_back(Failure{index, std::move(location), std::move(reason)});
}

std::size_t BulkCheck::failures() const {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

void BulkCheck::finish(std::size_t items, const std::string& noun, const std::string& location) {
  std::lock_guard lock(mutex_);
  if (failures_.empty()) {
    report_.pass(stage_, check_ + " (" + std::to_string(items) + " " + noun + ")", location);
    return;
  }
  std::stable_sort(failures_.begin(), failures_.end(),
                   [](const Failure& a, const Failure& b) { return a.index < b.index; });
  const std::size_t listed = std::min(max_listed_, failures_.size());
  for (std::size_t i = 0; i < listed; ++i) {
    report_.fail(stage_, check_, failures_[i].location, failures_[i].reason);
  }
  if (failures_.size() > listed) {
    report_.fail(stage_, check_, location,
                 std::to_string(failures_.size() - listed) + " more of " + std::to_string(items) +
                     " " + noun + " fail this check (not listed)");
  }
  failures_.clear();
}

}  // namespace haal::verifier
