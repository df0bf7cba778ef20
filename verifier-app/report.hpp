// The verifier's report: one line per check, grouped by stage, each PASS or FAIL with the reason
// and the exact file/field/index concerned; a summary; a machine-readable JSON form.
#pragma once

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace haal::verifier {

// The eight stages, in the order they run (docs/verifier.md).
enum class Stage {
  kParameters = 1,
  kCeremony = 2,
  kBoard = 3,
  kBallots = 4,
  kCleansing = 5,
  kMixing = 6,
  kDecryption = 7,
  kCounting = 8,
};

// Returns the stage's printed name, e.g. "3. roll and board".
std::string stage_name(Stage stage);

struct CheckResult {
  Stage stage;
  std::string check;  // what was checked, e.g. "Merkle root equals the final tree head"
  bool passed = false;
  std::string location;  // file, field, index: "board/entries.jsonl line 17 .payload.signature"
  std::string reason;    // why it failed (empty when passed)
};

// Collects results; thread-safe. Prints each result as it arrives when `live` is given (only
// the failures, each under its stage's header, when `failures_only`).
class Report {
 public:
  explicit Report(std::ostream* live = nullptr, bool failures_only = false)
      : live_(live), failures_only_(failures_only) {}
  // Moves the results (tests return reports from helpers). Not thread-safe against `other`.
  Report(Report&& other) noexcept;

  void pass(Stage stage, std::string check, std::string location = {});
  void fail(Stage stage, std::string check, std::string location, std::string reason);
  // Records a figure for observers that is not a check (it neither passes nor fails), e.g. how
  // many voters replaced their ballot just before the close; printed as `NOTE <text>` (not
  // under --quiet) and listed under "notes" in the JSON report.
  void note(Stage stage, std::string text);
  // Records how long a stage took (printed in the summary).
  void stage_seconds(Stage stage, double seconds);

  std::size_t passed() const;
  std::size_t failed() const;
  bool ok() const { return failed() == 0; }
  std::vector<CheckResult> results() const;
  // Returns whether any failed check of `stage` mentions `needle` in its check name, location or
  // reason (used by the tamper tests to assert the right check failed).
  bool failed_with(Stage stage, std::string_view needle) const;

  // The summary line: "haal-verify: N checks passed, M failed", after the per-stage seconds
  // unless `failures_only`.
  void print_summary(std::ostream& out) const;
  nlohmann::json to_json() const;

 private:
  void add(CheckResult result);
  std::ostream* live_;
  bool failures_only_ = false;
  mutable std::mutex mutex_;
  std::vector<CheckResult> results_;
  std::vector<std::pair<Stage, std::string>> notes_;
  std::vector<std::pair<Stage, double>> seconds_;
  Stage last_printed_stage_ = static_cast<Stage>(0);
};

}  // namespace haal::verifier
