// BoardStore on PostgreSQL through libpq: one transaction per batch, synchronous_commit=on.
#pragma once

#include <libpq-fe.h>

#include <memory>

#include "board/store.hpp"

namespace haal::board {

class PostgresStore final : public BoardStore {
 public:
  // Connects with the libpq URI `url` and creates the tables if needed. Throws StoreError.
  explicit PostgresStore(const std::string& url);

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
  std::string description() const override { return description_; }

 private:
  struct Finish {
    void operator()(PGconn* c) const { PQfinish(c); }
  };
  std::string description_;
  std::unique_ptr<PGconn, Finish> conn_;
};

// Returns `url` with any password replaced by "***" (for messages and logs).
std::string redact_url_password(const std::string& url);

}  // namespace haal::board
