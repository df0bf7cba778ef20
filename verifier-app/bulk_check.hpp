// One check applied to many items (ballots, leaves, files): a single PASS line when every item
// passes, otherwise one FAIL line per failing item (the first `max_listed`, by item index) and a
// count of the rest, so a million-ballot report stays readable.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "verifier-app/report.hpp"

namespace haal::verifier {

class BulkCheck {
 public:
  BulkCheck(Report& report, Stage stage, std::string check, std::size_t max_listed = 50);
  BulkCheck(const BulkCheck&) = delete;
  BulkCheck& operator=(const BulkCheck&) = delete;

  // Records that item `index` failed at `location` for `reason`. Thread-safe.
  void fail(std::size_t index, std::string location, std::string reason);
  std::size_t failures() const;
  // Emits the results: PASS "<check> (<items> <noun>)" at `location` when nothing failed.
  void finish(std::size_t items, const std::string& noun, const std::string& location);

 private:
  struct Failure {
    std::size_t index;
    std::string location;
    std::string reason;
  };
  Report& report_;
  Stage stage_;
  std::string check_;
  std::size_t max_listed_;
  mutable std::mutex mutex_;
  std::vector<Failure> failures_;
};

}  // namespace haal::verifier
