// haal-verify: runs the eight stages of docs/verifier.md over a record and fills the report.
#pragma once

#include <ostream>

#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

struct VerifyOptions {
  unsigned threads = 0;              // 0: all cores
  std::ostream* progress = nullptr;  // progress lines (stderr in the binary); null: silent
};

// Runs every stage in order over `record`, adding one result per check to `report` and each
// stage's duration. Never throws for a defective record: unreadable or malformed files become
// FAIL results naming the file and field. Returns the context the stages established.
VerifierContext verify_record(const RecordReader& record, const VerifyOptions& options,
                              Report& report);

}  // namespace haal::verifier
