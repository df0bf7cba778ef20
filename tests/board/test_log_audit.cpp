// LogAuditor as an independent verifier uses it: on a log exported as JSON.
#include <catch2/catch.hpp>

#include "board/board.hpp"
#include "store_fixture.hpp"

using namespace haal::board;
using haal::board::testing::TempDir;
using haal::crypto::Bytes;
using haal::crypto::Ed25519PrivateKey;

namespace {

struct ExportedLog {
  Json entries = Json::array();
  Json heads = Json::array();
  Bytes public_key;
};

ExportedLog export_log() {
  TempDir dir;
  Board board(open_store(dir.sqlite_url()), "election-audit",
              Ed25519PrivateKey::from_seed(Bytes(32, 0x55)));
  for (std::uint64_t b = 0; b < 4; ++b) {
    board.append_batch({EntryContent{"ballot", b, haal::crypto::to_bytes("{\"a\":1}")},
                        EntryContent{"challenge", b, haal::crypto::to_bytes("{\"c\":2}")},
                        EntryContent{"ballot", b, haal::crypto::to_bytes("{\"a\":3}")}});
    board.sign_head(100 + b);
  }
  ExportedLog out;
  for (const auto& e : board.entries(0, board.size())) out.entries.push_back(entry_to_json(e));
  for (auto store = open_store(dir.sqlite_url()); const auto& h : store->heads(0)) {
    out.heads.push_back(signed_tree_head_to_json(h));
  }
  out.public_key = board.public_key();
  return out;
}

// Audits the JSON log as a verifier would; throws on the first problem.
void audit(const ExportedLog& log, const Bytes& public_key) {
  LogAuditor auditor("election-audit", public_key);
  std::size_t next_head = 0;
  for (std::size_t i = 0; i < log.entries.size(); ++i) {
    auditor.add_leaf(encode_leaf(entry_from_json(log.entries[i])));
    // Check each head as soon as the entries it covers are in.
    while (next_head < log.heads.size() &&
           log.heads[next_head]["tree_size"].get<std::uint64_t>() == i + 1) {
      auditor.check_head(signed_tree_head_from_json(log.heads[next_head++]));
    }
  }
  REQUIRE(next_head == log.heads.size());
}

}  // namespace

TEST_CASE("an exported log audits, and each kind of tampering is named") {
  const ExportedLog log = export_log();
  REQUIRE(log.entries.size() == 12);
  REQUIRE(log.heads.size() == 4);
  CHECK_NOTHROW(audit(log, log.public_key));

  auto changed = log;
  changed.entries[4]["payload"] = "7b7d";
  CHECK_THROWS_WITH(audit(changed, log.public_key),
                    Catch::Contains("signed tree head #1 (size 6, timestamp_ms 101) has root") &&
                        Catch::Contains("the log was altered"));

  auto swapped = log;
  std::swap(swapped.entries[7], swapped.entries[8]);
  CHECK_THROWS_WITH(audit(swapped, log.public_key), Catch::Contains("entry 7 has sequence 8"));

  auto renumbered = log;
  renumbered.entries[2]["sequence"] = 2;  // unchanged: still audits
  CHECK_NOTHROW(audit(renumbered, log.public_key));
  renumbered.entries[2]["kind"] = "poll-close";
  CHECK_THROWS_WITH(audit(renumbered, log.public_key), Catch::Contains("signed tree head #0"));

  const Bytes other_key = Ed25519PrivateKey::from_seed(Bytes(32, 0x56)).public_key();
  CHECK_THROWS_WITH(audit(log, other_key), Catch::Contains("#0 (size 3, timestamp_ms 100) has an "
                                                           "invalid signature"));

  // Heads out of order: the auditor refuses a head smaller than the previous one.
  LogAuditor auditor("election-audit", log.public_key);
  for (const auto& e : log.entries) auditor.add_leaf(encode_leaf(entry_from_json(e)));
  auditor.check_head(signed_tree_head_from_json(log.heads[2]));
  CHECK_THROWS_WITH(auditor.check_head(signed_tree_head_from_json(log.heads[1])),
                    Catch::Contains("smaller than the previous head's size 9"));

  LogAuditor wrong_log("election-other", log.public_key);
  for (const auto& e : log.entries) wrong_log.add_leaf(encode_leaf(entry_from_json(e)));
  CHECK_THROWS_WITH(wrong_log.check_head(signed_tree_head_from_json(log.heads[0])),
                    Catch::Contains("is for log \"election-audit\""));
}
