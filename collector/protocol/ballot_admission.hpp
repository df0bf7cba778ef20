// The collector's view of a ballot: what it must know to post, index and deduplicate it, and the
// interface through which the election's ballot rules are checked
// (collector/server/election_ballot_checker.hpp adapts election::verify_ballot_var /
// verify_challenge_var).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "collector/protocol/rejection.hpp"
#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"

namespace haal::collector {

using Json = nlohmann::json;

// Facts about a ballot or a challenge record.
struct BallotFacts {
  std::string voter_id;  // empty for a challenge (it names no voter)
  std::uint64_t sequence =
      0;                      // the voter's re-voting counter signed into the ballot (0: challenge)
  std::string ballot_hash;    // lowercase hex SHA-256 of the payload's canonical JSON
  std::string tracking_code;  // of the ciphertexts' tracking hash (docs/ballots.md section 7)
  // Lowercase hex SHA-256(alpha || beta) of each ciphertext's canonical encodings; a submission
  // reusing any ciphertext already on the board is a replay.
  std::vector<std::string> ciphertext_fingerprints;
  crypto::Bytes payload;  // canonical JSON bytes that become the board entry's payload
};

class BallotChecker {
 public:
  virtual ~BallotChecker() = default;

  // Verifies a ballot completely and returns its facts; throws Rejection with the first failed
  // check in the order: JSON shape (400 "malformed"), election (422 "wrong-election"), voter on
  // the roll (403 "unknown-voter", "credential-mismatch"), signature (401 "bad-signature"),
  // group elements (422 "bad-element"), proofs (422 "bad-proof"). Thread-safe.
  virtual BallotFacts check_ballot(const Json& ballot) const = 0;
  // The same for an anonymous Benaloh challenge record: 400 "malformed", 422 "wrong-election",
  // "bad-element", "bad-opening" (the opening does not reproduce the ciphertexts).
  virtual BallotFacts check_challenge(const Json& challenge) const = 0;
  // Returns the facts of a payload the collector itself put on the board (kind "ballot" or
  // "challenge") WITHOUT re-verifying it: start-up rebuilds its indexes this way. Throws
  // std::invalid_argument on a payload it cannot read.
  virtual BallotFacts facts_of_stored(const std::string& kind, crypto::ByteView payload) const = 0;
};

// Returns true iff `code` is a rejection the collector reports before the voting-window check
// (the request is not a well-formed submission for this election at all).
inline bool precedes_window_check(const std::string& code) {
  return code == "bad-json" || code == "malformed" || code == "wrong-election";
}

}  // namespace haal::collector
