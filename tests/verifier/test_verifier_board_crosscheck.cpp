// Cross-check against the real bulletin board (haal_board, used here only to produce data):
// the honest record's entries are re-appended to a board::Board, whose leaves, roots, signed
// heads, inclusion and consistency proofs the verifier's own re-implementation must accept, and
// a record written from that board passes stage 3.
#include <catch2/catch.hpp>

#include "board/board.hpp"
#include "board/entry.hpp"
#include "board/proofs.hpp"
#include "board/store.hpp"
#include "board/tree_head.hpp"
#include "tests/verifier/record_builder.hpp"
#include "verifier-app/board_json.hpp"
#include "verifier-app/merkle.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::testing;
using crypto::Json;
namespace fs = std::filesystem;

TEST_CASE("the real board's leaves, heads and proofs pass the verifier's re-implementation") {
  const fs::path dir = fresh_temp_path("board-crosscheck");
  build_record(dir, BuildOptions{.voters = 9});
  const fs::path db = fresh_temp_path("board-crosscheck-db") += ".sqlite";
  const std::string log_id = read_json(dir / "manifest.json").at("election_id");
  board::Board real(board::open_store("sqlite:" + db.string()), log_id, test_key("collector"));
  std::vector<board::EntryContent> contents;
  for (const Json& e : read_entries(dir)) {
    contents.push_back({e.at("kind").get<std::string>(), e.at("timestamp_ms").get<std::uint64_t>(),
                        crypto::from_hex(e.at("payload").get<std::string>())});
  }
  real.append_batch(contents);
  const std::uint64_t n = real.size();
  REQUIRE(n == contents.size());

  // Leaves and roots.
  std::vector<Digest> leaves;
  std::vector<std::string> lines;
  for (const board::BoardEntry& e : real.entries(0, n)) {
    const crypto::Bytes real_leaf = board::encode_leaf(e);
    const crypto::Bytes mine =
        encode_board_leaf(BoardEntry{e.kind, e.sequence, e.timestamp_ms, e.payload});
    CHECK(real_leaf == mine);
    leaves.push_back(merkle_leaf_hash(mine));
    lines.push_back(board::entry_to_json(e).dump());
  }
  for (std::uint64_t size = 0; size <= n; ++size) {
    CHECK(real.root(size) == merkle_root(std::span(leaves).subspan(0, size)));
  }
  // Every inclusion and consistency proof the board serves verifies here.
  for (std::uint64_t size = 1; size <= n; ++size) {
    const Digest r = real.root(size);
    for (std::uint64_t m = 0; m < size; ++m) {
      const InclusionProof p = inclusion_proof_from_json(
          board::inclusion_proof_to_json(real.inclusion_proof(m, size)), "p");
      CHECK(merkle_verify_inclusion(m, size, leaves[m], p.audit_path, r));
      if (m + 1 < size)
        CHECK_FALSE(merkle_verify_inclusion(m + 1, size, leaves[m], p.audit_path, r));
    }
    for (std::uint64_t first = 0; first <= size; ++first) {
      const Digest first_root = real.root(first);
      const ConsistencyProof c = consistency_proof_from_json(
          board::consistency_proof_to_json(real.consistency_proof(first, size)), "c");
      CHECK(merkle_verify_consistency(first, size, first_root, r, c.path));
    }
  }

  // A record whose board files come from the real board passes stage 3 (and the rest of 1-5).
  write_lines(dir / "board" / "entries.jsonl", lines);
  const board::SignedTreeHead final_head = real.sign_head(
      read_json(dir / "board" / "head.json").at("timestamp_ms").get<std::uint64_t>());
  write_json(dir / "board" / "head.json", board::signed_tree_head_to_json(final_head));
  fs::remove_all(dir / "board" / "heads");
  for (std::uint64_t size : {std::uint64_t{2}, std::uint64_t{7}}) {
    const board::TreeHead head{log_id, size, real.root(size), 1767225600000 + size};
    const board::SignedTreeHead h = board::sign_tree_head(head, test_key("collector"));
    write_json(dir / "board" / "heads" / (std::to_string(size) + ".json"),
               Json{{"signed_tree_head", board::signed_tree_head_to_json(h)},
                    {"consistency_proof",
                     board::consistency_proof_to_json(real.consistency_proof(size, n))}});
  }
  reindex(dir);
  const Report report = verify_path(dir);
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  fs::remove_all(dir);
  fs::remove(db);
  fs::remove(db.string() + "-wal");
  fs::remove(db.string() + "-shm");
}
