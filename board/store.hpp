// Durable append-only storage of the board: leaves (encoded entries, see entry.hpp) and signed
// tree heads. Implementations: SQLite (sqlite_store.hpp) and PostgreSQL (postgres_store.hpp).
// Schema and durability rules: docs/board.md, "Store".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "board/tree_head.hpp"
#include "crypto/bytes.hpp"

namespace haal::board {

// A storage failure or a store whose content breaks the board's invariants; what() says which.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class BoardStore {
 public:
  virtual ~BoardStore() = default;

  // Binds the store to `log_id` on first use; throws StoreError if it holds another log.
  virtual void bind_log_id(const std::string& log_id) = 0;

  // Appends `leaves` at indices first_index, first_index + 1, ... in ONE transaction, durable
  // (fsync'd) on return. Throws StoreError, leaving the store unchanged, unless
  // first_index == size().
  virtual void append_leaves(std::uint64_t first_index,
                             const std::vector<crypto::Bytes>& leaves) = 0;

  // Durably appends a signed tree head. Throws StoreError if its size is below the latest
  // stored head's size or above size().
  virtual void append_head(const SignedTreeHead& head) = 0;

  // Returns the number of stored leaves.
  virtual std::uint64_t size() = 0;

  // Returns leaves [from, to). Throws StoreError unless from <= to <= size() and all are present.
  virtual std::vector<crypto::Bytes> read_leaves(std::uint64_t from, std::uint64_t to) = 0;

  // Returns the stored signed heads in the order stored, from the `first`-th on (0-based; all
  // of them for 0, none when fewer are stored): a follower reads only the new ones.
  virtual std::vector<SignedTreeHead> heads(std::uint64_t first) = 0;

  // Returns the most recently stored signed head, if any.
  virtual std::optional<SignedTreeHead> latest_head() = 0;

  // Durably records `nonce` (of an officials' signed request) in one transaction; returns
  // false, recording nothing, if it was recorded before. Durable on return, like an append.
  virtual bool record_nonce(const std::string& nonce) = 0;

  // Durably counts one second-device check of the entry at board index `index` (docs/ballots.md
  // section 12) in one transaction, if fewer than `limit` were counted before: returns true
  // then, false (counting nothing) once `limit` were. Durable on return, like an append; the
  // count is shared by every process on the store and survives restarts. Not part of the log.
  virtual bool spend_cast_check(std::uint64_t index, std::uint64_t limit) = 0;

  // Tries once to make this process the store's only writer (docs/board.md, "Writer lease"):
  // returns true if it holds the lease now (also when it held it already); false if another
  // process holds it, with `holder` saying who when the store can tell. Throws StoreError.
  virtual bool try_acquire_writer_lease(std::string& holder) = 0;

  // Returns normally if this process still holds the writer lease; throws StoreError if it lost
  // it (its session with the store is gone). One round trip to the store at most.
  virtual void check_writer_lease() = 0;

  // Returns a description for messages (the URL without any password).
  virtual std::string description() const = 0;
};

// Opens (creating if needed) the store at `url`: "sqlite:PATH" or "postgresql://..." /
// "postgres://..." (libpq connection URI). Throws std::invalid_argument on an unknown scheme,
// StoreError if the store cannot be opened.
std::unique_ptr<BoardStore> open_store(const std::string& url);

}  // namespace haal::board
