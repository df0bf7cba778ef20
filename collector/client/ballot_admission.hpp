// The collector's view of a ballot: what it must know to post, index and deduplicate it, and the
// interface through which the election's ballot rules are checked. The server (collector/) runs
// the checks in the order of docs/api.md, "POST /api/ballots"; a BallotChecker implements the
// election-specific steps.
#pragma once

#include <string>
#include <vector>

#include "collector/client/rejection.hpp"
#include "crypto/bytes.hpp"
#include "crypto/json_codec.hpp"

namespace haal::collector {

using Json = nlohmann::json;

// Facts about a parsed ballot (or challenged ballot); no signature or proof checked yet.
struct BallotFacts {
  std::string voter_id;
  std::string ballot_hash;    // lowercase hex SHA-256 of the canonical ballot (the leaf payload)
  std::string tracking_code;  // what the voter sees; derived from ballot_hash
  // Lowercase hex SHA-256 of each ciphertext's canonical encoding; a ballot reusing any
  // ciphertext already on the board is a replay.
  std::vector<std::string> ciphertext_fingerprints;
  crypto::Bytes payload;  // canonical JSON bytes that become the board entry's payload
};

class BallotChecker {
 public:
  virtual ~BallotChecker() = default;

  // Steps "JSON shape" and "election id": returns the ballot's facts. Throws Rejection
  // (400 "bad-shape", 400 "bad-encoding", 422 "wrong-election") naming the field.
  virtual BallotFacts parse_ballot(const Json& ballot) const = 0;
  // Steps "voter on the roll", "signature", "group elements", "proofs" for a parsed ballot.
  // Throws Rejection (403 "not-on-roll", 401 "bad-signature", 422 "not-in-group",
  // 422 "bad-proof"). Thread-safe; runs on many threads at once.
  virtual void verify_ballot(const Json& ballot, const BallotFacts& facts) const = 0;

  // The same for a Benaloh challenge {"ballot": ..., "opening": ...}: the ballot is checked as
  // above and the opening must reproduce its ciphertexts (422 "bad-opening").
  virtual BallotFacts parse_challenge(const Json& challenge) const = 0;
  virtual void verify_challenge(const Json& challenge, const BallotFacts& facts) const = 0;

  // Returns the facts of a payload already on the board (kind "ballot" or "challenge"), without
  // re-verifying it: used to rebuild the indexes at start-up. Throws Rejection on bad input.
  virtual BallotFacts facts_of_stored(const std::string& kind, crypto::ByteView payload) const = 0;
};

}  // namespace haal::collector
