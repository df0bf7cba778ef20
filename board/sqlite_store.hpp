// BoardStore on SQLite: WAL journal, synchronous=FULL, one transaction per batch.
#pragma once

#include <sqlite3.h>

#include <memory>

#include "board/store.hpp"

namespace haal::board {

class SqliteStore final : public BoardStore {
 public:
  // Opens or creates the database file at `path`. Throws StoreError on failure.
  explicit SqliteStore(const std::string& path);

  void bind_log_id(const std::string& log_id) override;
  void append_leaves(std::uint64_t first_index, const std::vector<crypto::Bytes>& leaves) override;
  void append_head(const SignedTreeHead& head) override;
  std::uint64_t size() override;
  std::vector<crypto::Bytes> read_leaves(std::uint64_t from, std::uint64_t to) override;
  std::vector<SignedTreeHead> heads(std::uint64_t first) override;
  std::optional<SignedTreeHead> latest_head() override;
  bool record_nonce(const std::string& nonce) override;
  bool spend_cast_check(std::uint64_t index, std::uint64_t limit) override;
  bool try_acquire_writer_lease(std::string& holder) override;
  void check_writer_lease() override;
  std::string description() const override { return "sqlite:" + path_; }

 private:
  struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  void exec(const char* sql);
  [[noreturn]] void fail(const std::string& what) const;

  // An open descriptor, closed on destruction.
  class OwnedFd {
   public:
    OwnedFd() = default;
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    ~OwnedFd();
    void reset(int fd);
    int release();
    int get() const { return fd_; }

   private:
    int fd_ = -1;
  };

  std::string path_;
  std::unique_ptr<sqlite3, CloseDb> db_;
  OwnedFd lease_fd_;  // the writer lease: flock(2) on PATH.lock, held until this closes
};

}  // namespace haal::board
