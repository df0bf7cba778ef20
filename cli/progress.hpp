// The progress callback of election::issue_credentials and election::authority_issue
// (done, total), shown by the base layer's progress line (crypto/base/parallel.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>

#include "crypto/base/parallel.hpp"

namespace haal::cli {

class IssueProgress {
 public:
  // Shows "<label>: done/total (rate/s, ETA s)" on stderr for runs longer than a second.
  explicit IssueProgress(std::string label) : label_(std::move(label)) {}
  // Records that `done` of `total` items are issued. Precondition: called with non-decreasing
  // `done` and the same `total`, from one thread at a time (the issuers call it in order).
  void operator()(std::size_t done, std::size_t total) {
    if (!progress_) progress_.emplace(label_, total);
    progress_->advance(done - reported_);
    reported_ = done;
  }

 private:
  std::string label_;
  std::optional<base::Progress> progress_;
  std::size_t reported_ = 0;
};

}  // namespace haal::cli
