// Step 1 of the tally ceremony (docs/record.md): after the officials closed the polls and
// exported the final board, start the election record with everything that was public before
// the tally: manifest, context, ceremony, roll, officials' and collector's keys, the whole board
// with its final signed tree head, and the heads voters were shown (from their receipts).
#pragma once

#include <filesystem>
#include <optional>

#include "tally/tally_record.hpp"

namespace haal::tally {

struct RecordStart {
  std::size_t entries = 0;     // board entries written
  std::size_t heads = 0;       // distinct published heads written to board/heads/
  std::string final_root_hex;  // the final head's root hash
};

// Creates RECORD_DIR (which must not exist or be empty) from ELECTION_DIR (manifest.json,
// context.json, roll.json, ceremony/) and the officials' export of the final
// board (collector/client/officials_export.hpp: {"election_id", "final", "collector_public_key",
// "signed_tree_head", "entries"}). Checks that the export is final (polls closed), is this
// election's, its head is signed by context.json's collector_key and its entries hash to the
// head; each
// receipt in `receipts_jsonl` (one JSON object per line: a receipt, or {"receipt": receipt, ...}
// as `haal loadgen --receipts` writes) contributes its signed head, checked for signature and
// consistency with the final board, to board/heads/<size>.json. Throws TallyError naming the file
// and problem.
RecordStart start_record(const std::filesystem::path& election_dir, const Json& board_export,
                         const std::optional<std::filesystem::path>& receipts_jsonl,
                         const std::filesystem::path& record_dir);

}  // namespace haal::tally
