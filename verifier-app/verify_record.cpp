#include "verifier-app/verify_record.hpp"

#include <chrono>
#include <functional>

#include "crypto/base/parallel.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

namespace {

// Runs one stage, timing it; an exception escaping a stage becomes a FAIL naming it.
void run_stage(Stage stage, Report& report, const std::function<void()>& body) {
  const auto start = std::chrono::steady_clock::now();
  try {
    body();
  } catch (const std::exception& e) {
    report.fail(stage, "stage completes", stage_name(stage), e.what());
  }
  report.stage_seconds(
      stage, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace

VerifierContext verify_record(const RecordReader& record, const VerifyOptions& options,
                              Report& report) {
  VerifierContext ctx;
  ctx.threads = base::worker_count(options.threads);
  ctx.progress = options.progress;
  BoardData board;
  BallotData ballots;
  run_stage(Stage::kParameters, report, [&] {
    check_record_index(record, ctx, report);
    check_parameters(record, ctx, report);
  });
  run_stage(Stage::kCeremony, report, [&] { check_ceremony(record, ctx, report); });
  run_stage(Stage::kBoard, report, [&] { check_board(record, ctx, board, report); });
  run_stage(Stage::kBallots, report, [&] { check_ballots(ctx, board, ballots, report); });
  run_stage(Stage::kCleansing, report,
            [&] { check_cleansing(record, ctx, board, ballots, report); });
  // The board and ballots are no longer needed; release their memory before the mix.
  board = BoardData{};
  ballots = BallotData{};
  run_stage(Stage::kMixing, report, [&] { check_mixing(record, ctx, report); });
  run_stage(Stage::kDecryption, report, [&] { check_decryption(record, ctx, report); });
  run_stage(Stage::kCounting, report, [&] { check_counting(record, ctx, report); });
  return ctx;
}

}  // namespace haal::verifier
