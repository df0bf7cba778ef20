// What the collector knows about its board beyond the Merkle tree: where each ballot is, which
// ciphertexts are used (replay detection), the polls' status, the officials' nonces and the
// latest signed head. Rebuilt from the board at start-up; updated only by the BatchAppender
// after a durable commit. Thread-safe (readers share, the appender writes).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "board/board.hpp"
#include "collector/protocol/ballot_admission.hpp"

namespace haal::collector {

enum class PollStatus { not_opened, open, closed };
// Returns "not-opened", "open" or "closed".
std::string to_string(PollStatus status);

struct LocatedBallot {
  std::string kind;  // "ballot" or "challenge"
  std::uint64_t board_index{};
  std::uint64_t timestamp_ms{};
  std::string ballot_hash;
  std::string tracking_code;
  std::string voter_id;
  std::uint64_t sequence{};
};

class BoardState {
 public:
  // Returns the entry whose ballot hash (64 hex) or tracking code is `key`, if any.
  std::optional<LocatedBallot> find(const std::string& key) const;
  // Returns the board index of the voter's latest cast ballot, if any.
  std::optional<std::uint64_t> latest_ballot_of(const std::string& voter_id) const;
  // Returns the highest sequence number of the voter's cast ballots (0 if none).
  std::uint64_t latest_sequence_of(const std::string& voter_id) const;
  // Returns true iff a ciphertext with this fingerprint is on the board.
  bool fingerprint_used(const std::string& fingerprint) const;
  bool nonce_used(const std::string& nonce) const;
  PollStatus poll_status() const;
  std::optional<board::SignedTreeHead> latest_head() const;
  std::uint64_t ballots() const;
  std::uint64_t challenges() const;

  // Writers (the appender and start-up recovery only).
  void add(const LocatedBallot& located, const std::vector<std::string>& fingerprints);
  void add_nonce(const std::string& nonce);
  void set_poll_status(PollStatus status);
  void set_latest_head(const board::SignedTreeHead& head);
  // The number of board entries follow_board_state has read into this state.
  std::uint64_t followed() const;
  void set_followed(std::uint64_t entries);

 private:
  mutable std::shared_mutex mutex_;
  std::vector<LocatedBallot> located_;
  std::unordered_map<std::string, std::size_t> by_hash_;
  std::unordered_map<std::string, std::size_t> by_tracking_code_;
  std::unordered_map<std::string, std::uint64_t> latest_by_voter_;
  std::unordered_map<std::string, std::uint64_t> sequence_by_voter_;
  std::unordered_set<std::string> fingerprints_;
  std::unordered_set<std::string> nonces_;
  PollStatus poll_status_ = PollStatus::not_opened;
  std::optional<board::SignedTreeHead> latest_head_;
  std::uint64_t ballots_ = 0;
  std::uint64_t challenges_ = 0;
  std::uint64_t followed_ = 0;
};

// Adds to `state` the entries of `board` it has not read yet (ballots, challenges, poll events;
// all of them the first time), using `checker` to read stored ballots. A standby calls it after
// each Board::catch_up. Throws board::RecoveryError on an entry the collector cannot read.
void follow_board_state(const board::Board& board, const BallotChecker& checker, BoardState& state);

// Follows `board` as above, then signs a fresh head if the board has grown since its latest
// signed head (the writer's start: this covers entries committed by a writer that died before
// answering). Throws board::RecoveryError, board::StoreError.
void rebuild_board_state(board::Board& board, const BallotChecker& checker, BoardState& state);

// The payload of a poll-open / poll-close entry: canonical JSON of the officials' signed request.
// Returns its nonce. Throws crypto::FormatError on a malformed payload.
std::string nonce_of_poll_event(crypto::ByteView payload);

}  // namespace haal::collector
