// The decoding in step "combine" of the tally ceremony (docs/record.md): the combined plaintext
// elements of one contest, ballot by ballot, to selections (docs/ballots.md "Encoding"), published
// in plaintexts/<contest>.json. A ballot that does not decode to a valid selection is published as
// invalid with the reason, never dropped.
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "crypto/group.hpp"
#include "election/manifest.hpp"
#include "tally/ceremony/record.hpp"
#include "tally/counting/contest.hpp"

namespace haal::tally {

struct DecodedContest {
  Json ballots = Json::array();       // plaintexts/<contest>.json "ballots", in mixed order
  std::vector<Selection> selections;  // the counting module's view, one per ballot
  std::size_t invalid = 0;
};

// Returns the decoding of one contest's combined plaintexts, ballot-major with `width` elements
// per ballot. Precondition: plaintexts.size() is a multiple of width. Variable time (public,
// post-mix data).
DecodedContest decode_contest_var(const crypto::Group& group, const election::Contest& contest,
                                  std::size_t width, std::span<const crypto::Element> plaintexts);

// Writes RECORD/plaintexts/<contest_id>.json: {"format": "haal-plaintexts-v1", "election_id",
// "contest_id", "trustees_used", "ballots"}. Throws TallyError on a write failure.
void write_plaintexts(const std::filesystem::path& record_dir, const std::string& election_id,
                      const std::string& contest_id,
                      const std::vector<std::uint32_t>& trustees_used, Json ballots);

}  // namespace haal::tally
