// Throughput of stages 1-5 on a synthetic record (hidden: run with
//   HAAL_VERIFIER_PERF_VOTERS=100000 build/bin/haal-test-verifier "[.perf]"
// and HAAL_VERIFIER_PERF_KEEP=DIR to keep the record for running build/bin/haal-verify on it).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "tests/verifier/record_builder.hpp"

using namespace haal::verifier;
using namespace haal::verifier::testing;
namespace fs = std::filesystem;

TEST_CASE("perf: stages 1-5 on a synthetic record", "[.perf]") {
  const char* voters_env = std::getenv("HAAL_VERIFIER_PERF_VOTERS");
  const char* keep = std::getenv("HAAL_VERIFIER_PERF_KEEP");
  const std::size_t voters = voters_env ? std::stoul(voters_env) : 2000;
  const fs::path dir = keep ? fs::path(keep) : fresh_temp_path("perf");
  auto start = std::chrono::steady_clock::now();
  build_record(dir, BuildOptions{.voters = voters});
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  const Report report = verify_path(dir);
  const double verify_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  std::cerr << voters << " voters: built in " << build_s << " s, stages 1-8 verified in " << verify_s << " s\n";
  report.print_summary(std::cerr);
  if (!keep) fs::remove_all(dir);
}
