// Benaloh challenges (cast-as-intended; J. Benaloh, "Simple verifiable elections", EVT 2006):
// after the device has committed to a ballot (the tracking code is shown), the voter may
// challenge it instead of casting: the device publishes the ballot with, per contest, the
// claimed choices and the encryption randomness, signed with the voter's credential. Anyone
// re-encrypts and compares. A challenged ballot is spoiled: never counted.
// Layout: docs/ballots.md ("Benaloh challenge").
#pragma once

#include "election/ballot.hpp"

namespace haal::election {

inline constexpr const char* kChallengeType = "haal-challenge-v1";

// Returns the signed challenge record of `ballot` (which must come from encrypt_ballot with
// this credential). The record reveals the randomness: the ballot can never be cast after.
Json make_challenge(const ElectionContext& context, const Credential& credential,
                    const EncryptedBallot& ballot);

struct OpenedBallot {
  VerifiedBallot ballot;
  BallotChoices choices;  // what the ciphertexts provably encrypt
};

// Checks a challenge record: the inner ballot passes verify_ballot, the record's signature
// verifies under the ballot's credential, and for every contest the claimed choices are a
// valid selection whose encoding, encrypted with the revealed randomness, gives exactly the
// ballot's ciphertexts. Returns the opened ballot, or throws BallotRejected (malformed,
// bad-signature, bad-opening, or any verify_ballot code). Variable time (public data).
OpenedBallot verify_challenge(const ElectionContext& context, const Roll& roll,
                              const Json& challenge);

}  // namespace haal::election
