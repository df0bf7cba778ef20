// Stage 8 of haal-verify: the counts (docs/verifier-mixing.md section 8).
#pragma once

#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

// For every contest: recounts from the decoded plaintexts of plaintexts/<contest>.json (whose
// decoding stage 7 recomputed) with the verifier's own implementation of docs/counting.md and
// compares the results object with results.json's, field by field (the first difference is
// named). Adds one result per check; never throws for a defective record.
void check_counting(const RecordReader& record, const VerifierContext& context, Report& report);

}  // namespace haal::verifier
