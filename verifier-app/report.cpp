#include "verifier-app/report.hpp"

#include <algorithm>
#include <iomanip>

namespace haal::verifier {

std::string stage_name(Stage stage) {
  switch (stage) {
    case Stage::kParameters:
      return "1. parameters";
    case Stage::kCeremony:
      return "2. key ceremony";
    case Stage::kBoard:
      return "3. roll and board";
    case Stage::kBallots:
      return "4. ballots";
    case Stage::kCleansing:
      return "5. cleansing";
    case Stage::kMixing:
      return "6. mixing";
    case Stage::kDecryption:
      return "7. decryption";
    case Stage::kCounting:
      return "8. counting";
  }
  return "unknown stage";
}

Report::Report(Report&& other) noexcept
    : live_(other.live_),
      failures_only_(other.failures_only_),
      results_(std::move(other.results_)),
      notes_(std::move(other.notes_)),
      seconds_(std::move(other.seconds_)),
      last_printed_stage_(other.last_printed_stage_) {}

void Report::pass(Stage stage, std::string check, std::string location) {
  add(CheckResult{stage, std::move(check), true, std::move(location), {}});
}

void Report::fail(Stage stage, std::string check, std::string location, std::string reason) {
  add(CheckResult{stage, std::move(check), false, std::move(location), std::move(reason)});
}

void Report::add(CheckResult result) {
  std::lock_guard lock(mutex_);
  if (live_ != nullptr && !(failures_only_ && result.passed)) {
    if (result.stage != last_printed_stage_) {
      *live_ << "== " << stage_name(result.stage) << "\n";
      last_printed_stage_ = result.stage;
    }
    *live_ << (result.passed ? "PASS " : "FAIL ") << result.check;
    if (!result.location.empty()) *live_ << " [" << result.location << "]";
    if (!result.passed) *live_ << ": " << result.reason;
    *live_ << "\n";
  }
  results_.push_back(std::move(result));
}

void Report::note(Stage stage, std::string text) {
  std::lock_guard lock(mutex_);
  if (live_ != nullptr && !failures_only_) {
    if (stage != last_printed_stage_) {
      *live_ << "== " << stage_name(stage) << "\n";
      last_printed_stage_ = stage;
    }
    *live_ << "NOTE " << text << "\n";
  }
  notes_.emplace_back(stage, std::move(text));
}

void Report::stage_seconds(Stage stage, double seconds) {
  std::lock_guard lock(mutex_);
  seconds_.emplace_back(stage, seconds);
}

std::size_t Report::passed() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(results_.begin(), results_.end(), [](const auto& r) { return r.passed; }));
}

std::size_t Report::failed() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(results_.begin(), results_.end(), [](const auto& r) { return !r.passed; }));
}

std::vector<CheckResult> Report::results() const {
  std::lock_guard lock(mutex_);
  return results_;
}

bool Report::failed_with(Stage stage, std::string_view needle) const {
  std::lock_guard lock(mutex_);
  return std::any_of(results_.begin(), results_.end(), [&](const CheckResult& r) {
    return !r.passed && r.stage == stage &&
           (r.check.find(needle) != std::string::npos ||
            r.location.find(needle) != std::string::npos ||
            r.reason.find(needle) != std::string::npos);
  });
}

void Report::print_summary(std::ostream& out) const {
  std::lock_guard lock(mutex_);
  std::size_t ok = 0;
  for (const auto& r : results_) ok += r.passed ? 1 : 0;
  if (!failures_only_) {
    out << "stage seconds:";
    for (const auto& [stage, s] : seconds_) {
      out << " " << static_cast<int>(stage) << "=" << std::fixed << std::setprecision(2) << s;
    }
    out << "\n";
  }
  out << "haal-verify: " << ok << " checks passed, " << (results_.size() - ok) << " failed\n";
}

nlohmann::json Report::to_json() const {
  std::lock_guard lock(mutex_);
  nlohmann::json checks = nlohmann::json::array();
  std::size_t ok = 0;
  for (const auto& r : results_) {
    ok += r.passed ? 1 : 0;
    checks.push_back({{"stage", static_cast<int>(r.stage)},
                      {"stage_name", stage_name(r.stage)},
                      {"check", r.check},
                      {"passed", r.passed},
                      {"location", r.location},
                      {"reason", r.reason}});
  }
  nlohmann::json notes = nlohmann::json::array();
  for (const auto& [stage, text] : notes_) {
    notes.push_back({{"stage", static_cast<int>(stage)}, {"text", text}});
  }
  nlohmann::json seconds = nlohmann::json::object();
  for (const auto& [stage, s] : seconds_) seconds[stage_name(stage)] = s;
  return {{"passed", ok},
          {"failed", results_.size() - ok},
          {"ok", ok == results_.size()},
          {"checks", checks},
          {"notes", notes},
          {"stage_seconds", seconds}};
}

}  // namespace haal::verifier
