#include "board/postgres_store.hpp"

#include <algorithm>
#include <limits>

namespace haal::board {

namespace {

struct ClearResult {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ClearResult>;

constexpr std::uint64_t kMaxStoredInteger = std::numeric_limits<std::int64_t>::max();
// Rows per INSERT statement: 2 parameters per row, far below libpq's 65535-parameter limit.
constexpr std::size_t kRowsPerInsert = 1000;

// A query parameter: text (integers, strings) or binary (bytea).
struct Param {
  std::string text;
  crypto::ByteView binary;
  bool is_binary = false;
};

Param text_param(std::string value) {
  return Param{std::move(value), {}, false};
}
Param uint_param(std::uint64_t value) {
  return text_param(std::to_string(value));
}
Param bytes_param(crypto::ByteView value) {
  return Param{{}, value, true};
}

// Returns libpq's message (several lines, tab-indented) as one line for logs.
std::string one_line(const char* message) {
  std::string out;
  for (const char* p = message; *p != '\0'; ++p) {
    const bool space = *p == '\n' || *p == '\t';
    if (!space) {
      out += *p;
    } else if (!out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

class Connection {
 public:
  Connection(PGconn* conn, const std::string& where) : conn_(conn), where_(where) {}

  // Runs `sql` with `params`; results come back in binary format.
  Result run(const std::string& sql, const std::vector<Param>& params = {}) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const auto& p : params) {
      if (p.is_binary) {
        // libpq wants a non-null pointer even for an empty bytea.
        static const char kEmpty = 0;
        values.push_back(p.binary.empty() ? &kEmpty
                                          : reinterpret_cast<const char*>(p.binary.data()));
        lengths.push_back(static_cast<int>(p.binary.size()));
        formats.push_back(1);
      } else {
        values.push_back(p.text.c_str());
        lengths.push_back(0);
        formats.push_back(0);
      }
    }
    Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                          values.data(), lengths.data(), formats.data(), 1));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      // Without a result (the connection is gone) the reason is on the connection.
      const char* message = r ? PQresultErrorMessage(r.get()) : "";
      throw StoreError(where_ + ": " +
                       one_line(*message != '\0' ? message : PQerrorMessage(conn_)));
    }
    return r;
  }

  // Runs several ';'-separated statements without parameters.
  void run_script(const char* sql) {
    Result r(PQexec(conn_, sql));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      const char* message = r ? PQresultErrorMessage(r.get()) : "";
      throw StoreError(where_ + ": " +
                       one_line(*message != '\0' ? message : PQerrorMessage(conn_)));
    }
  }

 private:
  PGconn* conn_;
  const std::string& where_;
};

// Rolls back unless commit() was reached.
class Transaction {
 public:
  explicit Transaction(Connection& c) : c_(c) { c_.run("BEGIN"); }
  ~Transaction() {
    if (!done_) {
      try {
        c_.run("ROLLBACK");
      } catch (const StoreError&) {
        // The connection is broken; the server aborts the transaction itself.
      }
    }
  }
  void commit() {
    c_.run("COMMIT");
    done_ = true;
  }

 private:
  Connection& c_;
  bool done_ = false;
};

std::uint64_t int8_value(const PGresult* r, int row, int column) {
  if (PQgetisnull(r, row, column) || PQgetlength(r, row, column) != 8) {
    throw StoreError("postgresql: expected a bigint in column " + std::to_string(column));
  }
  const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r, row, column));
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

crypto::Bytes bytes_value(const PGresult* r, int row, int column) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r, row, column));
  return crypto::Bytes(p, p + PQgetlength(r, row, column));
}

std::string text_value(const PGresult* r, int row, int column) {
  return std::string(PQgetvalue(r, row, column), PQgetlength(r, row, column));
}

std::uint64_t count_leaves(Connection& c) {
  const auto r = c.run("SELECT COALESCE(MAX(idx) + 1, 0)::bigint FROM board_entries");
  return int8_value(r.get(), 0, 0);
}

std::vector<SignedTreeHead> heads_from(const PGresult* r, const std::string& where) {
  std::vector<SignedTreeHead> out;
  for (int row = 0; row < PQntuples(r); ++row) {
    SignedTreeHead sth;
    sth.head.log_id = text_value(r, row, 1);
    sth.head.tree_size = int8_value(r, row, 2);
    const auto root = bytes_value(r, row, 3);
    if (root.size() != 32) {
      throw StoreError(where + ": board_heads row " + std::to_string(int8_value(r, row, 0)) +
                       ": root_hash has " + std::to_string(root.size()) + " bytes");
    }
    std::copy(root.begin(), root.end(), sth.head.root_hash.begin());
    sth.head.timestamp_ms = int8_value(r, row, 4);
    sth.signature = bytes_value(r, row, 5);
    out.push_back(std::move(sth));
  }
  return out;
}

}  // namespace

std::string redact_url_password(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const auto authority = scheme_end + 3;
  const auto at = url.find('@', authority);
  const auto slash = url.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const auto colon = url.find(':', authority);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

PostgresStore::PostgresStore(const std::string& url) : description_(redact_url_password(url)) {
  // TCP keepalives and a user timeout on the client side, so that a collector cut off from the
  // server notices within seconds that its session (and with it the writer lease) is gone
  // (docs/deploy.md, "Failover"). Listed before the URL, which may override them.
  const char* const keywords[] = {"keepalives",       "keepalives_idle",  "keepalives_interval",
                                  "keepalives_count", "tcp_user_timeout", "connect_timeout",
                                  "application_name", "dbname",           nullptr};
  const char* const values[] = {"1",         "2",    "1", "3", "5000", "10", "haal-collector",
                                url.c_str(), nullptr};
  conn_.reset(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!conn_) throw StoreError(description_ + ": out of memory");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_.get());
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw StoreError(description_ + ": connect: " + message);
  }
  Connection c(conn_.get(), description_);
  // COMMIT returns only after the WAL record is flushed on the server (docs/board.md).
  c.run("SET synchronous_commit = on");
  c.run("SET client_min_messages = warning");
  // The server side of the same: a collector machine that dies without closing its connection
  // loses its session, and so the writer lease, about 5 s after its last packet.
  c.run("SET tcp_keepalives_idle = 2");
  c.run("SET tcp_keepalives_interval = 1");
  c.run("SET tcp_keepalives_count = 3");
  c.run("SET tcp_user_timeout = 5000");
  c.run_script(
      "CREATE TABLE IF NOT EXISTS board_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS board_entries(idx BIGINT PRIMARY KEY, leaf BYTEA NOT NULL);"
      "CREATE TABLE IF NOT EXISTS board_heads(id BIGSERIAL PRIMARY KEY, log_id TEXT NOT NULL,"
      " tree_size BIGINT NOT NULL, root_hash BYTEA NOT NULL, timestamp_ms BIGINT NOT NULL,"
      " signature BYTEA NOT NULL);"
      "CREATE TABLE IF NOT EXISTS officials_nonces(nonce TEXT PRIMARY KEY);"
      "CREATE TABLE IF NOT EXISTS cast_checks(idx BIGINT PRIMARY KEY, used BIGINT NOT NULL);"
      "INSERT INTO board_meta(key, value) VALUES('schema_version', '1') ON CONFLICT DO NOTHING;");
}

void PostgresStore::bind_log_id(const std::string& log_id) {
  Connection c(conn_.get(), description_);
  Transaction tx(c);
  c.run("LOCK TABLE board_meta IN SHARE ROW EXCLUSIVE MODE");
  const auto r = c.run("SELECT value FROM board_meta WHERE key = 'log_id'");
  if (PQntuples(r.get()) == 1) {
    const std::string stored = text_value(r.get(), 0, 0);
    if (stored != log_id) {
      throw StoreError(description_ + ": holds log \"" + stored + "\", not \"" + log_id + "\"");
    }
    return;
  }
  c.run("INSERT INTO board_meta(key, value) VALUES('log_id', $1)", {text_param(log_id)});
  tx.commit();
}

void PostgresStore::append_leaves(std::uint64_t first_index,
                                  const std::vector<crypto::Bytes>& leaves) {
  if (leaves.empty()) return;
  if (first_index + leaves.size() > kMaxStoredInteger) throw StoreError("log index overflow");
  Connection c(conn_.get(), description_);
  Transaction tx(c);
  // One writer at a time; readers are not blocked.
  c.run("LOCK TABLE board_entries IN SHARE ROW EXCLUSIVE MODE");
  const std::uint64_t stored = count_leaves(c);
  if (stored != first_index) {
    throw StoreError(description_ + ": append at index " + std::to_string(first_index) +
                     " but the store holds " + std::to_string(stored) + " entries");
  }
  for (std::size_t begin = 0; begin < leaves.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(leaves.size(), begin + kRowsPerInsert);
    std::string sql = "INSERT INTO board_entries(idx, leaf) VALUES ";
    std::vector<Param> params;
    for (std::size_t i = begin; i < end; ++i) {
      const auto n = params.size();
      if (i != begin) sql += ", ";
      sql += "($" + std::to_string(n + 1) + "::bigint, $" + std::to_string(n + 2) + "::bytea)";
      params.push_back(uint_param(first_index + i));
      params.push_back(bytes_param(leaves[i]));
    }
    c.run(sql, params);
  }
  tx.commit();
}

void PostgresStore::append_head(const SignedTreeHead& sth) {
  if (sth.head.tree_size > kMaxStoredInteger || sth.head.timestamp_ms > kMaxStoredInteger) {
    throw StoreError(description_ + ": tree head field out of range");
  }
  Connection c(conn_.get(), description_);
  Transaction tx(c);
  c.run("LOCK TABLE board_heads IN SHARE ROW EXCLUSIVE MODE");
  const std::uint64_t stored = count_leaves(c);
  if (sth.head.tree_size > stored) {
    throw StoreError(description_ + ": tree head of size " + std::to_string(sth.head.tree_size) +
                     " exceeds the " + std::to_string(stored) + " stored entries");
  }
  const auto last = c.run("SELECT COALESCE(MAX(tree_size), 0)::bigint FROM board_heads");
  if (int8_value(last.get(), 0, 0) > sth.head.tree_size) {
    throw StoreError(description_ + ": tree head of size " + std::to_string(sth.head.tree_size) +
                     " is older than the latest stored head");
  }
  c.run(
      "INSERT INTO board_heads(log_id, tree_size, root_hash, timestamp_ms, signature)"
      " VALUES($1, $2::bigint, $3::bytea, $4::bigint, $5::bytea)",
      {text_param(sth.head.log_id), uint_param(sth.head.tree_size), bytes_param(sth.head.root_hash),
       uint_param(sth.head.timestamp_ms), bytes_param(sth.signature)});
  tx.commit();
}

std::uint64_t PostgresStore::size() {
  Connection c(conn_.get(), description_);
  return count_leaves(c);
}

std::vector<crypto::Bytes> PostgresStore::read_leaves(std::uint64_t from, std::uint64_t to) {
  if (from > to || to > kMaxStoredInteger) {
    throw StoreError(description_ + ": invalid range [" + std::to_string(from) + ", " +
                     std::to_string(to) + ")");
  }
  Connection c(conn_.get(), description_);
  const auto r = c.run(
      "SELECT idx, leaf FROM board_entries WHERE idx >= $1::bigint AND idx < $2::bigint"
      " ORDER BY idx",
      {uint_param(from), uint_param(to)});
  std::vector<crypto::Bytes> out;
  out.reserve(to - from);
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    if (int8_value(r.get(), row, 0) != from + out.size()) break;
    out.push_back(bytes_value(r.get(), row, 1));
  }
  if (out.size() != to - from) {
    throw StoreError(description_ + ": entry " + std::to_string(from + out.size()) +
                     " is missing (range [" + std::to_string(from) + ", " + std::to_string(to) +
                     "))");
  }
  return out;
}

std::vector<SignedTreeHead> PostgresStore::heads(std::uint64_t first) {
  if (first > kMaxStoredInteger) return {};
  Connection c(conn_.get(), description_);
  const auto r = c.run(
      "SELECT id, log_id, tree_size, root_hash, timestamp_ms, signature FROM board_heads"
      " ORDER BY id OFFSET $1::bigint",
      {uint_param(first)});
  return heads_from(r.get(), description_);
}

std::optional<SignedTreeHead> PostgresStore::latest_head() {
  Connection c(conn_.get(), description_);
  const auto r = c.run(
      "SELECT id, log_id, tree_size, root_hash, timestamp_ms, signature FROM board_heads"
      " ORDER BY id DESC LIMIT 1");
  auto heads = heads_from(r.get(), description_);
  if (heads.empty()) return std::nullopt;
  return heads.front();
}

bool PostgresStore::record_nonce(const std::string& nonce) {
  Connection c(conn_.get(), description_);
  // One statement is one transaction (autocommit), flushed before it returns.
  const auto r = c.run("INSERT INTO officials_nonces(nonce) VALUES($1) ON CONFLICT DO NOTHING",
                       {text_param(nonce)});
  return std::string(PQcmdTuples(r.get())) == "1";
}

bool PostgresStore::spend_cast_check(std::uint64_t index, std::uint64_t limit) {
  if (limit == 0) return false;
  Connection c(conn_.get(), description_);
  // One statement is one transaction; concurrent callers serialise on the row.
  const auto r = c.run(
      "INSERT INTO cast_checks(idx, used) VALUES($1, 1) ON CONFLICT (idx)"
      " DO UPDATE SET used = cast_checks.used + 1 WHERE cast_checks.used < $2",
      {uint_param(index), uint_param(std::min(limit, kMaxStoredInteger))});
  return std::string(PQcmdTuples(r.get())) == "1";
}

namespace {

// The writer lease is a session-level advisory lock whose 64-bit key is kWriterLeaseClass in
// the high 32 bits and the OID of this schema's board_entries table in the low 32 bits: one
// lease per board, whatever else shares the database (docs/board.md, "Writer lease").
constexpr const char* kWriterLeaseKey =
    "((1751212396::bigint << 32) | 'board_entries'::regclass::oid::bigint)";

}  // namespace

bool PostgresStore::try_acquire_writer_lease(std::string& holder) {
  Connection c(conn_.get(), description_);
  const auto r = c.run(std::string("SELECT pg_try_advisory_lock(") + kWriterLeaseKey + ")");
  if (PQgetlength(r.get(), 0, 0) == 1 && PQgetvalue(r.get(), 0, 0)[0] == 1) return true;
  // Who holds it, for the operator (visible when the roles may see each other's sessions).
  const auto who = c.run(std::string("SELECT COALESCE(host(a.client_addr), 'a local socket') ||"
                                     " ' (backend pid ' || a.pid || ', ' || a.application_name ||"
                                     " ')' FROM pg_locks l JOIN pg_stat_activity a ON"
                                     " a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                                     " AND ((l.classid::bigint << 32) | l.objid::bigint) = ") +
                         kWriterLeaseKey + " AND l.objsubid = 1");
  holder = PQntuples(who.get()) == 1
               ? "the writer lease is held by the session from " + text_value(who.get(), 0, 0)
               : std::string("the writer lease is held by another session");
  return false;
}

void PostgresStore::check_writer_lease() {
  Connection c(conn_.get(), description_);
  const auto r = c.run(std::string("SELECT count(*)::bigint FROM pg_locks WHERE locktype ="
                                   " 'advisory' AND granted AND pid = pg_backend_pid() AND"
                                   " ((classid::bigint << 32) | objid::bigint) = ") +
                       kWriterLeaseKey + " AND objsubid = 1");
  if (int8_value(r.get(), 0, 0) != 1) {
    throw StoreError(description_ + ": this session no longer holds the writer lease");
  }
}

}  // namespace haal::board
