// The fixed-width plaintext encoding of a contest selection, re-implemented from
// docs/ballots.md ("Encoding") for the verifier: plaintext length and width of a contest, and
// the encoding of a claimed selection (used to check Benaloh openings).
#pragma once

#include <string>
#include <vector>

#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

struct ClaimedSelection {
  // Candidate indices (option i is i; the write-in candidate is options.size()). Choose kinds:
  // increasing; ranked: rank order.
  std::vector<std::size_t> candidates;
  std::string write_in;
};

// Returns the byte length of the contest's plaintext P: ranked 2*max, else ceil(candidates/8);
// plus 2 + write_in_max_bytes when the contest has a write-in.
std::size_t contest_plaintext_length(const ManifestContest& contest);
// Returns ceil(contest_plaintext_length / group.message_capacity()).
std::size_t contest_width(const crypto::Group& group, const ManifestContest& contest);

// Returns "" when `text` is an acceptable write-in (non-empty, <= max_bytes, valid UTF-8, no
// control characters), else the reason.
std::string write_in_violation(std::string_view text, std::size_t max_bytes);
// Returns "" when the selection obeys the contest's rules, else the reason.
std::string selection_violation(const ManifestContest& contest, const ClaimedSelection& selection);
// Parses a selection array (option ids and at most one {"write_in": text}); choose kinds are
// sorted. Throws crypto::FormatError naming `path` for anything selection_violation refuses.
ClaimedSelection selection_from_json(const ManifestContest& contest, const crypto::Json& j,
                                     const std::string& path);
// Returns P for a valid selection (precondition: selection_violation is empty).
crypto::Bytes encode_contest_plaintext(const ManifestContest& contest,
                                       const ClaimedSelection& selection);
// Returns the width elements embedding P in chunks of message_capacity() bytes. Variable time.
std::vector<crypto::Element> encode_contest_selection(const crypto::Group& group,
                                                      const ManifestContest& contest,
                                                      const ClaimedSelection& selection);

}  // namespace haal::verifier
