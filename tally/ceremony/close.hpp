// Step 1 of the tally ceremony (docs/record.md): after the officials closed the polls and
// exported the final board, start the election record with everything that was public before
// the tally: manifest, context, ceremony, roll, officials' and collector's keys, the whole board
// with its final signed tree head, and the heads voters were shown (from their receipts).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tally/ceremony/record.hpp"

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
// receipt of `receipts` (read_receipt_files) contributes its signed head, checked for signature
// and consistency with the final board, to board/heads/<size>.json. Throws TallyError naming
// the file and problem.
RecordStart start_record(const std::filesystem::path& election_dir, const Json& board_export,
                         const std::vector<std::filesystem::path>& receipts,
                         const std::filesystem::path& record_dir);

// Returns every receipt of `paths`, each with where it was read ("FILE" or "FILE line N").
// A path is a directory (each regular file in it, by name) or a file; a file holds one JSON
// value (a receipt as `haal vote` saves it, pretty-printed or not) or JSON lines (one per line,
// as `haal loadgen --receipts` appends); a value is a receipt or {"receipt": receipt, ...}.
// Receipts are parsed, not verified. Throws TallyError naming the file (and line) otherwise.
std::vector<std::pair<std::string, Json>> read_receipt_files(
    const std::vector<std::filesystem::path>& paths);

}  // namespace haal::tally
