// Benaloh challenges (cast-as-intended; J. Benaloh, "Simple verifiable elections", EVT 2006):
// after the device has committed to the encrypted choices (the tracking code is shown), the
// voter may challenge them instead of casting: the device publishes the ciphertexts with, per
// contest, the claimed choices and the encryption randomness. Anyone re-encrypts and compares.
// A challenge carries no voter identity and no signature (as ElectionGuard's spoiled ballots
// and Helios's audited ballots): the voter authenticates only to cast, so a challenge made with
// the voter's real choices publishes nothing about the voter. Challenged ciphertexts are
// spoiled: never counted. Layout: docs/ballots.md ("Benaloh challenge").
#pragma once

#include "election/ballot.hpp"

namespace haal::election {

inline constexpr const char* kChallengeType = "haal-challenge-v2";

// Returns the challenge record opening `encrypted` (which must come from encrypt_choices_var for
// this context). The record reveals the randomness: these ciphertexts can never be cast after.
Json make_challenge(const ElectionContext& context, const EncryptedChoices& encrypted);

// A challenge record that passed verify_challenge_var.
struct OpenedChallenge {
  crypto::Digest hash{};           // SHA-256 of the record's canonical JSON
  crypto::Digest tracking_hash{};  // over its ciphertexts, as a ballot's
  std::string tracking_code;
  std::vector<crypto::CiphertextVector> contests;  // manifest order
  BallotChoices choices;                           // what the ciphertexts provably encrypt
};

// Checks a challenge record (docs/ballots.md section 8, in that order): shape, election,
// elements, then for every contest that the claimed choices are a valid selection whose
// encoding, encrypted with the revealed randomness, gives exactly the ciphertexts. Returns the
// opened challenge, or throws BallotRejected (malformed, wrong-election, bad-element,
// bad-opening). Variable time (public data).
OpenedChallenge verify_challenge_var(const ElectionContext& context, const Json& challenge);

}  // namespace haal::election
