#include "board/board.hpp"

#include <chrono>
#include <cstdio>

namespace haal::board {

namespace {

constexpr std::uint64_t kRecoveryChunk = 65'536;
constexpr std::uint64_t kProgressEvery = 262'144;

}  // namespace

Board::Board(std::unique_ptr<BoardStore> store, std::string log_id, crypto::Ed25519PrivateKey key)
    : store_(std::move(store)),
      log_id_(std::move(log_id)),
      key_(std::move(key)),
      public_key_(key_.public_key()) {
  if (!store_) throw std::invalid_argument("board: no store");
  if (!is_valid_log_id(log_id_)) throw std::invalid_argument("board: invalid log id");
  store_->bind_log_id(log_id_);
  catch_up();
}

std::uint64_t Board::catch_up() {
  const std::string where = "board recovery (" + store_->description() + "): ";
  std::lock_guard writer(write_mutex_);
  std::unique_lock tree(tree_mutex_);
  const std::uint64_t before = tree_.size();
  LogAuditor auditor(log_id_, public_key_, std::move(tree_), heads_checked_, previous_head_size_);
  struct PutBack {  // the tree returns to the board whatever happens
    MerkleTree& tree;
    LogAuditor& auditor;
    ~PutBack() { tree = auditor.take_tree(); }
  } put_back{tree_, auditor};
  try {
    // Heads first (only those not checked before): a head is stored only after the entries it
    // covers, so every head read here is covered by the entries read below, even while another
    // writer appends.
    std::vector<SignedTreeHead> heads;
    std::uint64_t total = 0;
    {
      std::lock_guard store(store_mutex_);
      heads = store_->heads(auditor.heads_checked());
      total = store_->size();
    }
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t from = before; from < total; from += kRecoveryChunk) {
      const std::uint64_t to = std::min(total, from + kRecoveryChunk);
      std::vector<crypto::Bytes> leaves;
      {
        std::lock_guard store(store_mutex_);
        leaves = store_->read_leaves(from, to);
      }
      for (const auto& leaf : leaves) auditor.add_leaf(leaf);
      if (total - before >= kProgressEvery &&
          ((to - before) % kProgressEvery < kRecoveryChunk || to == total)) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = static_cast<double>(to - before) / std::max(seconds, 1e-9);
        std::fprintf(stderr, "board recovery: %llu/%llu entries, %.0f entries/s, ETA %.1f s\n",
                     static_cast<unsigned long long>(to), static_cast<unsigned long long>(total),
                     rate, static_cast<double>(total - to) / rate);
      }
    }
    // Every signed head ever issued must describe a prefix of the recovered log.
    for (const auto& sth : heads) auditor.check_head(sth);
  } catch (const AuditError& e) {
    throw RecoveryError(where + e.what());
  }
  heads_checked_ = auditor.heads_checked();
  previous_head_size_ = auditor.previous_head_size();
  return auditor.tree().size() - before;
}

std::vector<std::uint64_t> Board::append_batch(const std::vector<EntryContent>& entries) {
  std::lock_guard writer(write_mutex_);
  const std::uint64_t first = size();
  std::vector<crypto::Bytes> leaves;
  leaves.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    leaves.push_back(encode_leaf(
        BoardEntry{entries[i].kind, first + i, entries[i].timestamp_ms, entries[i].payload}));
  }
  {
    // Durable before the tree (and so any head or proof) sees them. Readers of the tree are
    // not blocked during the fsync.
    std::lock_guard store(store_mutex_);
    store_->append_leaves(first, leaves);
  }
  std::unique_lock tree(tree_mutex_);
  std::vector<std::uint64_t> indices;
  indices.reserve(leaves.size());
  for (const auto& leaf : leaves) indices.push_back(tree_.append_leaf(leaf));
  return indices;
}

std::uint64_t Board::size() const {
  std::shared_lock tree(tree_mutex_);
  return tree_.size();
}

TreeHead Board::head(std::uint64_t timestamp_ms) const {
  std::shared_lock tree(tree_mutex_);
  return TreeHead{log_id_, tree_.size(), tree_.root(), timestamp_ms};
}

SignedTreeHead Board::sign_head(std::uint64_t timestamp_ms) {
  std::lock_guard writer(write_mutex_);  // the size cannot change until the head is stored
  const auto sth = sign_tree_head(head(timestamp_ms), key_);
  std::lock_guard store(store_mutex_);
  store_->append_head(sth);
  return sth;
}

std::optional<SignedTreeHead> Board::latest_signed_head() const {
  std::lock_guard store(store_mutex_);
  return store_->latest_head();
}

Hash Board::root(std::uint64_t tree_size) const {
  std::shared_lock tree(tree_mutex_);
  return tree_.root(tree_size);
}

InclusionProof Board::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const {
  std::shared_lock tree(tree_mutex_);
  return InclusionProof{index, tree_size, tree_.inclusion_proof(index, tree_size)};
}

ConsistencyProof Board::consistency_proof(std::uint64_t first_size,
                                          std::uint64_t second_size) const {
  std::shared_lock tree(tree_mutex_);
  return ConsistencyProof{first_size, second_size,
                          tree_.consistency_proof(first_size, second_size)};
}

std::vector<BoardEntry> Board::entries(std::uint64_t from, std::uint64_t to) const {
  const std::uint64_t current = size();
  if (from > to || to > current) {
    throw StoreError("board: entry range [" + std::to_string(from) + ", " + std::to_string(to) +
                     ") is outside the log of " + std::to_string(current) + " entries");
  }
  std::vector<crypto::Bytes> leaves;
  {
    std::lock_guard store(store_mutex_);
    leaves = store_->read_leaves(from, to);
  }
  std::shared_lock tree(tree_mutex_);  // leaf hashes below `current` never change
  std::vector<BoardEntry> out;
  out.reserve(leaves.size());
  for (std::uint64_t i = 0; i < leaves.size(); ++i) {
    // The store is outside our control after startup: serve only what the tree commits to.
    if (leaf_hash(leaves[i]) != tree_.leaf_hash_at(from + i)) {
      throw StoreError("board: stored entry " + std::to_string(from + i) +
                       " no longer matches the log");
    }
    out.push_back(decode_leaf(leaves[i]));
  }
  return out;
}

bool Board::try_acquire_writer_lease(std::string& holder) {
  std::lock_guard store(store_mutex_);
  return store_->try_acquire_writer_lease(holder);
}

void Board::check_writer_lease() {
  std::lock_guard store(store_mutex_);
  store_->check_writer_lease();
}

bool Board::record_nonce(const std::string& nonce) {
  std::lock_guard store(store_mutex_);
  return store_->record_nonce(nonce);
}

bool Board::spend_cast_check(std::uint64_t index, std::uint64_t limit) {
  std::lock_guard store(store_mutex_);
  return store_->spend_cast_check(index, limit);
}

}  // namespace haal::board
