// Stage 7 of haal-verify: each contest's threshold decryption and decoding
// (docs/verifier-mixing.md section 7).
#pragma once

#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

// For every contest: every decrypt/<contest>/trustee-<i>.json is checked against the mixed list
// (the last mix server's output) and trustee i's verification and signing keys; at least t
// files are valid; the first t valid ones (lowest indices) are combined by Lagrange
// interpolation in the exponent; the combined elements and their decoding into selections (or
// invalid with a reason) must equal plaintexts/<contest>.json. Adds one result per check;
// never throws for a defective record.
void check_decryption(const RecordReader& record, const VerifierContext& context, Report& report);

}  // namespace haal::verifier
