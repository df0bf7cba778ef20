// Stage 6 of haal-verify: each contest's mix chain (docs/verifier-mixing.md section 6).
#pragma once

#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/shuffle/mix_session.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

// For every contest of the manifest: mix/<contest>/ is a Verificatum proof directory bound to
// this election (group, sid = "Haal" || hex(context_hash), auxsid from the contest id, public
// key, width); its input list is the contest's ciphertexts of the counted ballots (stage 5) in
// cast order; every mix server's proof of shuffle verifies; the outputs chain. Adds one result
// per check to `report`; never throws for a defective record.
void check_mixing(const RecordReader& record, const VerifierContext& context, Report& report);

// The session identifiers a contest's mix must carry (docs/record.md): "Haal" || hex(context
// hash), and "c" || lowercase hex of the contest id's bytes (injective over contest ids).
std::string expected_mix_sid(const VerifierContext& context);
std::string expected_mix_auxsid(std::string_view contest_id);

// A FileSource over the record directory `prefix` (e.g. "mix/mayor/").
shuffle::FileSource record_files(const RecordReader& record, std::string prefix);

}  // namespace haal::verifier
