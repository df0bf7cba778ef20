// The real binary over TLS with a self-signed certificate, its refusal of plain HTTP off
// loopback, honest voters served during a garbage flood, and a rewritten board exposed by
// consistency checks.
#include <sqlite3.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <set>

#include "board/receipt.hpp"
#include "collector/protocol/officials_request.hpp"
#include "collector_fixture.hpp"
#include "election/strict_json.hpp"
#include "server_process.hpp"
#include "tools/loadgen/loadgen.hpp"

using namespace haal;
using namespace haal::collector;
using namespace haal::collector::testing;

namespace {

// Runs haal-collector on the election of `e` listening on `listen`, checks that it refuses to
// start (exit status 1) and returns what it wrote on stderr.
std::string collector_refusal(const ElectionFixture& e, const std::string& listen) {
  const std::string command = std::string(HAAL_BINARY_DIR) + "/bin/haal-collector --election " +
                              e.election_dir.string() +
                              " --store sqlite:" + (e.dir.path() / "b.db").string() + " --key " +
                              (e.dir.path() / "collector.key").string() + " --listen " + listen +
                              " 2>" + (e.dir.path() / "err").string();
  const int status = std::system(command.c_str());
  CHECK(WEXITSTATUS(status) == 1);
  std::ifstream err(e.dir.path() / "err");
  return std::string((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("haal-collector serves HTTPS with a self-signed certificate") {
  ElectionFixture e(2);
  const auto cert = (e.dir.path() / "cert.pem").string();
  const auto key = (e.dir.path() / "key.pem").string();
  const std::string openssl =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "
      "/CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(openssl.c_str()) == 0);
  ServerProcess server({"--election", e.election_dir.string(), "--store",
                        "sqlite:" + (e.dir.path() / "board.db").string(), "--tls-cert", cert,
                        "--tls-key", key, "--key", (e.dir.path() / "collector.key").string(),
                        "--check-lookups", "5", "--check-window", "600"},
                       (e.dir.path() / "log").string());
  REQUIRE(server.url().rfind("https://127.0.0.1:", 0) == 0);

  ClientOptions trusting;
  trusting.ca_cert_file = cert;
  auto client = make_client(server.url(), trusting);
  const auto info = get_json(*client, "/api/election");
  CHECK(info.status == 200);
  CHECK(info.body["election_id"] == e.view.election_id());
  // The limits of the cast-ballot check are published as the flags set them (docs/api.md).
  CHECK(info.body["cast_check"] == crypto::Json{{"lookups", 5}, {"window_seconds", 600}});
  REQUIRE(post_json(*client, "/api/officials/polls",
                    sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                           e.officials))
              .status == 200);
  CHECK(post_json(*client, "/api/ballots", e.ballot(1).ballot).status == 200);

  // Without the certificate as a trust anchor the client refuses the server.
  auto untrusting = make_client(server.url());
  CHECK_THROWS(get_json(*untrusting, "/api/election"));
  // Plain HTTP to the TLS port gets no answer.
  auto plain = make_client("http" + server.url().substr(5));
  CHECK_THROWS(get_json(*plain, "/api/election"));
}

TEST_CASE("haal-collector refuses plain HTTP off loopback") {
  ElectionFixture e(1);
  CHECK_THAT(collector_refusal(e, "0.0.0.0:0"),
             Catch::Contains("plain HTTP is allowed only on a loopback address"));
  CHECK(
      WEXITSTATUS(std::system(
          (std::string(HAAL_BINARY_DIR) + "/bin/haal-collector --listen x 2>/dev/null").c_str())) ==
      2);
}

TEST_CASE("haal-collector refuses to start with a small-order officials' key or roll key") {
  // Under the identity point 01 00..00, R = identity and S = 0 signs every request and ballot.
  const std::string identity_point = "01" + std::string(62, '0');
  {
    ElectionFixture e(1);
    // The officials' key the context pins (a forger editing context.json).
    crypto::Json context = election::read_json_file(e.election_dir / "context.json");
    context["officials_key"] = identity_point;
    election::write_canonical_json_file(e.election_dir / "context.json", context);
    CHECK_THAT(collector_refusal(e, "127.0.0.1:0"),
               Catch::Contains("context.json.officials_key: a small-order Ed25519 "
                               "point (it would verify forged signatures)"));
  }
  {
    ElectionFixture e(2);
    crypto::Json roll = election::read_json_file(e.election_dir / "roll.json");
    roll["voters"][1]["public_key"] = identity_point;
    election::write_canonical_json_file(e.election_dir / "roll.json", roll);
    CHECK_THAT(collector_refusal(e, "127.0.0.1:0"),
               Catch::Contains("roll.json.voters[1].public_key: a small-order Ed25519 "
                               "point (it would verify forged signatures)"));
  }
}

TEST_CASE("a flood of garbage does not starve honest voters") {
  ElectionFixture e(20);
  TempDir store;
  ServerOptions options;
  options.ip_rate_per_second = 0;  // every client is 127.0.0.1 here: test the cheap rejections
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string(), options);
  auto c = s.client();
  REQUIRE(post_json(*c, "/api/officials/polls",
                    sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                           e.officials))
              .status == 200);
  std::vector<election::EncryptedBallot> ballots;
  for (std::size_t i = 1; i <= 20; ++i) ballots.push_back(e.ballot(i));

  std::atomic<bool> stop{false};
  std::atomic<std::size_t> garbage{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < 4; ++t) {
    flood.emplace_back([&, t] {
      auto fc = s.client();
      // Malformed JSON (refused at parsing) and validly shaped ballots with a bad signature
      // (refused after a signature check). Oversized, slow and idle requests: the front door's
      // tests (test_front_door.cpp).
      Json bad = ballots[0].ballot;
      bad["signature"] = std::string(128, 'a');
      const std::string body = t % 2 == 0 ? std::string("{{{{") : bad.dump();
      while (!stop) {
        const auto r = fc->Post("/api/ballots", body, "application/json");
        if (r && r->status >= 400) ++garbage;
      }
    });
  }
  std::vector<double> latencies;
  for (const auto& b : ballots) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = post_json(*c, "/api/ballots", b.ballot);
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    CHECK(r.status == 200);
  }
  stop = true;
  for (auto& t : flood) t.join();
  std::sort(latencies.begin(), latencies.end());
  INFO("garbage requests refused: " << garbage << ", honest latency median " << latencies[10]
                                    << " ms, worst " << latencies.back() << " ms");
  CHECK(garbage > 20);
  // The median, not the worst case: on a loaded 2-core machine a flood of CPU-bound garbage can
  // delay single requests; a starving server would fail this.
  CHECK(latencies[10] < 1000);
  CHECK(s.server().state().ballots() == 20);
}

TEST_CASE("a collector that drops or rewrites entries is exposed") {
  ElectionFixture e(4);
  TempDir store;
  const std::string honest_url = "sqlite:" + (store.path() / "honest.db").string();
  const auto receipts_file = store.path() / "receipts.jsonl";
  std::vector<election::EncryptedBallot> ballots;
  {
    RunningServer s(e.view, honest_url);
    auto c = s.client();
    REQUIRE(post_json(*c, "/api/officials/polls",
                      sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                             e.officials))
                .status == 200);
    std::ofstream out(receipts_file);
    for (std::size_t i = 1; i <= 4; ++i) {
      ballots.push_back(e.ballot(i));
      const auto r = post_json(*c, "/api/ballots", ballots.back().ballot);
      REQUIRE(r.status == 200);
      out << Json{{"voter_id", "v" + std::to_string(i)}, {"receipt", r.body}}.dump() << "\n";
    }
    out.close();
    const crypto::Bytes& pinned = e.view.context->parties().collector_key;
    const ReceiptAudit honest = audit_receipts(s.url(), {}, receipts_file, pinned, false);
    CHECK(honest.ok());
    CHECK(honest.verified == 4);
    // Under a key other than the one the context pins the audit stops at once: the key the
    // server serves is never trusted.
    const ReceiptAudit other = audit_receipts(
        s.url(), {}, receipts_file,
        crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 9)).public_key(), false);
    CHECK_FALSE(other.ok());
    REQUIRE(other.problems.size() == 1);
    CHECK_THAT(other.problems[0], Catch::Contains("another collector key than the election"));
  }

  // A forged log with the same collector key that drops voter 2's ballot.
  const std::string forged_url = "sqlite:" + (store.path() / "forged.db").string();
  {
    board::Board honest(board::open_store(honest_url), e.view.election_id(),
                        crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 7)));
    board::Board forged(board::open_store(forged_url), e.view.election_id(),
                        crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 7)));
    for (const auto& entry : honest.entries(0, honest.size())) {
      if (entry.sequence == 2) continue;
      forged.append_batch({{entry.kind, entry.timestamp_ms, entry.payload}});
    }
    forged.sign_head(unix_time_ms());
  }
  {
    RunningServer s(e.view, forged_url);
    const ReceiptAudit audit =
        audit_receipts(s.url(), {}, receipts_file, e.view.context->parties().collector_key, false);
    CHECK_FALSE(audit.ok());
    CHECK(audit.verified < 4);
    // Directly: voter 2's receipted head (3 entries) and the forged head (4 entries) have no
    // valid consistency proof.
    std::ifstream in(receipts_file);
    std::string line;
    std::getline(in, line);
    std::getline(in, line);
    const board::Receipt r = board::receipt_from_json(Json::parse(line).at("receipt"));
    REQUIRE(r.signed_tree_head.head.tree_size == 3);
    auto c = s.client();
    const auto head =
        board::signed_tree_head_from_json(get_json(*c, "/api/board/head").body["signed_tree_head"]);
    REQUIRE(head.head.tree_size == 4);
    const std::uint64_t old_size = r.signed_tree_head.head.tree_size;
    const auto proof = get_json(*c, "/api/board/consistency?old=" + std::to_string(old_size) +
                                        "&new=" + std::to_string(head.head.tree_size));
    REQUIRE(proof.status == 200);
    CHECK_THROWS_AS(board::check_consistency_var(
                        board::consistency_proof_from_json(proof.body["consistency_proof"]),
                        r.signed_tree_head.head.root_hash, head.head.root_hash),
                    board::ProofError);
  }

  // Rewriting a stored entry in place: the collector refuses to start on the altered log.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((store.path() / "honest.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "UPDATE board_entries SET leaf = (SELECT leaf FROM board_entries WHERE "
                         "idx = 1) WHERE idx = 2",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_THROWS_AS(board::Board(board::open_store(honest_url), e.view.election_id(),
                                 crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 7))),
                    board::RecoveryError);
  }
}

TEST_CASE("racing copies of one ballot: one entry, every copy gets its receipt") {
  ElectionFixture e(2);
  TempDir store;
  ServerOptions options;
  options.voter_rate_per_second = 0;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string(), options);
  auto c = s.client();
  REQUIRE(post_json(*c, "/api/officials/polls",
                    sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                           e.officials))
              .status == 200);
  const election::EncryptedBallot ballot = e.ballot(1);
  const std::string body = ballot.ballot.dump();
  std::atomic<int> accepted{0}, other{0};
  std::mutex indices_mutex;
  std::set<std::uint64_t> indices;
  std::vector<std::thread> racers;
  for (int t = 0; t < 8; ++t) {
    racers.emplace_back([&] {
      auto rc = s.client();
      const auto r = rc->Post("/api/ballots", body, "application/json");
      if (r && r->status == 200) {
        ++accepted;
        std::lock_guard lock(indices_mutex);
        indices.insert(board::receipt_from_json(Json::parse(r->body)).board_index);
      } else {
        ++other;
      }
    });
  }
  for (auto& t : racers) t.join();
  CHECK(accepted == 8);
  CHECK(other == 0);
  CHECK(indices == std::set<std::uint64_t>{1});
  CHECK(s.board().size() == 2);  // poll-open + one ballot

  // A different ballot reusing those ciphertexts is still a replay.
  Json copy = ballot.ballot;
  copy["sequence"] = copy["sequence"].get<std::uint64_t>() + 1;
  resign(copy, e.credential(1));
  const auto replay = post_json(*c, "/api/ballots", copy);
  CHECK(replay.status == 409);
  CHECK(replay.body["error"]["code"] == "replay");
  CHECK(s.board().size() == 2);
}
