#include "board/group_commit.hpp"

#include <vector>

namespace haal::board {

GroupCommitter::GroupCommitter(Board& board, std::size_t max_batch)
    : board_(board), max_batch_(max_batch) {
  if (max_batch_ == 0) throw std::invalid_argument("group commit: max_batch must be positive");
}

std::uint64_t GroupCommitter::append(EntryContent entry) {
  // Reject bad entries here, so one caller's mistake cannot fail the others' transaction.
  if (!is_valid_kind(entry.kind)) {
    throw std::invalid_argument("board entry: invalid kind \"" + entry.kind + "\"");
  }
  if (entry.payload.size() > kMaxPayloadBytes) {
    throw std::invalid_argument("board entry: payload exceeds the limit");
  }
  Request request;
  request.entry = std::move(entry);
  std::unique_lock lock(mutex_);
  queue_.push_back(&request);
  while (!request.done) {
    if (leader_active_) {
      finished_.wait(lock);
      continue;
    }
    // Leader: take what is queued (our own request is among it) and commit it in one go.
    leader_active_ = true;
    std::vector<Request*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    std::vector<EntryContent> contents;
    contents.reserve(batch.size());
    for (const auto* r : batch) contents.push_back(r->entry);
    std::vector<std::uint64_t> indices;
    std::exception_ptr error;
    try {
      indices = board_.append_batch(contents);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (error) {
        batch[i]->error = error;
      } else {
        batch[i]->index = indices[i];
      }
      batch[i]->done = true;
    }
    if (!error) ++transactions_;
    leader_active_ = false;
    finished_.notify_all();
  }
  if (request.error) std::rethrow_exception(request.error);
  return request.index;
}

std::uint64_t GroupCommitter::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}

}  // namespace haal::board
