// `haal-verify receipt RECEIPT RECORD`: a voter checks that the ballot of their receipt is on
// the final board and whether it was counted or superseded (docs/verifier.md, "Receipt check").
#pragma once

#include <string>

#include "crypto/json_codec.hpp"
#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/verify_record.hpp"

namespace haal::verifier {

struct ReceiptStatus {
  bool on_board = false;  // the receipt's entry is on the final board under the final head
  std::string status;     // "counted" | "superseded" | "challenged" | "invalid" | "unknown"
  std::optional<std::uint64_t> superseded_by;  // board index of the voter's counted ballot
};

// Runs stages 1 and 3 on `record`, then checks the receipt (collector's receipt JSON of
// docs/api.md): its head's signature, its inclusion proof, that the record's entry at its board
// index is its ballot, that the final board extends its head, and that the entry is included
// under the final head; then reads the entry's fate from cleanse/. Adds every check to `report`.
ReceiptStatus check_receipt_var(const crypto::Json& receipt, const RecordReader& record,
                                const VerifyOptions& options, Report& report);

}  // namespace haal::verifier
