// The verifier's encoder of claimed selections, written from docs/ballots.md sections 5 and 6
// alone: a Benaloh opening's choices JSON read into a selection, and its fixed-width plaintext P
// and group elements, which stage 5 re-encrypts with the opening's randomness. The layout of P
// (|P|, the width w) and the validity rules are those of decryption/plaintext_decoding.hpp, the
// verifier's decoder, so that P's definition exists once in the verifier.
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
  std::string write_in;  // the write-in text when the write-in candidate is chosen, else empty
};

// Parses one contest's choices array (docs/ballots.md section 5): option ids and
// {"write_in": text}, in rank order for a ranked contest and in any order otherwise (then sorted
// by candidate index). Throws crypto::FormatError naming the item under `path` for an unknown
// option id or another item, and naming `path` with the reason of
// decryption::selection_rule_violation for a selection breaking the contest's rules.
ClaimedSelection selection_from_json(const ManifestContest& contest, const crypto::Json& j,
                                     const std::string& path);

// Returns P (docs/ballots.md section 6), decryption::plaintext_length(contest) bytes. Throws
// std::invalid_argument when the selection breaks the contest's rules.
crypto::Bytes encode_contest_plaintext(const ManifestContest& contest,
                                       const ClaimedSelection& selection);

// Returns the decryption::plaintext_width(group, contest) elements: element j embeds chunk j of P
// (message_capacity() bytes, the last one shorter). Throws std::invalid_argument when the
// selection breaks the contest's rules. Variable time (Group::encode_message_var).
std::vector<crypto::Element> encode_contest_selection_var(const crypto::Group& group,
                                                          const ManifestContest& contest,
                                                          const ClaimedSelection& selection);

}  // namespace haal::verifier
