// Durable appends through the Board: entries/s with batch sizes 1, 64 and 512 (one transaction
// and one fsync per batch), on SQLite and, when HAAL_TEST_POSTGRES_URL is set, PostgreSQL.
#include <benchmark/benchmark.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "board/board.hpp"
#include "board/group_commit.hpp"

namespace {

using namespace haal::board;

std::vector<EntryContent> make_batch(std::size_t n) {
  // A ballot payload of ~1 KiB (two P-256 ElGamal ciphertexts, proofs and a signature in JSON).
  return std::vector<EntryContent>(
      n, EntryContent{"ballot", 1'764'000'000'000, haal::crypto::Bytes(1024, '7')});
}

haal::crypto::Ed25519PrivateKey bench_key() {
  return haal::crypto::Ed25519PrivateKey::from_seed(haal::crypto::Bytes(32, 9));
}

void run_appends(benchmark::State& state, const std::string& url) {
  Board board(open_store(url), "bench-election", bench_key());
  const auto batch = make_batch(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(board.append_batch(batch));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_SqliteAppendBatch(benchmark::State& state) {
  // On the working directory's disk (not tmpfs), so fsync is real.
  const auto dir =
      std::filesystem::current_path() /
      ("haal-bench-board-" + std::to_string(::getpid()) + "-" + std::to_string(state.range(0)));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  run_appends(state, "sqlite:" + (dir / "board.db").string());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SqliteAppendBatch)
    ->Arg(1)
    ->Arg(64)
    ->Arg(512)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(2.0);

// Restart of a board holding a million entries: read, decode and re-hash every stored leaf,
// then check the stored signed head (docs/board.md, "Recovery rules").
void BM_SqliteRecoverMillion(benchmark::State& state) {
  const auto dir =
      std::filesystem::current_path() / ("haal-bench-board-recover-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string url = "sqlite:" + (dir / "board.db").string();
  constexpr std::size_t kMillion = 1'000'000;
  constexpr std::size_t kFillBatch = 16'384;
  {
    Board board(open_store(url), "bench-election", bench_key());
    const std::vector<EntryContent> batch(
        kFillBatch, EntryContent{"ballot", 1'764'000'000'000, haal::crypto::Bytes(100, '7')});
    while (board.size() < kMillion) {
      const auto n = std::min(kFillBatch, kMillion - static_cast<std::size_t>(board.size()));
      board.append_batch({batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(n)});
    }
    board.sign_head(1);
  }
  for (auto _ : state) {
    Board board(open_store(url), "bench-election", bench_key());
    benchmark::DoNotOptimize(board.size());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMillion));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SqliteRecoverMillion)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

// Concurrent single-entry appends (one entry per request, as the collector receives them)
// coalesced by the GroupCommitter; entries/s over all threads.
struct GroupCommitFixture {
  std::filesystem::path dir;
  std::unique_ptr<Board> board;
  std::unique_ptr<GroupCommitter> committer;
};
std::unique_ptr<GroupCommitFixture> group_fixture;

void BM_SqliteGroupCommit(benchmark::State& state) {
  if (state.thread_index() == 0) {
    group_fixture = std::make_unique<GroupCommitFixture>();
    group_fixture->dir =
        std::filesystem::current_path() / ("haal-bench-board-gc-" + std::to_string(::getpid()) +
                                           "-" + std::to_string(state.threads()));
    std::filesystem::remove_all(group_fixture->dir);
    std::filesystem::create_directories(group_fixture->dir);
    group_fixture->board =
        std::make_unique<Board>(open_store("sqlite:" + (group_fixture->dir / "board.db").string()),
                                "bench-election", bench_key());
    group_fixture->committer = std::make_unique<GroupCommitter>(*group_fixture->board);
  }
  const auto entry = make_batch(1).front();
  for (auto _ : state) benchmark::DoNotOptimize(group_fixture->committer->append(entry));
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    std::filesystem::remove_all(group_fixture->dir);
    group_fixture.reset();
  }
}
BENCHMARK(BM_SqliteGroupCommit)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(2.0);

// Runs one SQL command; returns false on failure.
bool postgres_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* r = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, sql.c_str()) : nullptr;
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  PQfinish(conn);
  return ok;
}

void BM_PostgresAppendBatch(benchmark::State& state) {
  const char* env = std::getenv("HAAL_TEST_POSTGRES_URL");
  if (env == nullptr || *env == '\0') {
    state.SkipWithError("HAAL_TEST_POSTGRES_URL not set");
    return;
  }
  const std::string base = env;
  // A fresh schema per run, selected through libpq's options parameter.
  const std::string schema =
      "haal_bench_" + std::to_string(::getpid()) + "_" + std::to_string(state.range(0));
  const std::string sep = base.find('?') == std::string::npos ? "?" : "&";
  if (!postgres_exec(base,
                     "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema)) {
    state.SkipWithError("could not create a schema");
    return;
  }
  run_appends(state, base + sep + "options=-csearch_path%3D" + schema);
  postgres_exec(base, "DROP SCHEMA " + schema + " CASCADE");
}
BENCHMARK(BM_PostgresAppendBatch)
    ->Arg(1)
    ->Arg(64)
    ->Arg(512)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
