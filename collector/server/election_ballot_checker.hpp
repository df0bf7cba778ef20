// Adapter from the election library's ballot rules (election::verify_ballot_var,
// election::verify_challenge_var; docs/ballots.md) to the collector's BallotChecker.
#pragma once

#include "collector/protocol/ballot_admission.hpp"
#include "collector/protocol/election_view.hpp"

namespace haal::collector {

// Returns the HTTP status the collector answers for an election::BallotErrorCode name.
int status_of_ballot_error(const std::string& code);

// Returns the fingerprints of every ciphertext of a ballot JSON (contests[].ciphertexts[]),
// read from its hex fields. Precondition: the ballot passed verify_ballot_var (or was stored
// after).
std::vector<std::string> ballot_ciphertext_fingerprints(const Json& ballot);

class ElectionBallotChecker final : public BallotChecker {
 public:
  // `election` must outlive the checker.
  explicit ElectionBallotChecker(const ElectionView& election) : election_(election) {}
  BallotFacts check_ballot(const Json& ballot) const override;
  BallotFacts check_challenge(const Json& challenge) const override;
  BallotFacts facts_of_stored(const std::string& kind, crypto::ByteView payload) const override;

 private:
  const ElectionView& election_;
};

}  // namespace haal::collector
