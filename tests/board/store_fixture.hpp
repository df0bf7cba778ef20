// Test helpers: a fresh SQLite file per test, a fresh PostgreSQL schema per test (when
// HAAL_TEST_POSTGRES_URL is set).
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace haal::board::testing {

// A directory removed (with its content) at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("haal-board-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string sqlite_url(const std::string& name = "board.db") const {
    return "sqlite:" + (path_ / name).string();
  }
  std::string file(const std::string& name = "board.db") const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Returns HAAL_TEST_POSTGRES_URL, if set.
inline std::optional<std::string> postgres_test_url() {
  const char* url = std::getenv("HAAL_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// Runs one SQL command or query on `url` (rows are discarded); throws on failure.
inline void postgres_exec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  const bool connected = PQstatus(conn) == CONNECTION_OK;
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* r = connected ? PQexec(conn, sql.c_str()) : nullptr;
  const bool ok = r != nullptr &&
                  (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
  const std::string message = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("postgres test setup: " + message);
}

// A schema created for one test and dropped afterwards; url() points libpq's search_path at it.
class PostgresSchema {
 public:
  explicit PostgresSchema(std::string base_url) : base_url_(std::move(base_url)) {
    static std::atomic<int> counter{0};
    name_ = "haal_board_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    postgres_exec(base_url_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    postgres_exec(base_url_, "CREATE SCHEMA " + name_);
  }
  ~PostgresSchema() {
    try {
      postgres_exec(base_url_, "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (const std::exception&) {
      // Best effort: a leftover schema does not affect other tests (names are unique).
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

}  // namespace haal::board::testing
