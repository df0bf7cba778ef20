// Counting a million ballots: hidden from the default run ([.]); run with
// `build/bin/haal-test-tally "[scale]"` to measure. Timings go to stderr.
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <random>

#include "tally/counting/results.hpp"
#include "tally_test_support.hpp"

using namespace haal::tally;
using namespace haal::tally::test;

namespace {

constexpr std::uint32_t kBallots = 1'000'000;

// Random rankings of 1..limit of n options, from a fixed seed.
std::vector<Selection> random_rankings(std::uint32_t n, std::uint32_t limit) {
  std::mt19937 random(7);
  std::vector<std::uint32_t> options(n);
  std::vector<Selection> ballots(kBallots);
  for (auto& ballot : ballots) {
    for (std::uint32_t i = 0; i < n; ++i) options[i] = i;
    std::shuffle(options.begin(), options.end(), random);
    ballot.options.assign(options.begin(), options.begin() + 1 + random() % limit);
  }
  return ballots;
}

template <typename F>
void timed(const char* label, F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  std::cerr << label << ": " << kBallots << " ballots in " << seconds.count() << " s\n";
}

}  // namespace

TEST_CASE("a million ballots per contest kind", "[.][scale]") {
  const auto rankings = random_rankings(8, 8);
  for (const auto kind : {ContestKind::kIrv, ContestKind::kSchulze}) {
    const auto contest = ranked_contest(kind, "scale", 8, 8);
    timed(kind == ContestKind::kIrv ? "irv, 8 options" : "schulze, 8 options", [&] {
      const auto results = count_contest_var(contest, rankings, seed("scale"));
      CHECK(results.at("ballots").at("valid") == kBallots);
    });
  }
  std::vector<Selection> choices(kBallots);
  std::mt19937 random(11);
  for (auto& ballot : choices) ballot.options = {static_cast<std::uint32_t>(random() % 8)};
  const auto contest =
      choice_contest(ContestKind::kPlurality, {"A", "B", "C", "D", "E", "F", "G", "H"}, 0, 1);
  timed("plurality, 8 options", [&] {
    const auto results = count_contest_var(contest, choices, {});
    CHECK(results.at("ballots").at("valid") == kBallots);
  });
}
