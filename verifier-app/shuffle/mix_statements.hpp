// Stage 6 of haal-verify, the mix servers as parties (docs/verifier-mixing.md section 6.7): a
// contest's chain is exactly context.json's mix_servers, in order, each of whom signed a
// statement binding the election, the contest, its position and the hashes of protInfo.xml, its
// input, its proof files and its output; and mix/<contest>/ holds nothing else.
#pragma once

#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

// Checks the parties of contest `contest_index`'s mix directory (which must exist) and adds one
// result per check to `report`; never throws for a defective record. Variable time.
void check_mix_parties_var(const RecordReader& record, const VerifierContext& ctx,
                           std::size_t contest_index, Report& report);

}  // namespace haal::verifier
