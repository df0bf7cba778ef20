#include "collector/server/batch_appender.hpp"

#include <unordered_map>
#include <unordered_set>

#include "collector/protocol/election_view.hpp"

namespace haal::collector {

BatchAppender::BatchAppender(board::Board& board, BoardState& state,
                             const crypto::Ed25519PrivateKey& head_key, std::size_t max_batch,
                             std::uint64_t store_head_interval_ms)
    : board_(board),
      state_(state),
      head_key_(head_key),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      store_head_interval_ms_(store_head_interval_ms),
      last_stored_head_ms_(unix_time_ms()) {
  if (head_key_.public_key() != board_.public_key()) {
    throw std::invalid_argument("the appender's head key is not the board's key");
  }
  thread_ = std::thread([this] { run(); });
}

BatchAppender::~BatchAppender() {
  stop();
}

std::future<Committed> BatchAppender::submit(Submission submission) {
  Pending p{std::move(submission), {}};
  auto future = p.promise.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      p.promise.set_exception(std::make_exception_ptr(
          Rejection(503, "shutting-down", "the collector is shutting down; retry later")));
      return future;
    }
    queue_.push_back(std::move(p));
  }
  wake_.notify_one();
  return future;
}

void BatchAppender::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

BatchStats BatchAppender::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void BatchAppender::run() {
  for (;;) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit(batch);
  }
}

void BatchAppender::record_admitted(const std::vector<Pending*>& admitted,
                                    const std::vector<std::uint64_t>& indices, std::uint64_t now,
                                    PollStatus status) {
  for (std::size_t i = 0; i < admitted.size(); ++i) {
    const Submission& s = admitted[i]->submission;
    if (s.facts) {
      state_.add({s.kind, indices[i], now, s.facts->ballot_hash, s.facts->tracking_code,
                  s.facts->voter_id, s.facts->sequence},
                 s.facts->ciphertext_fingerprints);
    } else {
      state_.add_nonce(s.nonce);
    }
  }
  state_.set_poll_status(status);
}

void BatchAppender::commit(std::deque<Pending>& batch) {
  // Decide, in queue order, which submissions the current board admits. Effects of earlier
  // submissions in the batch (poll events, fingerprints) apply to later ones.
  PollStatus status = state_.poll_status();
  std::unordered_map<std::string, std::size_t> batch_fingerprints;  // -> position in admitted
  // Byte-identical copies of an admitted submission (a client re-sending a ballot whose answer
  // it lost, racing the first copy): they share its result instead of being replays.
  std::vector<std::pair<Pending*, std::size_t>> copies;
  std::unordered_set<std::string> batch_nonces;
  std::unordered_map<std::string, std::uint64_t> batch_sequences;
  std::vector<Pending*> admitted;
  std::vector<board::EntryContent> contents;
  const std::uint64_t now = unix_time_ms();
  for (Pending& p : batch) {
    const Submission& s = p.submission;
    try {
      if (s.kind == board::kKindBallot || s.kind == board::kKindChallenge) {
        if (status == PollStatus::not_opened) {
          throw Rejection(403, "polls-not-open", "the officials have not opened the polls yet");
        }
        if (status == PollStatus::closed) {
          throw Rejection(403, "polls-closed", "the officials have closed the polls");
        }
        const auto& fps = s.facts->ciphertext_fingerprints;
        if (!fps.empty()) {
          const auto first = batch_fingerprints.find(fps[0]);
          if (first != batch_fingerprints.end() &&
              admitted[first->second]->submission.kind == s.kind &&
              admitted[first->second]->submission.payload == s.payload) {
            copies.emplace_back(&p, first->second);
            continue;
          }
        }
        for (std::size_t i = 0; i < fps.size(); ++i) {
          if (state_.fingerprint_used(fps[i]) || batch_fingerprints.count(fps[i])) {
            throw Rejection(409, "replay",
                            "ciphertexts[" + std::to_string(i) +
                                "] is already on the board (a ballot is cast or challenged once)");
          }
        }
        if (s.kind == board::kKindBallot) {
          const auto seen = batch_sequences.find(s.facts->voter_id);
          const std::uint64_t latest = seen != batch_sequences.end()
                                           ? seen->second
                                           : state_.latest_sequence_of(s.facts->voter_id);
          if (s.facts->sequence <= latest) {
            throw Rejection(409, "stale-sequence",
                            "sequence: " + std::to_string(s.facts->sequence) +
                                " is not above the voter's latest cast ballot's " +
                                std::to_string(latest) + " (re-votes must count up)");
          }
          batch_sequences[s.facts->voter_id] = s.facts->sequence;
        }
        // Only now, when every check passed, do they count for later submissions.
        for (const auto& fp : fps) batch_fingerprints.emplace(fp, admitted.size());
      } else {
        if (state_.nonce_used(s.nonce) || batch_nonces.count(s.nonce)) {
          throw Rejection(409, "nonce-reused", "officials_request.request.nonce: already used");
        }
        if (s.kind == board::kKindPollOpen) {
          if (status == PollStatus::open)
            throw Rejection(409, "polls-already-open", "the polls are already open");
          if (status == PollStatus::closed)
            throw Rejection(409, "polls-closed", "the polls are closed for good");
          status = PollStatus::open;
        } else {
          if (status == PollStatus::not_opened)
            throw Rejection(409, "polls-not-open", "the polls were never opened");
          if (status == PollStatus::closed)
            throw Rejection(409, "polls-closed", "the polls are already closed");
          status = PollStatus::closed;
        }
        batch_nonces.insert(s.nonce);
      }
      admitted.push_back(&p);
      contents.push_back({s.kind, now, s.payload});
    } catch (const Rejection&) {
      p.promise.set_exception(std::current_exception());
    }
  }
  if (admitted.empty()) return;

  std::vector<std::uint64_t> indices;
  board::SignedTreeHead head;
  try {
    indices = board_.append_batch(contents);  // durable (fsync) on return
    const std::uint64_t signed_at = unix_time_ms();
    if (status == PollStatus::closed ||
        signed_at - last_stored_head_ms_ >= store_head_interval_ms_) {
      head = board_.sign_head(signed_at);  // stored durably: recovery re-checks it
      last_stored_head_ms_ = signed_at;
    } else {
      // Covers only entries already durable, so every receipt stays true after a crash.
      head = board::sign_tree_head(board_.head(signed_at), head_key_);
    }
  } catch (const std::exception& e) {
    // append_batch is all-or-nothing; if only the head failed, the entries are durable but
    // unreceipted: the next batch's head (or the next start) covers them.
    std::fprintf(stderr, "collector: commit of %zu entries failed: %s\n", admitted.size(),
                 e.what());
    // If only the head failed, the entries are on the board but unreceipted: say so honestly.
    const std::string message =
        indices.empty()
            ? "the board could not be written; the submission was not accepted"
            : "the entry was stored but no signed head could be written; look it up later with "
              "GET /api/ballots/{tracking code}";
    for (Pending* p : admitted) {
      p->promise.set_exception(
          std::make_exception_ptr(Rejection(503, "store-unavailable", message)));
    }
    for (auto& [p, position] : copies) {
      p->promise.set_exception(
          std::make_exception_ptr(Rejection(503, "store-unavailable", message)));
    }
    // Entries landed without a head: keep the state true to the board.
    if (!indices.empty()) record_admitted(admitted, indices, now, status);
    return;
  }
  state_.set_latest_head(head);
  record_admitted(admitted, indices, now, status);
  for (std::size_t i = 0; i < admitted.size(); ++i) {
    Committed c{indices[i], now, board_.inclusion_proof(indices[i], head.head.tree_size), head};
    admitted[i]->promise.set_value(std::move(c));
  }
  for (auto& [p, position] : copies) {
    p->promise.set_value(Committed{indices[position], now,
                                   board_.inclusion_proof(indices[position], head.head.tree_size),
                                   head});
  }
  std::lock_guard lock(mutex_);
  ++stats_.batches;
  stats_.entries += admitted.size();
  stats_.largest_batch = std::max<std::uint64_t>(stats_.largest_batch, admitted.size());
}

}  // namespace haal::collector
