// The results of a record as plain text for the terminal (`haal tally show`).
#pragma once

#include <filesystem>
#include <string>

namespace haal::tally {

// Returns a text summary of RECORD/results.json with the manifest's names: per contest the
// ballots (total, valid, blank, invalid), the votes per option and write-in, the leaders; for
// ranked contests every instant-runoff round and the Schulze winners and ranking. Throws
// TallyError when the files are missing or malformed.
std::string results_text(const std::filesystem::path& record_dir);

}  // namespace haal::tally
