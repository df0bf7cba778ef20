// Checking the cast ballot itself on a second device (as Estonia's vote verification app
// does; S. Heiberg, J. Willemson, "Verifiable internet voting in Estonia", EVOTE 2014): after
// casting, the voting device shows a check key, the ballot seed that derives every encryption
// randomness of the ballot. A second device fetches the cast ballot by its tracking code,
// re-derives the randomness, checks that it produced the ballot's alphas, decrypts
// (m = beta / h^r) and shows the choices. The key never reaches the server.
// Layout and the collector's lookup limits: docs/ballots.md ("Checking the cast ballot").
#pragma once

#include "election/ballot.hpp"
#include "election/encoding.hpp"

namespace haal::election {

// Returns the check key text of a ballot seed: base32 (A-Z2-7) of its 32 bytes, 52 characters
// in 13 groups of four joined by '-'. Precondition: seed.size() == kBallotSeedLength.
std::string check_key_text(crypto::ByteView seed);

// Returns the seed a check key stands for (case-insensitive; '-' and spaces ignored). Throws
// std::invalid_argument for anything but 52 base32 characters with zero unused bits.
crypto::Bytes check_key_seed(std::string_view text);

// Returns, per contest in manifest order, what the ballot's ciphertexts encrypt, opened with the
// randomness derived from `seed`. `contests` is the "contests" array of a ballot that passed
// verify_ballot for this context. Throws std::invalid_argument("the check key does not open
// this ballot ...") when a derived randomness does not give the ciphertext's alpha. The result
// and the seed are SECRET (they reveal the vote). Variable time in the decoded messages.
std::vector<DecodedSelection> open_cast_ballot(const ElectionContext& context, const Json& contests,
                                               crypto::ByteView seed);

}  // namespace haal::election
