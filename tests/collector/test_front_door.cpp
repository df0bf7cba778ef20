// The collector protects itself (docs/api.md section 9), through the real binary on loopback:
// one address holding slow or idle connections does not stop the election, bodies and heads
// are bounded whatever their framing, ambiguous framing and non-JSON POSTs are refused, a
// refused officials' request cannot be replayed, and a re-sent ballot gets its receipt. Plain
// HTTP and TLS alike. Each test is a reproduced attack that succeeded before the front door.
#include <sys/resource.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "board/receipt.hpp"
#include "collector/client/submit.hpp"
#include "collector/protocol/officials_request.hpp"
#include "collector_fixture.hpp"
#include "crypto/canonical_json.hpp"
#include "raw_http.hpp"
#include "server_process.hpp"

using namespace haal;
using namespace haal::collector;
using namespace haal::collector::testing;

namespace {

using Clock = std::chrono::steady_clock;
// Time bounds leave room for a loaded machine and sanitizer builds; before the front door the
// same steps took 5 s (a read timeout), 9-15 s, or never finished.

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A sealed election, its collector (the real binary, extra `args`) and open polls.
struct Collector {
  explicit Collector(std::size_t voters, std::vector<std::string> args = {}, bool tls = false)
      : e(voters) {
    // Enough descriptors for a thousand connections in this process.
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    args.insert(args.begin(), {"--election", e.election_dir.string(), "--store",
                               "sqlite:" + (e.dir.path() / "board.db").string(), "--key",
                               (e.dir.path() / "collector.key").string(), "--web", "none"});
    if (tls) {
      const auto cert = (e.dir.path() / "cert.pem").string();
      const auto key = (e.dir.path() / "key.pem").string();
      const std::string openssl =
          "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "
          "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
          key + " -out " + cert + " >/dev/null 2>&1";
      REQUIRE(std::system(openssl.c_str()) == 0);
      args.insert(args.end(), {"--tls-cert", cert, "--tls-key", key});
    }
    server = std::make_unique<ServerProcess>(args, (e.dir.path() / "log").string());
    tls_ = tls;
    RawConnection c(server->port(), "127.0.0.1", tls);
    REQUIRE(c.send(json_request(
        "POST", "/api/officials/polls",
        sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(), e.officials)
            .dump())));
    REQUIRE(c.read_response(10'000).status == 200);
  }

  // Casts voter i's ballot from `source` on a fresh connection; returns the answer.
  RawResponse cast(std::size_t i, const std::string& source, int timeout_ms = 20'000) {
    RawConnection c(server->port(), source, tls_);
    c.send(json_request("POST", "/api/ballots", e.ballot(i).ballot.dump()));
    return c.read_response(timeout_ms);
  }

  int port() const { return server->port(); }

  ElectionFixture e;
  std::unique_ptr<ServerProcess> server;
  bool tls_ = false;
};

// Opens `count` connections from `source` that each start a request and then send one more
// header line every `interval_ms`, until `stop`; counts those the server has closed.
class SlowHeaders {
 public:
  SlowHeaders(int port, const std::string& source, std::size_t count, int interval_ms, bool tls)
      : thread_([=, this] {
          std::vector<std::unique_ptr<RawConnection>> open;
          for (std::size_t i = 0; i < count && !stop_; ++i) {
            try {
              open.push_back(std::make_unique<RawConnection>(port, source, tls));
              open.back()->send("POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            } catch (const std::exception&) {
              ++refused_;  // closed at accept (a TLS handshake then fails)
            }
          }
          opened_ = open.size();
          for (int round = 0; !stop_; ++round) {
            std::size_t closed = 0;
            for (auto& c : open) {
              if (!c) {
                ++closed;
              } else if (!c->send("X-Slow-" + std::to_string(round) + ": 1\r\n") ||
                         c->closed_within(0)) {
                c.reset();
                ++closed;
              }
            }
            closed_ = closed;
            std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
          }
        }) {}
  ~SlowHeaders() {
    stop_ = true;
    thread_.join();
  }
  std::size_t opened() const { return opened_; }
  std::size_t closed() const { return closed_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> opened_{0}, closed_{0}, refused_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE("300 slow-header connections from one address do not stop the election") {
  for (const bool tls : {false, true}) {
    DYNAMIC_SECTION((tls ? "TLS" : "plain HTTP")) {
      Collector c(6, {}, tls);
      SlowHeaders attack(c.port(), "127.0.0.1", 300, 500, tls);
      std::this_thread::sleep_for(std::chrono::seconds(1));
      const auto start = Clock::now();
      for (std::size_t i = 1; i <= 6; ++i) {
        const auto begin = Clock::now();
        const RawResponse r = c.cast(i, "127.0.0.2");
        INFO("ballot " << i << " after " << seconds_since(begin) << " s");
        CHECK(r.status == 200);
        CHECK(seconds_since(begin) < 5);
      }
      RawConnection health(c.port(), "127.0.0.3", tls);
      health.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      CHECK(health.read_response(3000).status == 200);
      INFO("honest ballots took " << seconds_since(start) << " s");
      CHECK(seconds_since(start) < 20);
    }
  }
}

TEST_CASE("slow requests never hold a worker and end at the request deadline") {
  for (const bool tls : {false, true}) {
    DYNAMIC_SECTION((tls ? "TLS" : "plain HTTP")) {
      // No per-address cap and only 2 workers: the event loop alone must keep them free.
      Collector c(
          4, {"--max-connections-per-address", "0", "--threads", "2", "--request-timeout", "2"},
          tls);
      SlowHeaders attack(c.port(), "127.0.0.1", 300, 300, tls);
      std::this_thread::sleep_for(std::chrono::milliseconds(800));
      for (std::size_t i = 1; i <= 4; ++i) {
        const auto begin = Clock::now();
        CHECK(c.cast(i, "127.0.0.1").status == 200);
        CHECK(seconds_since(begin) < 4);
      }
      // The deadline is for the whole head, not per read: a header line every 300 ms does not
      // keep a connection open past it.
      std::this_thread::sleep_for(std::chrono::milliseconds(3500));
      CHECK(attack.opened() == 300);
      CHECK(attack.closed() == attack.opened());
    }
  }
}

TEST_CASE("a thousand idle connections do not lock out new voters") {
  Collector c(4);
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 1000; ++i) {
    try {
      idle.push_back(std::make_unique<RawConnection>(
          c.port(), "127.0.0." + std::to_string(10 + i % 10), false));
    } catch (const std::exception&) {
    }
  }
  for (std::size_t i = 1; i <= 4; ++i) {
    const auto begin = Clock::now();
    CHECK(c.cast(i, "127.0.0.2").status == 200);
    CHECK(seconds_since(begin) < 4);
  }
  // The same with a small global cap: the longest-idle connections make room.
  Collector small(2, {"--max-connections", "100", "--max-connections-per-address", "0"});
  std::vector<std::unique_ptr<RawConnection>> more;
  for (int i = 0; i < 1000; ++i) more.push_back(std::make_unique<RawConnection>(small.port()));
  for (std::size_t i = 1; i <= 2; ++i) {
    const auto begin = Clock::now();
    CHECK(small.cast(i, "127.0.0.2").status == 200);
    CHECK(seconds_since(begin) < 4);
  }
}

TEST_CASE("bodies and heads are bounded whatever the framing, and memory stays low") {
  for (const bool tls : {false, true}) {
    DYNAMIC_SECTION((tls ? "TLS" : "plain HTTP")) {
      Collector c(1, {}, tls);
      const double before = resident_mib(c.server->pid());
      const std::string chunk = "100000\r\n" + std::string(0x100000, 'a') + "\r\n";  // 1 MiB
      std::vector<std::thread> attackers;
      std::atomic<int> refused{0};
      for (int t = 0; t < 4; ++t) {
        attackers.emplace_back([&] {
          RawConnection a(c.port(), "127.0.0.1", tls);
          a.send(
              "POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
              "application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
          for (int i = 0; i < 128 && a.send(chunk); ++i) {
          }
          const RawResponse r = a.read_response(5000);
          if (r.status == 413 && r.body.find("payload-too-large") != std::string::npos) ++refused;
        });
      }
      for (auto& t : attackers) t.join();
      CHECK(refused == 4);

      // 128 MiB of headers: 431 after the first 16 KiB.
      {
        RawConnection a(c.port(), "127.0.0.1", tls);
        a.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        const std::string line = "X-Filler: " + std::string(1000, 'b') + "\r\n";
        std::string block;
        for (int i = 0; i < 1000; ++i) block += line;
        for (int i = 0; i < 128 && a.send(block); ++i) {
        }
        const RawResponse r = a.read_response(5000);
        CHECK(r.status == 431);
      }
      // A POST without Content-Length has an empty body (RFC 9112 6.3): what follows is read
      // as the next request, refused, and the connection closed; nothing is buffered.
      {
        RawConnection a(c.port(), "127.0.0.1", tls);
        a.send(
            "POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "application/json\r\n\r\n");
        const std::string garbage(0x100000, 'c');
        for (int i = 0; i < 64 && a.send(garbage); ++i) {
        }
        CHECK(a.read_response(5000).status == 400);  // the empty body is not JSON
        CHECK(a.read_response(5000).status == 431);  // the garbage has no end of head
      }
      const double after = resident_mib(c.server->pid());
      INFO("resident " << before << " MiB before, " << after << " MiB after");
      CHECK(after < before + 48);

      // A Content-Length above the limit is answered at once, before any body byte.
      RawConnection big(c.port(), "127.0.0.1", tls);
      const auto begin = Clock::now();
      big.send(
          "POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          "application/json\r\nContent-Length: 1000000000000\r\n\r\n");
      const RawResponse r = big.read_response(2000);
      CHECK(r.status == 413);
      CHECK(seconds_since(begin) < 2.5);
      CHECK(big.closed_within(2000));
    }
  }
}

TEST_CASE("ambiguous framing, other media types and bodiless PUTs are answered at once") {
  Collector c(1);
  const std::string ballot = c.e.ballot(1).ballot.dump();
  auto answer = [&](const std::string& request) {
    RawConnection a(c.port());
    a.send(request);
    const auto begin = Clock::now();
    RawResponse r = a.read_response(3000);
    CHECK(seconds_since(begin) < 2.5);
    return r;
  };
  const std::string head =
      "POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  const std::string size = std::to_string(ballot.size());
  // Two different lengths, a list of different lengths, length and chunked together.
  CHECK(
      answer(head + "Content-Length: " + size + "\r\nContent-Length: 5\r\n\r\n" + ballot).status ==
      400);
  CHECK(answer(head + "Content-Length: " + size + ", 5\r\n\r\n" + ballot).status == 400);
  const RawResponse both =
      answer(head + "Content-Length: " + size + "\r\nTransfer-Encoding: chunked\r\n\r\n" + ballot);
  CHECK(both.status == 400);
  CHECK(both.body.find("bad-framing") != std::string::npos);
  CHECK(answer(head + "Transfer-Encoding: gzip, chunked\r\n\r\n").status == 501);
  // Identical repeated lengths are one length (RFC 9112 6.3): the ballot is cast.
  CHECK(
      answer(head + "Content-Length: " + size + "\r\nContent-Length: " + size + "\r\n\r\n" + ballot)
          .status == 200);

  // "Expect: 100-continue": the interim answer comes before the body is sent.
  {
    RawConnection a(c.port());
    a.send(head + "Expect: 100-continue\r\nContent-Length: " + std::to_string(2) + "\r\n\r\n");
    a.closed_within(1000);
    CHECK(a.received() == "HTTP/1.1 100 Continue\r\n\r\n");
    a.send("{}");
    CHECK(a.read_response(3000).status == 400);  // JSON, but not a ballot
  }

  // Content-Type: only application/json.
  const RawResponse plain = answer(
      "POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
      "Content-Length: " +
      size + "\r\n\r\n" + ballot);
  CHECK(plain.status == 415);
  CHECK(plain.body.find("unsupported-media-type") != std::string::npos);
  CHECK(answer("POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}")
            .status == 415);
  CHECK(answer(json_request("POST", "/api/ballots", "{}",
                            ""))
            .status == 400);  // JSON, but not a ballot
  CHECK(answer("POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
               "application/json; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}")
            .status == 400);

  // PUT and PATCH without a body: answered at once, and the connection stays usable.
  for (const std::string method : {"PUT", "PATCH"}) {
    RawConnection a(c.port());
    a.send(method + " /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const auto begin = Clock::now();
    const RawResponse r = a.read_response(3000);
    CHECK(r.status >= 400);
    CHECK(seconds_since(begin) < 2.5);
    a.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    CHECK(a.read_response(3000).status == 200);
  }
}

TEST_CASE("duplicate JSON keys are refused in every POST body") {
  Collector c(1);
  const Json ballot = c.e.ballot(1).ballot;
  std::string text = ballot.dump();
  REQUIRE(text.front() == '{');
  // The duplicate comes first: a parser that keeps the last one sees the honest ballot.
  const std::string duplicated = "{\"sequence\":999," + text.substr(1);
  RawConnection a(c.port());
  a.send(json_request("POST", "/api/ballots", duplicated));
  const RawResponse r = a.read_response(3000);
  CHECK(r.status == 400);
  CHECK(r.body.find("duplicate-key") != std::string::npos);
  CHECK(r.body.find("sequence") != std::string::npos);

  const std::string request =
      sign_officials_request(std::string(kActionClosePolls), c.e.view.election_id(), c.e.officials)
          .dump();
  a.send(
      json_request("POST", "/api/officials/polls", "{\"signature\":\"00\"," + request.substr(1)));
  const RawResponse o = a.read_response(3000);
  CHECK(o.status == 400);
  CHECK(o.body.find("duplicate-key") != std::string::npos);
  // Nested objects too.
  Json nested = ballot;
  std::string nested_text = nested.dump();
  const auto contests = nested_text.find("\"contests\":[{");
  REQUIRE(contests != std::string::npos);
  nested_text.insert(contests + 13, "\"contest_id\":\"x\",");
  a.send(json_request("POST", "/api/ballots", nested_text));
  CHECK(a.read_response(3000).body.find("duplicate-key") != std::string::npos);
  // And the honest ballot is still accepted.
  a.send(json_request("POST", "/api/ballots", text));
  CHECK(a.read_response(10'000).status == 200);
}

TEST_CASE("a refused officials' request cannot be replayed, even after a restart") {
  ElectionFixture e(1);
  const std::vector<std::string> args = {
      "--election", e.election_dir.string(),
      "--store",    "sqlite:" + (e.dir.path() / "board.db").string(),
      "--key",      (e.dir.path() / "collector.key").string(),
      "--web",      "none"};
  const std::string close =
      sign_officials_request(std::string(kActionClosePolls), e.view.election_id(), e.officials)
          .dump();
  {
    ServerProcess server(args, (e.dir.path() / "log").string());
    RawConnection a(server.port());
    a.send(json_request("POST", "/api/officials/polls", close));
    const RawResponse r = a.read_response(5000);
    CHECK(r.status == 409);
    CHECK(r.body.find("polls-not-open") != std::string::npos);
  }
  ServerProcess server(args, (e.dir.path() / "log").string());
  RawConnection a(server.port());
  a.send(json_request(
      "POST", "/api/officials/polls",
      sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(), e.officials)
          .dump()));
  REQUIRE(a.read_response(5000).status == 200);
  // The same bytes, inside their 5-minute window, after the polls opened.
  a.send(json_request("POST", "/api/officials/polls", close));
  const RawResponse replay = a.read_response(5000);
  CHECK(replay.status == 409);
  CHECK(replay.body.find("nonce-reused") != std::string::npos);
  a.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  CHECK(a.read_response(5000).body.find("\"polls\":\"open\"") != std::string::npos);
  // An export request is single-use too.
  const std::string exported =
      sign_officials_request(std::string(kActionExport), e.view.election_id(), e.officials).dump();
  a.send(json_request("POST", "/api/officials/export", exported));
  CHECK(a.read_response(5000).status == 200);
  a.send(json_request("POST", "/api/officials/export", exported));
  CHECK(a.read_response(5000).status == 409);
}

TEST_CASE("a ballot whose answer was lost is recovered by tracking code or re-sent") {
  Collector c(3);
  const election::EncryptedBallot ballot = c.e.ballot(1);
  {
    // The answer is lost: the client sends the ballot and goes away before reading it.
    RawConnection a(c.port(), "127.0.0.2");
    a.send(json_request("POST", "/api/ballots", ballot.ballot.dump()));
  }
  auto client = make_client(c.server->url());
  std::optional<Json> found;
  for (int i = 0; i < 50 && !found; ++i) {
    found = lookup_receipt(*client, ballot.encrypted.tracking_code, "ballot");
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(found);
  const board::Receipt receipt = board::receipt_from_json(*found);
  board::check_receipt_var(
      receipt, crypto::canonical_json_bytes(ballot.ballot),
      crypto::from_hex(
          get_json(*client, "/api/election").body.at("collector_public_key").get<std::string>()));
  CHECK_FALSE(lookup_receipt(*client, ballot.encrypted.tracking_code, "challenge"));
  CHECK_FALSE(lookup_receipt(*client, c.e.ballot(2).encrypted.tracking_code, "ballot"));

  // Re-sending the same bytes is idempotent: the same entry's receipt, the board unchanged.
  const JsonResponse again =
      submit_once(*client, "/api/ballots", ballot.ballot, ballot.encrypted.tracking_code);
  REQUIRE(again.status == 200);
  CHECK(board::receipt_from_json(again.body).board_index == receipt.board_index);
  CHECK(get_json(*client, "/healthz").body["board_size"] == 2);
  // Reusing its ciphertexts in another ballot is still a replay.
  Json other = ballot.ballot;
  other["sequence"] = other["sequence"].get<std::uint64_t>() + 1;
  resign(other, c.e.credential(1));
  const JsonResponse replay = post_json(*client, "/api/ballots", other);
  CHECK(replay.status == 409);
  CHECK(replay.body["error"]["code"] == "replay");
}
