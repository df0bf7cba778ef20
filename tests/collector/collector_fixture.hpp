// Shared test fixtures: temporary directories, a sealed test election with credentials, an
// in-process collector on a free loopback port, ballot helpers, PostgreSQL schemas.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "board/board.hpp"
#include "collector/client/http_client.hpp"
#include "collector/protocol/election_view.hpp"
#include "collector/server/election_ballot_checker.hpp"
#include "collector/server/server.hpp"
#include "crypto/random_source.hpp"
#include "election/ballot.hpp"
#include "election/benaloh.hpp"
#include "election/credential.hpp"
#include "tools/loadgen/test_election.hpp"

namespace haal::collector::testing {

class TempDir {
 public:
  TempDir() {
    crypto::Bytes suffix(8);
    crypto::system_random().fill(suffix);
    path_ =
        std::filesystem::temp_directory_path() / ("haal-collector-test-" + crypto::to_hex(suffix));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A sealed election with `voters` credentials and the officials' key.
struct ElectionFixture {
  explicit ElectionFixture(std::size_t voters, TestElectionOptions options = {})
      : election_dir(dir.path() / "election"),
        credentials_dir(dir.path() / "credentials"),
        officials(make(options, voters)),
        view(load_election_view(election_dir)) {}

  election::Credential credential(std::size_t i) const {  // 1-based like the voter ids
    char name[32];
    std::snprintf(name, sizeof name, "voter-%06zu.json", i);
    return election::load_credential(credentials_dir / name, [] { return std::string(); });
  }

  // Returns a fresh valid ballot of voter i with this sequence (and its openings).
  election::EncryptedBallot ballot(std::size_t i, std::uint64_t sequence = 1) const {
    const election::BallotChoices choices = {{"mayor", election::Selection{{i % 3}, ""}}};
    return election::encrypt_ballot_var(*view.context, credential(i), choices, sequence,
                                        crypto::system_random());
  }

  TempDir dir;
  std::filesystem::path election_dir;
  std::filesystem::path credentials_dir;
  crypto::Ed25519PrivateKey officials;
  ElectionView view;

 private:
  crypto::Ed25519PrivateKey make(TestElectionOptions options, std::size_t voters) {
    options.voters = voters;
    // The collector key RunningServer signs with by default, also in DIR/collector.key for
    // the real binary (--key): the context pins it.
    options.collector_key_seed = crypto::Bytes(32, 7);
    options.collector_key_file = dir.path() / "collector.key";
    return make_test_election(election_dir, credentials_dir, options);
  }
};

// Re-signs a (tampered) ballot or challenge with the voter's credential.
inline void resign(Json& signed_object, const election::Credential& credential) {
  signed_object["signature"] =
      crypto::to_hex(credential.key.sign(election::signed_bytes(signed_object)));
}

// An in-process collector on 127.0.0.1 (free port) over `store_url`, serving until destroyed.
class RunningServer {
 public:
  RunningServer(const ElectionView& view, const std::string& store_url, ServerOptions options = {},
                const crypto::Bytes& key_seed = crypto::Bytes(32, 7)) {
    board_ = std::make_unique<board::Board>(board::open_store(store_url), view.election_id(),
                                            crypto::Ed25519PrivateKey::from_seed(key_seed));
    options.host = "127.0.0.1";
    options.port = 0;
    options.log_interval_seconds = 0;
    server_ = std::make_unique<CollectorServer>(
        view, std::make_unique<ElectionBallotChecker>(view), *board_,
        crypto::Ed25519PrivateKey::from_seed(key_seed), options);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::unique_ptr<httplib::Client> client() const { return make_client(url()); }
  board::Board& board() { return *board_; }
  CollectorServer& server() { return *server_; }

 private:
  std::unique_ptr<board::Board> board_;
  std::unique_ptr<CollectorServer> server_;
  int port_ = 0;
  std::thread thread_;
};

// Returns HAAL_TEST_POSTGRES_URL, if set.
inline std::optional<std::string> postgres_test_url() {
  const char* url = std::getenv("HAAL_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

inline void postgres_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  const bool connected = PQstatus(conn) == CONNECTION_OK;
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* r = connected ? PQexec(conn, sql.c_str()) : nullptr;
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  const std::string message = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("postgres test setup: " + message);
}

// A schema created for one test and dropped afterwards; url() points search_path at it.
class PostgresSchema {
 public:
  explicit PostgresSchema(std::string base_url) : base_url_(std::move(base_url)) {
    static std::atomic<int> counter{0};
    name_ = "haal_collector_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    postgres_exec(base_url_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    postgres_exec(base_url_, "CREATE SCHEMA " + name_);
  }
  ~PostgresSchema() {
    try {
      postgres_exec(base_url_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (const std::exception&) {
      // Best effort: names are unique, a leftover schema harms no other test.
    }
  }
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;
  std::string url() const {
    const char separator = base_url_.find('?') == std::string::npos ? '?' : '&';
    return base_url_ + separator + "options=-csearch_path%3D" + name_;
  }

 private:
  std::string base_url_;
  std::string name_;
};

}  // namespace haal::collector::testing
