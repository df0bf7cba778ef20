// The ciphertexts of one contest of a ballot or a challenge record, read as docs/ballots.md
// sections 7.1 and 8 say: first the exact JSON shape, later group membership. Shared by
// verify_ballot_var and verify_challenge_var (internal to haal_election).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/json_codec.hpp"

namespace haal::election {

// (alpha, beta) encodings of one contest's ciphertexts, before any group check.
using CiphertextEncodings = std::vector<std::pair<crypto::Bytes, crypto::Bytes>>;

// Returns the encodings of `contest["ciphertexts"]`: exactly `width` objects {alpha, beta} of
// canonical hex of the group's element length. Throws crypto::FormatError naming the field under
// `path` (the contest's path). Variable time (public data).
CiphertextEncodings parse_ciphertext_encodings_var(const crypto::Group& group,
                                                   const crypto::Json& contest,
                                                   const std::string& path, std::size_t width);

// Returns the decoded ciphertexts (membership checked, identity refused). Throws BallotRejected
// bad-element naming `<path>.ciphertexts[k].alpha|beta`. Variable time (public data).
crypto::CiphertextVector decode_ciphertexts_var(const crypto::Group& group,
                                                const CiphertextEncodings& encodings,
                                                const std::string& path);

}  // namespace haal::election
