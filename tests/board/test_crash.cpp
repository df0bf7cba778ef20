// Crash safety: a child process appends batches and reports each committed batch through a pipe;
// the parent kills it with SIGKILL mid-stream, reopens the board and checks that every entry
// reported committed is present, that batches are all-or-nothing and that the log verifies.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "board/board.hpp"
#include "store_fixture.hpp"

using namespace haal::board;
using haal::board::testing::TempDir;
using haal::crypto::Bytes;
using haal::crypto::Ed25519PrivateKey;

namespace {

const std::string kLogId = "election-crash-test";
constexpr std::uint64_t kBatch = 16;

Ed25519PrivateKey collector_key() {
  return Ed25519PrivateKey::from_seed(Bytes(32, 0x24));
}

// The child: append forever, signing a head every 8 batches; report committed sizes.
[[noreturn]] void run_writer(const std::string& url, int report_fd) {
  try {
    Board board(open_store(url), kLogId, collector_key());
    for (std::uint64_t round = 0;; ++round) {
      std::vector<EntryContent> entries;
      for (std::uint64_t i = 0; i < kBatch; ++i) {
        entries.push_back(EntryContent{"ballot", round, Bytes(200, static_cast<std::uint8_t>(i))});
      }
      const auto indices = board.append_batch(entries);
      if (round % 8 == 7) board.sign_head(round);
      const std::uint64_t committed = indices.back() + 1;
      if (write(report_fd, &committed, sizeof committed) != sizeof committed) _exit(3);
    }
  } catch (const std::exception& e) {
    const std::string message = std::string("crash-test writer: ") + e.what() + "\n";
    [[maybe_unused]] auto ignored = write(STDERR_FILENO, message.data(), message.size());
    _exit(2);
  }
}

// Forks a writer, kills it after it reports at least `at_least` committed entries, and returns
// the highest committed size it reported.
std::uint64_t write_then_kill(const std::string& url, std::uint64_t at_least) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    run_writer(url, fds[1]);
  }
  close(fds[1]);
  std::uint64_t reported = 0;
  std::uint64_t value = 0;
  bool killed = false;
  while (read(fds[0], &value, sizeof value) == sizeof value) {
    reported = std::max(reported, value);
    if (!killed && reported >= at_least) {
      REQUIRE(kill(child, SIGKILL) == 0);
      killed = true;  // keep draining: reports written before the kill still count
    }
  }
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  INFO("writer exit status " << status);
  REQUIRE(killed);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  return reported;
}

void check_survives_kill(const std::string& url) {
  std::uint64_t previous = 0;
  for (int round = 1; round <= 3; ++round) {
    INFO("round " << round);
    const std::uint64_t reported = write_then_kill(url, previous + 300);
    Board board(open_store(url), kLogId, collector_key());  // recovery checks every head
    const std::uint64_t size = board.size();
    CHECK(size >= reported);
    CHECK(size % kBatch == 0);  // a batch is one transaction: all or nothing
    const auto head = board.latest_signed_head();
    REQUIRE(head.has_value());
    CHECK(verify_tree_head_var(*head, board.public_key()));
    // A new head is consistent with the last one signed before the crash, and the last entry
    // reported committed is provably included.
    const auto now = board.sign_head(1'000'000 + static_cast<std::uint64_t>(round));
    CHECK_NOTHROW(check_consistency_var(board.consistency_proof(head->head.tree_size, size),
                                        head->head.root_hash, now.head.root_hash));
    const auto last = board.entries(reported - 1, reported);
    CHECK(last[0].sequence == reported - 1);
    CHECK_NOTHROW(check_inclusion_var(board.inclusion_proof(reported - 1, size),
                                      encode_leaf(last[0]), now.head.root_hash));
    previous = size;
  }
}

}  // namespace

TEST_CASE("SQLite: entries reported committed survive kill -9 and the log verifies") {
  TempDir dir;
  check_survives_kill(dir.sqlite_url());
}

TEST_CASE("PostgreSQL: entries reported committed survive kill -9 and the log verifies") {
  const auto base = haal::board::testing::postgres_test_url();
  if (!base) {
    WARN("SKIP: PostgreSQL crash test needs HAAL_TEST_POSTGRES_URL");
    return;
  }
  haal::board::testing::PostgresSchema schema(*base);
  check_survives_kill(schema.url());
}
