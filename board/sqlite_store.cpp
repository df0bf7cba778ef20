#include "board/sqlite_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace haal::board {

namespace {

struct FinalizeStatement {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

constexpr std::uint64_t kMaxStoredInteger = std::numeric_limits<std::int64_t>::max();

// Rolls back an open transaction unless commit() was reached.
class Transaction {
 public:
  Transaction(sqlite3* db, const char* begin) : db_(db) { run(begin); }
  ~Transaction() {
    if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    run("COMMIT");
    done_ = true;
  }

 private:
  void run(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("sqlite: ") + sql + ": " + sqlite3_errmsg(db_));
    }
  }
  sqlite3* db_;
  bool done_ = false;
};

Hash hash_column(sqlite3_stmt* s, int column, const std::string& where) {
  const auto size = sqlite3_column_bytes(s, column);
  if (size != 32) throw StoreError(where + ": root_hash has " + std::to_string(size) + " bytes");
  Hash h{};
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, column));
  std::copy(data, data + 32, h.begin());
  return h;
}

// Binds `data` as a BLOB; an empty one becomes a zero-length BLOB, not NULL.
void bind_bytes(sqlite3_stmt* s, int index, crypto::ByteView data) {
  if (data.empty()) {
    sqlite3_bind_zeroblob(s, index, 0);
  } else {
    sqlite3_bind_blob(s, index, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
  }
}

crypto::Bytes blob_column(sqlite3_stmt* s, int column) {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, column));
  const auto size = sqlite3_column_bytes(s, column);
  return data == nullptr ? crypto::Bytes{} : crypto::Bytes(data, data + size);
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : path_(path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  db_.reset(raw);
  if (rc != SQLITE_OK) fail("open");
  sqlite3_busy_timeout(db_.get(), 10'000);
  // WAL + synchronous=FULL: a COMMIT returns only after the WAL is fsync'd (docs/board.md).
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec(
      "CREATE TABLE IF NOT EXISTS board_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS board_entries(idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL);"
      "CREATE TABLE IF NOT EXISTS board_heads(id INTEGER PRIMARY KEY AUTOINCREMENT,"
      " log_id TEXT NOT NULL, tree_size INTEGER NOT NULL, root_hash BLOB NOT NULL,"
      " timestamp_ms INTEGER NOT NULL, signature BLOB NOT NULL);"
      "CREATE TABLE IF NOT EXISTS officials_nonces(nonce TEXT PRIMARY KEY);"
      "CREATE TABLE IF NOT EXISTS cast_checks(idx INTEGER PRIMARY KEY, used INTEGER NOT NULL);"
      "INSERT OR IGNORE INTO board_meta(key, value) VALUES('schema_version', '1');");
  Statement check = nullptr;
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db_.get(), "PRAGMA journal_mode", -1, &raw_stmt, nullptr) != SQLITE_OK) {
    fail("PRAGMA journal_mode");
  }
  check.reset(raw_stmt);
  if (sqlite3_step(check.get()) != SQLITE_ROW ||
      std::string(reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0))) != "wal") {
    throw StoreError(description() + ": could not enable WAL journal mode");
  }
}

void SqliteStore::fail(const std::string& what) const {
  throw StoreError(description() + ": " + what + ": " +
                   (db_ ? sqlite3_errmsg(db_.get()) : "out of memory"));
}

void SqliteStore::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw StoreError(description() + ": " + text);
  }
}

namespace {

Statement prepare(sqlite3* db, const char* sql, const std::string& where) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    throw StoreError(where + ": prepare: " + sqlite3_errmsg(db));
  }
  return Statement(raw);
}

// Returns MAX(idx) + 1 (O(log n) on the rowid); contiguity is checked when leaves are read.
std::uint64_t count_leaves(sqlite3* db, const std::string& where) {
  auto s = prepare(db, "SELECT COALESCE(MAX(idx) + 1, 0) FROM board_entries", where);
  if (sqlite3_step(s.get()) != SQLITE_ROW) throw StoreError(where + ": " + sqlite3_errmsg(db));
  return static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 0));
}

}  // namespace

void SqliteStore::bind_log_id(const std::string& log_id) {
  Transaction tx(db_.get(), "BEGIN IMMEDIATE");
  auto select =
      prepare(db_.get(), "SELECT value FROM board_meta WHERE key = 'log_id'", description());
  if (sqlite3_step(select.get()) == SQLITE_ROW) {
    const std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 0));
    if (stored != log_id) {
      throw StoreError(description() + ": holds log \"" + stored + "\", not \"" + log_id + "\"");
    }
    return;
  }
  auto insert =
      prepare(db_.get(), "INSERT INTO board_meta(key, value) VALUES('log_id', ?1)", description());
  sqlite3_bind_text(insert.get(), 1, log_id.data(), static_cast<int>(log_id.size()),
                    SQLITE_TRANSIENT);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) fail("store log_id");
  tx.commit();
}

void SqliteStore::append_leaves(std::uint64_t first_index,
                                const std::vector<crypto::Bytes>& leaves) {
  if (leaves.empty()) return;
  if (first_index + leaves.size() > kMaxStoredInteger) throw StoreError("log index overflow");
  Transaction tx(db_.get(), "BEGIN IMMEDIATE");
  const std::uint64_t stored = count_leaves(db_.get(), description());
  if (stored != first_index) {
    throw StoreError(description() + ": append at index " + std::to_string(first_index) +
                     " but the store holds " + std::to_string(stored) + " entries");
  }
  auto insert =
      prepare(db_.get(), "INSERT INTO board_entries(idx, leaf) VALUES(?1, ?2)", description());
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    sqlite3_reset(insert.get());
    sqlite3_bind_int64(insert.get(), 1, static_cast<sqlite3_int64>(first_index + i));
    bind_bytes(insert.get(), 2, leaves[i]);
    if (sqlite3_step(insert.get()) != SQLITE_DONE) {
      fail("insert entry " + std::to_string(first_index + i));
    }
  }
  tx.commit();
}

void SqliteStore::append_head(const SignedTreeHead& sth) {
  if (sth.head.tree_size > kMaxStoredInteger || sth.head.timestamp_ms > kMaxStoredInteger) {
    throw StoreError(description() + ": tree head field out of range");
  }
  Transaction tx(db_.get(), "BEGIN IMMEDIATE");
  const std::uint64_t stored = count_leaves(db_.get(), description());
  if (sth.head.tree_size > stored) {
    throw StoreError(description() + ": tree head of size " + std::to_string(sth.head.tree_size) +
                     " exceeds the " + std::to_string(stored) + " stored entries");
  }
  auto last = prepare(db_.get(), "SELECT MAX(tree_size) FROM board_heads", description());
  if (sqlite3_step(last.get()) == SQLITE_ROW && sqlite3_column_type(last.get(), 0) != SQLITE_NULL &&
      static_cast<std::uint64_t>(sqlite3_column_int64(last.get(), 0)) > sth.head.tree_size) {
    throw StoreError(description() + ": tree head of size " + std::to_string(sth.head.tree_size) +
                     " is older than the latest stored head");
  }
  auto insert = prepare(db_.get(),
                        "INSERT INTO board_heads(log_id, tree_size, root_hash, timestamp_ms,"
                        " signature) VALUES(?1, ?2, ?3, ?4, ?5)",
                        description());
  sqlite3_bind_text(insert.get(), 1, sth.head.log_id.data(),
                    static_cast<int>(sth.head.log_id.size()), SQLITE_STATIC);
  sqlite3_bind_int64(insert.get(), 2, static_cast<sqlite3_int64>(sth.head.tree_size));
  bind_bytes(insert.get(), 3, sth.head.root_hash);
  sqlite3_bind_int64(insert.get(), 4, static_cast<sqlite3_int64>(sth.head.timestamp_ms));
  bind_bytes(insert.get(), 5, sth.signature);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) fail("insert tree head");
  tx.commit();
}

std::uint64_t SqliteStore::size() {
  return count_leaves(db_.get(), description());
}

std::vector<crypto::Bytes> SqliteStore::read_leaves(std::uint64_t from, std::uint64_t to) {
  if (from > to || to > kMaxStoredInteger) {
    throw StoreError(description() + ": invalid range [" + std::to_string(from) + ", " +
                     std::to_string(to) + ")");
  }
  auto select = prepare(db_.get(),
                        "SELECT idx, leaf FROM board_entries WHERE idx >= ?1 AND idx < ?2"
                        " ORDER BY idx",
                        description());
  sqlite3_bind_int64(select.get(), 1, static_cast<sqlite3_int64>(from));
  sqlite3_bind_int64(select.get(), 2, static_cast<sqlite3_int64>(to));
  std::vector<crypto::Bytes> out;
  out.reserve(to - from);
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    const auto index = static_cast<std::uint64_t>(sqlite3_column_int64(select.get(), 0));
    if (index != from + out.size()) {
      throw StoreError(description() + ": entry " + std::to_string(from + out.size()) +
                       " is missing");
    }
    out.push_back(blob_column(select.get(), 1));
  }
  if (rc != SQLITE_DONE) fail("read entries");
  if (out.size() != to - from) {
    throw StoreError(description() + ": entry " + std::to_string(from + out.size()) +
                     " is missing (range [" + std::to_string(from) + ", " + std::to_string(to) +
                     "))");
  }
  return out;
}

namespace {

std::vector<SignedTreeHead> read_heads(sqlite3* db, const char* sql, const std::string& where) {
  auto select = prepare(db, sql, where);
  std::vector<SignedTreeHead> out;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(select.get())) == SQLITE_ROW) {
    const std::string row =
        where + ": board_heads row " + std::to_string(sqlite3_column_int64(select.get(), 0));
    SignedTreeHead sth;
    sth.head.log_id = reinterpret_cast<const char*>(sqlite3_column_text(select.get(), 1));
    sth.head.tree_size = static_cast<std::uint64_t>(sqlite3_column_int64(select.get(), 2));
    sth.head.root_hash = hash_column(select.get(), 3, row);
    sth.head.timestamp_ms = static_cast<std::uint64_t>(sqlite3_column_int64(select.get(), 4));
    sth.signature = blob_column(select.get(), 5);
    out.push_back(std::move(sth));
  }
  if (rc != SQLITE_DONE) throw StoreError(where + ": read heads: " + sqlite3_errmsg(db));
  return out;
}

}  // namespace

std::vector<SignedTreeHead> SqliteStore::heads(std::uint64_t first) {
  if (first > kMaxStoredInteger) return {};
  const std::string sql =
      "SELECT id, log_id, tree_size, root_hash, timestamp_ms, signature"
      " FROM board_heads ORDER BY id LIMIT -1 OFFSET " +
      std::to_string(first);
  return read_heads(db_.get(), sql.c_str(), description());
}

std::optional<SignedTreeHead> SqliteStore::latest_head() {
  auto heads = read_heads(db_.get(),
                          "SELECT id, log_id, tree_size, root_hash, timestamp_ms, signature"
                          " FROM board_heads ORDER BY id DESC LIMIT 1",
                          description());
  if (heads.empty()) return std::nullopt;
  return heads.front();
}

bool SqliteStore::record_nonce(const std::string& nonce) {
  auto insert =
      prepare(db_.get(), "INSERT OR IGNORE INTO officials_nonces(nonce) VALUES(?1)", description());
  sqlite3_bind_text(insert.get(), 1, nonce.data(), static_cast<int>(nonce.size()), SQLITE_STATIC);
  if (sqlite3_step(insert.get()) != SQLITE_DONE) fail("record nonce");
  return sqlite3_changes(db_.get()) == 1;
}

bool SqliteStore::spend_cast_check(std::uint64_t index, std::uint64_t limit) {
  if (limit == 0) return false;
  // One statement, one transaction: the row is created at 1 or raised by 1 while below limit.
  auto upsert = prepare(db_.get(),
                        "INSERT INTO cast_checks(idx, used) VALUES(?1, 1) ON CONFLICT(idx)"
                        " DO UPDATE SET used = used + 1 WHERE used < ?2",
                        description());
  sqlite3_bind_int64(upsert.get(), 1, static_cast<sqlite3_int64>(index));
  sqlite3_bind_int64(upsert.get(), 2,
                     static_cast<sqlite3_int64>(std::min(limit, kMaxStoredInteger)));
  if (sqlite3_step(upsert.get()) != SQLITE_DONE) fail("count a cast-ballot check");
  return sqlite3_changes(db_.get()) == 1;
}

SqliteStore::OwnedFd::~OwnedFd() {
  reset(-1);
}

int SqliteStore::OwnedFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

void SqliteStore::OwnedFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

bool SqliteStore::try_acquire_writer_lease(std::string& holder) {
  if (lease_fd_.get() >= 0) return true;
  // A separate lock file: closing any other descriptor of the database file would drop
  // SQLite's own POSIX locks on it.
  const std::string lock_path = path_ + ".lock";
  OwnedFd fd;
  fd.reset(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    throw StoreError(description() + ": writer lease: cannot open " + lock_path + ": " +
                     std::strerror(errno));
  }
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      throw StoreError(description() + ": writer lease: flock " + lock_path + ": " +
                       std::strerror(errno));
    }
    holder = "another process holds the lock on " + lock_path;
    return false;
  }
  lease_fd_.reset(fd.release());
  return true;
}

void SqliteStore::check_writer_lease() {
  // An flock lasts as long as the descriptor: nothing can take it from a living process.
  if (lease_fd_.get() < 0) throw StoreError(description() + ": the writer lease is not held");
}

}  // namespace haal::board
