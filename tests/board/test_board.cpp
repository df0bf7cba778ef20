// Board: durable appends, signed heads, proofs against signed heads, restart recovery and its
// refusal to start on any mismatch between stored entries and stored signed heads.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "board/board.hpp"
#include "store_fixture.hpp"

using namespace haal::board;
using haal::board::testing::PostgresSchema;
using haal::board::testing::TempDir;
using haal::crypto::Bytes;
using haal::crypto::Ed25519PrivateKey;

namespace {

const std::string kLogId = "election-2026-test";

Ed25519PrivateKey collector_key() {
  return Ed25519PrivateKey::from_seed(Bytes(32, 0x42));
}

std::unique_ptr<Board> open_board(const std::string& url, Ed25519PrivateKey key = collector_key(),
                                  const std::string& log_id = kLogId) {
  return std::make_unique<Board>(open_store(url), log_id, std::move(key));
}

std::vector<EntryContent> batch(std::uint64_t first, std::uint64_t count) {
  std::vector<EntryContent> out;
  for (std::uint64_t i = first; i < first + count; ++i) {
    out.push_back(EntryContent{i % 7 == 0 ? "challenge" : "ballot", 10'000 + i,
                               haal::crypto::to_bytes("{\"ballot\":" + std::to_string(i) + "}")});
  }
  return out;
}

// Runs one SQL statement on a SQLite file, behind the board's back.
void sqlite_exec(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
  INFO(message);
}

// Replaces stored leaf `index` with `entry`'s encoding.
void sqlite_replace_leaf(const std::string& file, std::uint64_t index, const BoardEntry& entry) {
  sqlite_exec(file, "UPDATE board_entries SET leaf = x'" +
                        haal::crypto::to_hex(encode_leaf(entry)) +
                        "' WHERE idx = " + std::to_string(index));
}

void check_board_flow(const std::string& url) {
  SignedTreeHead first_head;
  SignedTreeHead second_head;
  {
    auto board = open_board(url);
    CHECK(board->size() == 0);
    CHECK(board->root(0) == empty_tree_hash());
    CHECK_FALSE(board->latest_signed_head().has_value());
    CHECK(board->append_batch(batch(0, 3)) == std::vector<std::uint64_t>{0, 1, 2});
    CHECK(board->append_batch({}).empty());
    CHECK(board->append_batch(batch(3, 2)) == std::vector<std::uint64_t>{3, 4});
    first_head = board->sign_head(111);
    CHECK(first_head.head.tree_size == 5);
    CHECK(verify_tree_head_var(first_head, board->public_key()));
    CHECK(board->latest_signed_head() == first_head);

    const auto more = board->append_batch(batch(5, 40));
    CHECK(more.front() == 5);
    CHECK(more.back() == 44);
    second_head = board->sign_head(222);
    CHECK(second_head.head.root_hash == board->root(45));
    CHECK(board->head(333).root_hash == second_head.head.root_hash);

    // Entries read back carry the board-assigned sequence numbers.
    const auto entries = board->entries(0, 45);
    REQUIRE(entries.size() == 45);
    const auto expected = batch(0, 45);
    for (std::uint64_t i = 0; i < 45; ++i) {
      CHECK(entries[i].sequence == i);
      CHECK(entries[i].kind == expected[i].kind);
      CHECK(entries[i].payload == expected[i].payload);
      // Every entry is provably in both heads that cover it.
      const auto proof = board->inclusion_proof(i, 45);
      CHECK_NOTHROW(
          check_inclusion_var(proof, encode_leaf(entries[i]), second_head.head.root_hash));
      if (i < 5) {
        CHECK_NOTHROW(check_inclusion_var(board->inclusion_proof(i, 5), encode_leaf(entries[i]),
                                          first_head.head.root_hash));
      }
    }
    CHECK_NOTHROW(check_consistency_var(board->consistency_proof(5, 45), first_head.head.root_hash,
                                        second_head.head.root_hash));
    CHECK_THROWS_WITH(board->entries(40, 46), Catch::Contains("outside the log of 45"));
    CHECK_THROWS_AS(board->inclusion_proof(45, 45), ProofError);
    CHECK_THROWS_WITH(board->append_batch({EntryContent{"Bad Kind", 0, {}}}),
                      Catch::Contains("invalid kind"));
    CHECK(board->size() == 45);
  }
  {
    // Restart: the tree is rebuilt from the store and matches both signed heads.
    auto board = open_board(url);
    CHECK(board->size() == 45);
    CHECK(board->root(5) == first_head.head.root_hash);
    CHECK(board->root(45) == second_head.head.root_hash);
    CHECK(board->latest_signed_head() == second_head);
    CHECK(board->append_batch(batch(45, 1)) == std::vector<std::uint64_t>{45});
  }
  // The store refuses another election; a different key cannot vouch for the stored heads.
  CHECK_THROWS_WITH(open_board(url, collector_key(), "election-other"),
                    Catch::Contains("holds log"));
  CHECK_THROWS_WITH(open_board(url, Ed25519PrivateKey::from_seed(Bytes(32, 1))),
                    Catch::Contains("signed tree head #0 (size 5, timestamp_ms 111) has an invalid "
                                    "signature"));
}

}  // namespace

TEST_CASE("board on SQLite: append, sign, prove, restart") {
  TempDir dir;
  check_board_flow(dir.sqlite_url());
}

TEST_CASE("board on PostgreSQL: append, sign, prove, restart") {
  const auto base = haal::board::testing::postgres_test_url();
  if (!base) {
    WARN("SKIP: PostgreSQL board tests need HAAL_TEST_POSTGRES_URL");
    return;
  }
  PostgresSchema schema(*base);
  check_board_flow(schema.url());
}

TEST_CASE("recovery refuses a log altered behind the signed heads") {
  TempDir dir;
  const std::string url = dir.sqlite_url();
  const std::string file = dir.file();
  std::string good_copy = dir.file("good.db");
  {
    auto board = open_board(url);
    board->append_batch(batch(0, 10));
    board->sign_head(1);
    board->append_batch(batch(10, 5));
    board->sign_head(2);
  }
  // The WAL is checkpointed on close, so copying the main file copies the whole store.
  std::filesystem::copy_file(file, good_copy);
  const auto restore = [&] {
    std::filesystem::remove(file);
    std::filesystem::remove(file + "-wal");
    std::filesystem::remove(file + "-shm");
    std::filesystem::copy_file(good_copy, file);
  };
  CHECK_NOTHROW(open_board(url));

  SECTION("a re-encoded, validly formed entry with another payload") {
    restore();
    sqlite_replace_leaf(file, 3, BoardEntry{"ballot", 3, 10'003, haal::crypto::to_bytes("{}")});
    CHECK_THROWS_WITH(open_board(url),
                      Catch::Contains("signed tree head #0 (size 10, timestamp_ms 1) has root") &&
                          Catch::Contains("the log was altered"));
  }
  SECTION("an entry after the first head but inside the second") {
    restore();
    sqlite_replace_leaf(file, 12, BoardEntry{"ballot", 12, 1, {}});
    CHECK_THROWS_WITH(open_board(url), Catch::Contains("signed tree head #1 (size 15"));
  }
  SECTION("a wrong sequence number") {
    restore();
    sqlite_replace_leaf(file, 2, BoardEntry{"ballot", 5, 10'002, {}});
    CHECK_THROWS_WITH(open_board(url), Catch::Contains("entry 2 has sequence 5"));
  }
  SECTION("a malformed leaf") {
    restore();
    sqlite_exec(file, "UPDATE board_entries SET leaf = x'00' WHERE idx = 7");
    CHECK_THROWS_WITH(open_board(url), Catch::Contains("entry 7: board_entry: offset 0"));
  }
  SECTION("lost entries covered by a signed head") {
    restore();
    sqlite_exec(file, "DELETE FROM board_entries WHERE idx >= 13");
    CHECK_THROWS_WITH(open_board(url), Catch::Contains("covers more entries than the 13 present"));
  }
  SECTION("a hole in the log") {
    restore();
    sqlite_exec(file, "DELETE FROM board_entries WHERE idx = 4");
    CHECK_THROWS_WITH(open_board(url), Catch::Contains("entry 4 is missing"));
  }
  SECTION("a forged head") {
    restore();
    sqlite_exec(file, "UPDATE board_heads SET tree_size = 11 WHERE tree_size = 10");
    CHECK_THROWS_WITH(open_board(url),
                      Catch::Contains("size 11") && Catch::Contains("invalid signature"));
  }
  SECTION("a head from another log") {
    restore();
    sqlite_exec(file, "UPDATE board_heads SET log_id = 'other' WHERE tree_size = 15");
    CHECK_THROWS_WITH(open_board(url), Catch::Contains("is for log \"other\""));
  }
  SECTION("tampering while running is caught when entries are served") {
    restore();
    auto board = open_board(url);
    sqlite_replace_leaf(file, 1, BoardEntry{"ballot", 1, 1, {}});
    CHECK_THROWS_WITH(board->entries(0, 3), Catch::Contains("stored entry 1 no longer matches"));
    CHECK(board->entries(2, 3).size() == 1);
  }
}

TEST_CASE("a standby board follows the writer's appends and heads, and refuses a forged one") {
  TempDir dir;
  const std::string url = dir.sqlite_url();
  auto writer = open_board(url);
  std::string holder;
  REQUIRE(writer->try_acquire_writer_lease(holder));
  writer->append_batch(batch(0, 10));
  writer->sign_head(1);

  auto standby = open_board(url);  // recovers the 10 entries present now
  CHECK_FALSE(standby->try_acquire_writer_lease(holder));
  CHECK(standby->size() == 10);
  CHECK(standby->catch_up() == 0);
  writer->append_batch(batch(10, 5));
  writer->append_batch(batch(15, 3));
  CHECK(standby->catch_up() == 8);
  CHECK(standby->size() == 18);
  CHECK(standby->root(18) == writer->root(18));
  CHECK(standby->root(12) == writer->root(12));
  writer->sign_head(2);
  CHECK(standby->catch_up() == 0);  // checks the new head

  // The standby's reads stay true to the log: proofs and entries agree with the writer's.
  CHECK(standby->inclusion_proof(13, 18) == writer->inclusion_proof(13, 18));
  CHECK(standby->entries(16, 18).size() == 2);

  // A stored head that does not describe the log (here signed with the right key over a wrong
  // root) stops the standby, as it stops a recovery.
  writer->append_batch(batch(18, 2));
  writer.reset();
  open_store(url)->append_head(sign_tree_head(TreeHead{kLogId, 20, Hash{}, 7}, collector_key()));
  CHECK_THROWS_WITH(standby->catch_up(), Catch::Contains("signed tree head #2 (size 20") &&
                                             Catch::Contains("the log was altered"));
  CHECK(standby->size() == 20);
}
