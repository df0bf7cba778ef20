#include "tally/ceremony/close.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "board/entry.hpp"
#include "board/merkle_tree.hpp"
#include "board/proofs.hpp"
#include "board/receipt.hpp"
#include "board/tree_head.hpp"
#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "election/context.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

namespace {

void copy_public_file(const fs::path& from, const fs::path& to) {
  if (!fs::is_regular_file(from)) throw TallyError(from.string() + ": missing");
  // Re-serialised canonically: the record holds canonical JSON only (docs/record.md).
  write_record_json(to, read_record_json(from));
}

// Appends the receipts of one file (a JSON value, or JSON lines) to `out`.
void read_receipt_file(const fs::path& file, std::vector<std::pair<std::string, Json>>& out) {
  const std::string all = base::read_file(file);
  const auto receipt_of = [](const Json& j) { return j.contains("receipt") ? j.at("receipt") : j; };
  const Json whole = Json::parse(all, nullptr, /*allow_exceptions=*/false);
  if (!whole.is_discarded()) {  // one receipt, as `haal vote` saves it
    if (!whole.is_object()) throw TallyError(file.string() + ": not a receipt (a JSON object)");
    out.emplace_back(file.string(), receipt_of(whole));
    return;
  }
  std::istringstream lines(all);
  std::string line;
  for (std::size_t n = 1; std::getline(lines, line); ++n) {  // JSON lines, as loadgen writes
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = file.string() + " line " + std::to_string(n);
    const Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      throw TallyError(where + ": not a receipt: --receipts takes files holding one receipt " +
                       "(as `haal vote` saves them) or one receipt per line (as `haal loadgen " +
                       "--receipts` writes), or directories of such files");
    }
    out.emplace_back(where, receipt_of(j));
  }
}

}  // namespace

std::vector<std::pair<std::string, Json>> read_receipt_files(const std::vector<fs::path>& paths) {
  std::vector<std::pair<std::string, Json>> out;
  for (const fs::path& path : paths) {
    if (fs::is_directory(path)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(path)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) throw TallyError(path.string() + ": a directory without receipt files");
      for (const fs::path& f : files) read_receipt_file(f, out);
    } else if (fs::is_regular_file(path)) {
      read_receipt_file(path, out);
    } else {
      throw TallyError(path.string() + ": no such receipt file or directory");
    }
  }
  return out;
}

RecordStart start_record(const fs::path& election_dir, const Json& board_export,
                         const std::vector<fs::path>& receipts, const fs::path& record_dir) {
  if (fs::exists(record_dir) && !fs::is_empty(record_dir)) {
    throw TallyError(record_dir.string() + ": already exists and is not empty");
  }
  const Json manifest = read_record_json(election_dir / "manifest.json");
  const std::string election_id = manifest.at("election_id").get<std::string>();
  if (board_export.value("election_id", "") != election_id) {
    throw TallyError("the board export is for election \"" + board_export.value("election_id", "") +
                     "\", not \"" + election_id + "\"");
  }
  if (board_export.value("final", false) != true) {
    throw TallyError("the board export is not final: close the polls first (haal polls close)");
  }
  // The collector's key is the one the context pins, never the one the export names.
  const crypto::Bytes collector_key =
      election::load_election_context(election_dir).parties().collector_key;
  if (board_export.value("collector_public_key", "") != crypto::to_hex(collector_key)) {
    throw TallyError("the board export is signed by collector key " +
                     board_export.value("collector_public_key", "(none)") +
                     ", not context.json's collector_key " + crypto::to_hex(collector_key));
  }
  const board::SignedTreeHead final_head = board::signed_tree_head_from_json(
      board_export.at("signed_tree_head"), "export.signed_tree_head");
  board::check_tree_head_signature_var(final_head, collector_key);
  if (final_head.head.log_id != election_id) {
    throw TallyError("the final tree head is for log \"" + final_head.head.log_id + "\"");
  }

  // The board: every entry, re-hashed here; the final head must be their root.
  const Json& list = board_export.at("entries");
  board::MerkleTree tree;
  std::string lines;
  std::size_t poll_closes = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const board::BoardEntry e =
        board::entry_from_json(list[i], "export.entries[" + std::to_string(i) + "]");
    if (e.sequence != i)
      throw TallyError("board entry " + std::to_string(i) + " has sequence " +
                       std::to_string(e.sequence));
    if (e.kind == board::kKindPollClose) ++poll_closes;
    tree.append_leaf(board::encode_leaf(e));
    const crypto::Bytes line = crypto::canonical_json_bytes(board::entry_to_json(e));
    lines.append(line.begin(), line.end());
    lines.push_back('\n');
  }
  if (tree.size() != final_head.head.tree_size || tree.root() != final_head.head.root_hash) {
    throw TallyError("the exported entries do not hash to the final signed tree head");
  }
  if (poll_closes != 1 || list.empty() ||
      list.back().at("kind") != std::string(board::kKindPollClose)) {
    throw TallyError("the final board must end with its one poll-close entry");
  }

  fs::create_directories(record_dir);
  copy_public_file(election_dir / "manifest.json", record_dir / "manifest.json");
  copy_public_file(election_dir / "context.json", record_dir / "context.json");
  copy_public_file(election_dir / "roll.json", record_dir / "roll.json");
  for (const auto& e : fs::directory_iterator(election_dir / "ceremony")) {
    if (!e.is_regular_file() || e.path().extension() != ".json") {
      throw TallyError(e.path().string() + ": unexpected file in the ceremony directory");
    }
    copy_public_file(e.path(), record_dir / "ceremony" / e.path().filename());
  }
  write_record_bytes(
      record_dir / "board" / "entries.jsonl",
      crypto::ByteView(reinterpret_cast<const std::uint8_t*>(lines.data()), lines.size()));
  write_record_json(record_dir / "board" / "head.json",
                    board::signed_tree_head_to_json(final_head));

  RecordStart out;
  out.entries = list.size();
  out.final_root_hex = crypto::to_hex(final_head.head.root_hash);
  // Heads the voters were shown, each proven consistent with the final board.
  {
    std::map<std::uint64_t, board::SignedTreeHead> heads;
    for (const auto& [where, json] : read_receipt_files(receipts)) {
      board::Receipt receipt;
      try {
        receipt = board::receipt_from_json(json, where);
      } catch (const std::exception& e) {
        throw TallyError(where + ": " + e.what());
      }
      const board::SignedTreeHead& h = receipt.signed_tree_head;
      if (!board::verify_tree_head_var(h, collector_key) || h.head.log_id != election_id) {
        throw TallyError(where +
                         ": the receipt's tree head is not signed by this election's collector");
      }
      if (h.head.tree_size > tree.size() || tree.root(h.head.tree_size) != h.head.root_hash) {
        throw TallyError(
            where + ": the receipt's tree head (size " + std::to_string(h.head.tree_size) +
            ") is NOT consistent with the final board: entries were dropped or rewritten");
      }
      heads.emplace(h.head.tree_size, h);
    }
    for (const auto& [size, h] : heads) {
      const board::ConsistencyProof proof{size, tree.size(),
                                          tree.consistency_proof(size, tree.size())};
      write_record_json(record_dir / "board" / "heads" / (std::to_string(size) + ".json"),
                        Json{{"signed_tree_head", board::signed_tree_head_to_json(h)},
                             {"consistency_proof", board::consistency_proof_to_json(proof)}});
    }
    out.heads = heads.size();
  }
  return out;
}

}  // namespace haal::tally
