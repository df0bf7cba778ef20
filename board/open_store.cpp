#include "board/postgres_store.hpp"
#include "board/sqlite_store.hpp"
#include "board/store.hpp"

namespace haal::board {

std::unique_ptr<BoardStore> open_store(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    const std::string path = url.substr(kSqlite.size());
    if (path.empty()) throw std::invalid_argument("store URL \"sqlite:\" has no path");
    return std::make_unique<SqliteStore>(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return std::make_unique<PostgresStore>(url);
  }
  throw std::invalid_argument("store URL \"" + redact_url_password(url) +
                              "\": expected sqlite:PATH or postgresql://...");
}

}  // namespace haal::board
