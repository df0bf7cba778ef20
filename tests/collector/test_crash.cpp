// Crash test with the real binary: start haal-collector, run the load generator, kill -9 the
// server mid-load, restart it, and check that every receipted ballot is on the board and the
// log is consistent with every receipt's signed head. SQLite always; PostgreSQL when
// HAAL_TEST_POSTGRES_URL is set.
#include <catch2/catch.hpp>
#include <fstream>

#include "collector/protocol/officials_request.hpp"
#include "collector_fixture.hpp"
#include "server_process.hpp"
#include "tools/loadgen/loadgen.hpp"

using namespace haal;
using namespace haal::collector;
using namespace haal::collector::testing;

namespace {

std::size_t count_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

void crash_and_recover(const std::string& store_url) {
  ElectionFixture e(300);
  const auto receipts = e.dir.path() / "receipts.jsonl";
  const auto log = (e.dir.path() / "collector.log").string();
  const std::vector<std::string> args = {"--election",   e.election_dir.string(),
                                         "--store",      store_url,
                                         "--key",        (e.dir.path() / "collector.key").string(),
                                         "--ip-rate",    "0",
                                         "--voter-rate", "0"};
  LoadgenReport report;
  {
    ServerProcess server(args, log);
    auto client = make_client(server.url());
    REQUIRE(post_json(*client, "/api/officials/polls",
                      sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                             e.officials))
                .status == 200);
    LoadgenOptions o;
    o.server_url = server.url();
    o.election_dir = e.election_dir;
    o.credentials_dir = e.credentials_dir;
    o.voters = 300;
    o.concurrency = 8;
    o.receipts_file = receipts;
    o.progress = false;
    o.client.timeout_seconds = 5;
    std::thread load([&] { report = run_loadgen(o); });
    // Kill once some receipts are out (the load is still running).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (count_lines(receipts) < 40 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.kill_hard();
    load.join();
  }
  const std::size_t receipted = count_lines(receipts);
  INFO("accepted " << report.accepted << ", transport errors " << report.transport_errors);
  CHECK(receipted >= 40);
  CHECK(receipted == report.accepted);
  CHECK(report.transport_errors > 0);  // the kill happened mid-load
  CHECK(report.bad_receipts == 0);

  ServerProcess restarted(args, log);
  const ReceiptAudit audit =
      audit_receipts(restarted.url(), {}, receipts,
                     election::load_election_context(e.election_dir).parties().collector_key, false);
  for (const auto& p : audit.problems) UNSCOPED_INFO(p);
  CHECK(audit.ok());
  CHECK(audit.verified == receipted);
  CHECK(audit.board_size >= receipted + 1);  // + the poll-open entry

  // The restarted collector keeps accepting: the rest of the voters vote.
  auto client = make_client(restarted.url());
  const auto r = post_json(*client, "/api/ballots", e.ballot(300, election::kMaxSequence).ballot);
  CHECK(r.status == 200);
}

}  // namespace

TEST_CASE("kill -9 mid-load on SQLite: every receipted ballot survives and the log verifies") {
  TempDir store;
  crash_and_recover("sqlite:" + (store.path() / "board.db").string());
}

TEST_CASE("kill -9 mid-load on PostgreSQL") {
  const auto base = postgres_test_url();
  if (!base) {
    WARN("SKIP: collector PostgreSQL crash test needs HAAL_TEST_POSTGRES_URL");
    return;
  }
  PostgresSchema schema(*base);
  crash_and_recover(schema.url());
}
