// Group commit for concurrent single-entry appends: callers that arrive while a batch is being
// committed are queued and committed together in the next transaction (one fsync for all), so
// throughput under load approaches the batched rate instead of one fsync per entry.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>

#include "board/board.hpp"

namespace haal::board {

class GroupCommitter {
 public:
  // Commits into `board`, at most `max_batch` entries per transaction. `board` must outlive this.
  explicit GroupCommitter(Board& board, std::size_t max_batch = 4096);

  // Appends `entry` and returns its index once it is durably committed. Thread-safe; blocks.
  // Throws std::invalid_argument on an invalid kind or oversized payload (before queueing) and
  // rethrows the storage error if the transaction carrying the entry failed (then nothing of
  // that transaction was appended).
  std::uint64_t append(EntryContent entry);

  // Returns the number of transactions committed so far.
  std::uint64_t transactions() const;

 private:
  struct Request {
    EntryContent entry;
    std::uint64_t index = 0;
    std::exception_ptr error;
    bool done = false;
  };

  Board& board_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<Request*> queue_;
  bool leader_active_ = false;
  std::uint64_t transactions_ = 0;
};

}  // namespace haal::board
