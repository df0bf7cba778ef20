#include "collector/server/board_state.hpp"

#include <mutex>

#include "collector/protocol/election_view.hpp"

namespace haal::collector {

std::string to_string(PollStatus status) {
  switch (status) {
    case PollStatus::not_opened:
      return "not-opened";
    case PollStatus::open:
      return "open";
    case PollStatus::closed:
      return "closed";
  }
  return "?";
}

std::optional<LocatedBallot> BoardState::find(const std::string& key) const {
  std::shared_lock lock(mutex_);
  if (const auto h = by_hash_.find(key); h != by_hash_.end()) return located_[h->second];
  if (const auto t = by_tracking_code_.find(key); t != by_tracking_code_.end()) {
    return located_[t->second];
  }
  return std::nullopt;
}

std::optional<std::uint64_t> BoardState::latest_ballot_of(const std::string& voter_id) const {
  std::shared_lock lock(mutex_);
  const auto it = latest_by_voter_.find(voter_id);
  if (it == latest_by_voter_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t BoardState::latest_sequence_of(const std::string& voter_id) const {
  std::shared_lock lock(mutex_);
  const auto it = sequence_by_voter_.find(voter_id);
  return it == sequence_by_voter_.end() ? 0 : it->second;
}

bool BoardState::fingerprint_used(const std::string& fingerprint) const {
  std::shared_lock lock(mutex_);
  return fingerprints_.count(fingerprint) > 0;
}

bool BoardState::nonce_used(const std::string& nonce) const {
  std::shared_lock lock(mutex_);
  return nonces_.count(nonce) > 0;
}

PollStatus BoardState::poll_status() const {
  std::shared_lock lock(mutex_);
  return poll_status_;
}

std::optional<board::SignedTreeHead> BoardState::latest_head() const {
  std::shared_lock lock(mutex_);
  return latest_head_;
}

std::uint64_t BoardState::ballots() const {
  std::shared_lock lock(mutex_);
  return ballots_;
}

std::uint64_t BoardState::challenges() const {
  std::shared_lock lock(mutex_);
  return challenges_;
}

void BoardState::add(const LocatedBallot& located, const std::vector<std::string>& fingerprints) {
  std::unique_lock lock(mutex_);
  const std::size_t slot = located_.size();
  located_.push_back(located);
  // A challenged ballot and a later identical cast are impossible (replay), so hashes are unique.
  by_hash_[located.ballot_hash] = slot;
  by_tracking_code_[located.tracking_code] = slot;
  for (const auto& f : fingerprints) fingerprints_.insert(f);
  if (located.kind == board::kKindBallot) {
    // Re-voting: the highest sequence counts (election/revoting.hpp); the collector accepts
    // only increasing sequences, so that is also the latest on the board.
    latest_by_voter_[located.voter_id] = located.board_index;
    sequence_by_voter_[located.voter_id] = located.sequence;
    ++ballots_;
  } else {
    ++challenges_;
  }
}

void BoardState::add_nonce(const std::string& nonce) {
  std::unique_lock lock(mutex_);
  nonces_.insert(nonce);
}

void BoardState::set_poll_status(PollStatus status) {
  std::unique_lock lock(mutex_);
  poll_status_ = status;
}

std::uint64_t BoardState::followed() const {
  std::shared_lock lock(mutex_);
  return followed_;
}

void BoardState::set_followed(std::uint64_t entries) {
  std::unique_lock lock(mutex_);
  followed_ = entries;
}

void BoardState::set_latest_head(const board::SignedTreeHead& head) {
  std::unique_lock lock(mutex_);
  latest_head_ = head;
}

std::string nonce_of_poll_event(crypto::ByteView payload) {
  const Json j = Json::parse(payload.begin(), payload.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("request") || !j["request"].is_object()) {
    throw crypto::FormatError("poll_event", "not a signed officials' request");
  }
  return crypto::require_string(j["request"], "nonce", "poll_event.request");
}

void follow_board_state(const board::Board& board, const BallotChecker& checker,
                        BoardState& state) {
  constexpr std::uint64_t kChunk = 4096;
  const std::uint64_t size = board.size();
  for (std::uint64_t from = state.followed(); from < size; from += kChunk) {
    const auto entries = board.entries(from, std::min(size, from + kChunk));
    for (const auto& e : entries) {
      const std::string where = "board entry " + std::to_string(e.sequence) + " (" + e.kind + ")";
      try {
        if (e.kind == board::kKindBallot || e.kind == board::kKindChallenge) {
          const BallotFacts facts = checker.facts_of_stored(e.kind, e.payload);
          state.add({e.kind, e.sequence, e.timestamp_ms, facts.ballot_hash, facts.tracking_code,
                     facts.voter_id, facts.sequence},
                    facts.ciphertext_fingerprints);
        } else if (e.kind == board::kKindPollOpen) {
          state.add_nonce(nonce_of_poll_event(e.payload));
          state.set_poll_status(PollStatus::open);
        } else if (e.kind == board::kKindPollClose) {
          state.add_nonce(nonce_of_poll_event(e.payload));
          state.set_poll_status(PollStatus::closed);
        } else {
          throw std::runtime_error("unknown kind");
        }
      } catch (const std::exception& ex) {
        throw board::RecoveryError(where + ": " + ex.what());
      }
    }
    state.set_followed(std::min(size, from + kChunk));
  }
}

void rebuild_board_state(board::Board& board, const BallotChecker& checker, BoardState& state) {
  follow_board_state(board, checker, state);
  const std::uint64_t size = board.size();
  auto head = board.latest_signed_head();
  if (!head || head->head.tree_size != size) head = board.sign_head(unix_time_ms());
  state.set_latest_head(*head);
}

}  // namespace haal::collector
