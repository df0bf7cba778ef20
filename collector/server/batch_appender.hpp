// Serializes every append to the board through one thread and commits whatever has queued up
// as ONE durable transaction (group commit), so throughput is not bounded by one fsync per
// ballot. The checks that depend on the board's current content (replay, polls open, nonce
// reuse) run here, at commit time, so two racing requests cannot both pass them. A submission's
// future is fulfilled only after its entry and the head that covers it are durably stored.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "board/board.hpp"
#include "collector/protocol/ballot_admission.hpp"
#include "collector/server/board_state.hpp"

namespace haal::collector {

struct Submission {
  std::string kind;                  // ballot, challenge, poll-open, poll-close
  crypto::Bytes payload;             // the entry's payload
  std::optional<BallotFacts> facts;  // ballots and challenges
  std::string nonce;                 // poll events: the officials' request nonce
};

struct Committed {
  std::uint64_t board_index{};
  std::uint64_t timestamp_ms{};
  board::InclusionProof inclusion_proof;  // in the tree of signed_tree_head
  board::SignedTreeHead signed_tree_head;
};

struct BatchStats {
  std::uint64_t batches = 0;
  std::uint64_t entries = 0;
  std::uint64_t largest_batch = 0;
};

class BatchAppender {
 public:
  // Starts the appender thread. `board`, `state` and `head_key` must outlive it; `head_key` is
  // the board's own key (checked: throws std::invalid_argument otherwise). Each batch gets a
  // head signed in memory with it; a head is also stored durably in the board (one more
  // fsync) at most every `store_head_interval_ms`, and always for the batch that closes the
  // polls (the final head).
  BatchAppender(board::Board& board, BoardState& state, const crypto::Ed25519PrivateKey& head_key,
                std::size_t max_batch, std::uint64_t store_head_interval_ms = 1000);
  ~BatchAppender();
  BatchAppender(const BatchAppender&) = delete;
  BatchAppender& operator=(const BatchAppender&) = delete;

  // Queues `submission`; the future yields its Committed or throws Rejection: 409 "replay",
  // 409 "stale-sequence" (a ballot whose sequence is not above the voter's latest),
  // 403 "polls-not-open" / "polls-closed", 409 "polls-already-open", 409 "nonce-reused",
  // 503 "store-unavailable" (the entry was NOT appended), 503 "shutting-down". A byte-identical
  // copy (same kind and payload) of a ballot or challenge admitted earlier in the same batch
  // gets that one's Committed: re-sending is idempotent.
  std::future<Committed> submit(Submission submission);

  // Stops accepting, commits what is queued and joins the thread.
  void stop();
  BatchStats stats() const;

 private:
  struct Pending {
    Submission submission;
    std::promise<Committed> promise;
  };
  void run();
  void commit(std::deque<Pending>& batch);
  // Records the durable entries `admitted` (board indices `indices`, board time `now`) and the
  // poll status after them in the board state the checks read.
  void record_admitted(const std::vector<Pending*>& admitted,
                       const std::vector<std::uint64_t>& indices, std::uint64_t now,
                       PollStatus status);

  board::Board& board_;
  BoardState& state_;
  const crypto::Ed25519PrivateKey& head_key_;
  const std::size_t max_batch_;
  const std::uint64_t store_head_interval_ms_;
  std::uint64_t last_stored_head_ms_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  BatchStats stats_;
  std::thread thread_;
};

}  // namespace haal::collector
