// The collector's bulletin board: an append-only log of entries whose Merkle tree (RFC 9162)
// lives in memory and whose entries and signed heads live in a durable BoardStore.
// Thread-safe. Appends and head signing are serialised; tree reads (roots, proofs) never wait
// for a store write, so proofs keep being served while a batch is fsync'd.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "board/entry.hpp"
#include "board/log_audit.hpp"
#include "board/merkle_tree.hpp"
#include "board/proofs.hpp"
#include "board/store.hpp"
#include "board/tree_head.hpp"
#include "crypto/ed25519.hpp"

namespace haal::board {

// The stored log does not match its signed heads (or is malformed); the board refuses to start.
class RecoveryError : public StoreError {
 public:
  using StoreError::StoreError;
};

// What a caller submits; the board assigns the sequence number (= leaf index).
struct EntryContent {
  std::string kind;
  std::uint64_t timestamp_ms{};
  crypto::Bytes payload;
};

class Board {
 public:
  // Opens the board of election `log_id` over `store`, signing heads with `key`. Recovers the
  // tree from every stored leaf and checks every stored signed head against it (docs/board.md,
  // "Recovery"); writes nothing but the log id of a new store. Appending and signing need the
  // writer lease (try_acquire_writer_lease). Throws RecoveryError with the first mismatch,
  // StoreError on storage failure.
  Board(std::unique_ptr<BoardStore> store, std::string log_id, crypto::Ed25519PrivateKey key);

  // Appends the entries with consecutive sequence numbers in ONE durable transaction and
  // returns their indices; on any exception nothing is appended. Throws std::invalid_argument
  // on an invalid kind or oversized payload.
  std::vector<std::uint64_t> append_batch(const std::vector<EntryContent>& entries);

  // Returns the number of entries.
  std::uint64_t size() const;
  // Returns the unsigned head (size, root) of the current tree, stamped `timestamp_ms`.
  TreeHead head(std::uint64_t timestamp_ms) const;
  // Signs the current tree, durably stores the signed head and returns it.
  SignedTreeHead sign_head(std::uint64_t timestamp_ms);
  // Returns the latest stored signed head, if any.
  std::optional<SignedTreeHead> latest_signed_head() const;
  // Returns MTH of the first tree_size entries. Throws ProofError if tree_size > size().
  Hash root(std::uint64_t tree_size) const;

  // Returns the inclusion proof of entry `index` in the tree of `tree_size` entries.
  // Throws ProofError unless index < tree_size <= size().
  InclusionProof inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const;
  // Returns the consistency proof between sizes first <= second <= size(); throws ProofError.
  ConsistencyProof consistency_proof(std::uint64_t first_size, std::uint64_t second_size) const;

  // Returns entries [from, to) read from the store. Throws StoreError unless from <= to <= size().
  std::vector<BoardEntry> entries(std::uint64_t from, std::uint64_t to) const;

  // Durably records `nonce` of an officials' signed request; returns false if it was recorded
  // before (BoardStore::record_nonce). Throws StoreError on storage failure.
  bool record_nonce(const std::string& nonce);

  // Durably counts one second-device check of entry `index` if fewer than `limit` were counted
  // (BoardStore::spend_cast_check); returns false once `limit` were. Throws StoreError.
  bool spend_cast_check(std::uint64_t index, std::uint64_t limit);

  // Tries once to take the store's writer lease (BoardStore::try_acquire_writer_lease): returns
  // true if this process holds it; false, with `holder` describing who does, if not. Only the
  // holder may append or sign. Throws StoreError.
  bool try_acquire_writer_lease(std::string& holder);

  // Returns normally while this process holds the store's writer lease; throws StoreError once
  // it is lost.
  void check_writer_lease();

  // Reads the entries another writer appended to the store since this board last read it, and
  // returns how many (a standby following the active collector; docs/deploy.md section 7).
  // Checks them and every newly stored signed head as recovery does (docs/board.md section 7).
  // Throws RecoveryError, StoreError.
  std::uint64_t catch_up();

  // Returns the collector's 32-byte Ed25519 public key that verifies the signed heads.
  const crypto::Bytes& public_key() const { return public_key_; }
  const std::string& log_id() const { return log_id_; }

 private:
  // Lock order: write_mutex_ before tree_mutex_ before store_mutex_; only catch_up nests the
  // latter two.
  std::mutex write_mutex_;          // one append / sign_head sequence at a time
  mutable std::mutex store_mutex_;  // store connections are not thread-safe
  mutable std::shared_mutex tree_mutex_;
  std::unique_ptr<BoardStore> store_;
  std::string log_id_;
  crypto::Ed25519PrivateKey key_;
  crypto::Bytes public_key_;
  MerkleTree tree_;
  std::uint64_t heads_checked_ = 0;       // stored heads checked against tree_ (catch_up)
  std::uint64_t previous_head_size_ = 0;  // size of the last of them
};

}  // namespace haal::board
