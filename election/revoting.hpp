// Re-voting: a voter may cast several ballots; the last valid one counts. "Last" is the
// highest sequence number the voter's device signed into the ballot; a tie (which an honest
// collector never accepts) goes to the later board position. Challenged ballots never count.
#pragma once

#include <set>
#include <span>
#include <string>
#include <vector>

#include "crypto/sha256.hpp"

namespace haal::election {

// A cast ballot that passed verify_ballot_var, as the tally sees it on the board.
struct CastBallotEntry {
  std::string voter_id;
  std::uint64_t sequence = 0;
  std::size_t board_index = 0;     // position on the bulletin board
  crypto::Digest hash{};           // ballot_hash
  crypto::Digest tracking_hash{};  // over its ciphertexts (docs/ballots.md section 7)
};

// Returns the indices into `cast` of the ballots to count: per voter, among the ballots whose
// tracking hash is not in `challenged` (the tracking hashes of valid challenges: their
// ciphertexts were opened), the one with the highest (sequence, board_index). Sorted by
// board_index.
std::vector<std::size_t> counted_ballots(std::span<const CastBallotEntry> cast,
                                         const std::set<crypto::Digest>& challenged);

}  // namespace haal::election
