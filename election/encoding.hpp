// The fixed-width plaintext encoding of a contest selection as group elements
// (docs/ballots.md, "Encoding"). Every ballot of a contest has the same width, whatever was
// chosen, so ballots look alike to the mix-net; anything a dishonest client could encrypt
// that is not the encoding of a valid selection decodes, publicly, to Invalid with a reason.
#pragma once

#include <variant>
#include <vector>

#include "crypto/group.hpp"
#include "election/selection.hpp"

namespace haal::election {

// Returns the length in bytes of the contest's plaintext byte string P (docs/ballots.md).
std::size_t contest_plaintext_length(const Contest& contest);

// Returns the number of group elements w of the contest in `group`:
// ceil(contest_plaintext_length / group.message_capacity()).
std::size_t contest_width(const crypto::Group& group, const Contest& contest);

// Returns the plaintext byte string P of a selection. Precondition: the selection is valid
// (selection_violation_var is empty); throws std::invalid_argument otherwise.
crypto::Bytes encode_contest_plaintext(const Contest& contest, const Selection& selection);

// Returns the w elements embedding P in chunks of message_capacity() bytes (the last chunk
// shorter). Throws std::invalid_argument for an invalid selection. Variable time (see
// Group::encode_message_var).
std::vector<crypto::Element> encode_contest_selection_var(const crypto::Group& group,
                                                          const Contest& contest,
                                                          const Selection& selection);

struct InvalidSelection {
  std::string reason;
};
using DecodedSelection = std::variant<Selection, InvalidSelection>;

// Returns the selection encoded by the decrypted elements of one contest of one ballot, or
// Invalid with the public reason: wrong element count, an element that embeds no message or a
// chunk of the wrong length, a malformed byte string, or a selection breaking the contest
// rules. Never throws for bad plaintexts. Variable time (public, post-mix data).
DecodedSelection decode_contest_plaintexts_var(const crypto::Group& group, const Contest& contest,
                                               const std::vector<crypto::Element>& elements);

// Same, from the byte string P (exposed for tests and for implementations that decode elements
// themselves).
DecodedSelection decode_contest_plaintext_var(const Contest& contest, crypto::ByteView plaintext);

// Returns the public JSON of a decoded selection: {"choices": selection_to_json(...)} when
// valid, {"invalid": reason} otherwise (docs/ballots.md, "Decoding after the mix").
Json decoded_selection_to_json(const Contest& contest, const DecodedSelection& decoded);

}  // namespace haal::election
