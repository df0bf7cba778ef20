// Stage 7's decoding of combined plaintext elements into a selection, re-implemented for the
// verifier from the fixed-width encoding of docs/ballots.md ("Encoding"):
//   P = selection part || write-in part, |P| = contest_plaintext_length
//   selection part: ranked: `max` u16_be slots, slot k = 1 + candidate ranked k-th or 0 (empty),
//                   filled slots first; choose kinds: bitmap of ceil(candidates/8) bytes, bit i
//                   (most significant first) set iff candidate i is chosen
//   write-in part (if the contest has one): u16_be(length) || text || zero padding to
//                   2 + write_in_max_bytes bytes
// P is cut into chunks of message_capacity() bytes, each embedded in one element.
#pragma once

#include <string>
#include <vector>

#include "crypto/group.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier::decryption {

struct DecodedBallot {
  bool valid = false;
  std::vector<std::size_t> candidates;  // options are 0..n-1, the write-in candidate is n
  std::string write_in;
  std::string reason;  // why it is invalid (empty when valid)
  friend bool operator==(const DecodedBallot&, const DecodedBallot&) = default;
};

// Bytes of P for the contest (see above).
std::size_t plaintext_length(const ManifestContest& contest);
// ceil(plaintext_length / capacity).
std::size_t plaintext_width(const crypto::Group& group, const ManifestContest& contest);

// Decodes the decrypted elements of one ballot for one contest. Never throws for bad plaintexts:
// anything that is not the encoding of a selection obeying the contest's rules (element count,
// an element embedding no message or a chunk of the wrong length, bad slots or bitmap bits,
// write-in length or padding, count/range/duplicate/write-in rules) is invalid with the reason.
// Variable time (public, post-mix data).
DecodedBallot decode_ballot_var(const crypto::Group& group, const ManifestContest& contest,
                                std::span<const crypto::Element> elements);
// The same from P.
DecodedBallot decode_plaintext(const ManifestContest& contest, crypto::ByteView p);

// Returns "" if the selection obeys the contest's rules, else the reason: min <= count <= max,
// indices < candidates, no repeats, choose kinds increasing; with the write-in candidate
// chosen its text is 1..write_in_max_bytes bytes of well-formed UTF-8 (RFC 3629) without
// control characters (U+0000-U+001F, U+007F); without it the text is empty.
std::string selection_rule_violation(const ManifestContest& contest,
                                     const std::vector<std::size_t>& candidates,
                                     const std::string& write_in);

// The JSON form in plaintexts/<contest>.json: {"selection": [option id | {"write_in": text}
// ...]} for a valid ballot, {"invalid": reason} otherwise (docs/verifier-mixing.md 7.4).
crypto::Json decoded_to_json(const ManifestContest& contest, const DecodedBallot& ballot);

}  // namespace haal::verifier::decryption
