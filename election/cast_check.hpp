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
// verify_ballot_var for this context. Throws std::invalid_argument("the check key does not open
// this ballot ...") when a derived randomness does not give the ciphertext's alpha. The result
// and the seed are SECRET (they reveal the vote). Variable time in the decoded messages.
std::vector<DecodedSelection> open_cast_ballot_var(const ElectionContext& context,
                                                   const Json& contests, crypto::ByteView seed);

// A check request proves that its sender holds the check key without revealing it, so nobody
// who only read the tracking code from the board can spend a voter's few lookups: a Schnorr
// proof of knowledge of r_00 with alpha_00 = g^r_00 (the first ciphertext of the first contest)
// under ProofContext{context_hash, check_request_binding(...)}. Body: {"proof": {"challenge",
// "response"}} (docs/ballots.md section 12).

// Returns the canonical JSON bytes of {"type":"haal-cast-check-v1","context_hash":hex,
// "tracking_code":code}, code as tracking_code() writes it.
crypto::Bytes check_request_binding(const ElectionContext& context,
                                    const std::string& tracking_code);

// Returns the request body for the ballot with this tracking code, made from its seed. Constant
// time in the seed up to GMP's reduction (docs/crypto.md). Precondition: valid tracking code.
Json make_check_request(const ElectionContext& context, const std::string& tracking_code,
                        crypto::ByteView seed, crypto::RandomSource& rng);

// Returns true iff `request` is exactly {"proof": {"challenge","response"}} and proves knowledge
// of the discrete logarithm of the first alpha of `ballot` (a ballot that passed
// verify_ballot_var), bound to `tracking_code`. Never throws for a malformed request. Variable time
// (public data).
bool check_request_valid_var(const ElectionContext& context, const std::string& tracking_code,
                             const Json& ballot, const Json& request);

}  // namespace haal::election
