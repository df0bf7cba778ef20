// The BoardStore contract, run against SQLite always and PostgreSQL when HAAL_TEST_POSTGRES_URL
// is set.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "board/entry.hpp"
#include "board/merkle_tree.hpp"
#include "board/postgres_store.hpp"
#include "board/store.hpp"
#include "store_fixture.hpp"

using namespace haal::board;
using haal::board::testing::PostgresSchema;
using haal::board::testing::TempDir;
using haal::crypto::Bytes;

namespace {

std::vector<Bytes> make_leaves(std::uint64_t first, std::uint64_t count) {
  std::vector<Bytes> out;
  for (std::uint64_t i = first; i < first + count; ++i) {
    out.push_back(encode_leaf(BoardEntry{
        "ballot", i, 1000 + i, haal::crypto::to_bytes("{\"i\":" + std::to_string(i) + "}")}));
  }
  return out;
}

SignedTreeHead head_over(const std::vector<Bytes>& leaves, std::uint64_t size) {
  MerkleTree tree;
  for (std::uint64_t i = 0; i < size; ++i) tree.append_leaf(leaves[i]);
  const auto key = haal::crypto::Ed25519PrivateKey::from_seed(Bytes(32, 3));
  return sign_tree_head(TreeHead{"election-x", size, tree.root(), 5000 + size}, key);
}

void check_store_contract(const std::string& url) {
  std::vector<Bytes> all = make_leaves(0, 2503);
  {
    auto store = open_store(url);
    CHECK(store->size() == 0);
    CHECK(store->heads(0).empty());
    CHECK_FALSE(store->latest_head().has_value());
    CHECK(store->read_leaves(0, 0).empty());
    store->bind_log_id("election-x");
    store->bind_log_id("election-x");
    CHECK_THROWS_WITH(store->bind_log_id("election-y"),
                      Catch::Contains("holds log \"election-x\", not \"election-y\""));

    store->append_leaves(0, {all.begin(), all.begin() + 3});
    CHECK(store->size() == 3);
    CHECK(store->read_leaves(0, 3) == std::vector<Bytes>(all.begin(), all.begin() + 3));
    CHECK(store->read_leaves(1, 2) == std::vector<Bytes>{all[1]});
    CHECK_THROWS_WITH(store->read_leaves(2, 4), Catch::Contains("entry 3 is missing"));
    CHECK_THROWS_WITH(store->read_leaves(3, 2), Catch::Contains("invalid range"));
    CHECK_THROWS_WITH(store->append_leaves(2, {all[3]}),
                      Catch::Contains("append at index 2 but the store holds 3 entries"));
    CHECK_THROWS_WITH(store->append_leaves(4, {all[3]}),
                      Catch::Contains("append at index 4 but the store holds 3 entries"));
    CHECK(store->size() == 3);
    store->append_leaves(3, {});
    CHECK(store->size() == 3);

    const auto h2 = head_over(all, 2);
    store->append_head(h2);
    CHECK(store->latest_head() == h2);
    CHECK_THROWS_WITH(store->append_head(head_over(all, 1)), Catch::Contains("older than"));
    store->append_leaves(3, {all[3]});
    CHECK_THROWS_WITH(store->append_head(head_over(all, 5)),
                      Catch::Contains("size 5 exceeds the 4 stored entries"));
    const auto h4 = head_over(all, 4);
    store->append_head(h4);
    CHECK(store->heads(0) == std::vector<SignedTreeHead>{h2, h4});
    CHECK(store->heads(1) == std::vector<SignedTreeHead>{h4});
    CHECK(store->heads(2).empty());
    CHECK(store->heads(UINT64_MAX).empty());

    // Officials' nonces: each is new once.
    CHECK(store->record_nonce("00112233445566778899aabbccddeeff"));
    CHECK_FALSE(store->record_nonce("00112233445566778899aabbccddeeff"));
    CHECK(store->record_nonce("ffeeddccbbaa99887766554433221100"));
    // Second-device checks: counted per entry up to the limit, nothing counted beyond it.
    CHECK(store->spend_cast_check(3, 2));
    CHECK(store->spend_cast_check(3, 2));
    CHECK_FALSE(store->spend_cast_check(3, 2));
    CHECK_FALSE(store->spend_cast_check(3, 2));
    CHECK(store->spend_cast_check(2, 1));
    CHECK_FALSE(store->spend_cast_check(2, 1));
    CHECK_FALSE(store->spend_cast_check(1, 0));
    CHECK(store->spend_cast_check(3, 3));  // the refusals above counted nothing
    CHECK(store->size() == 4);             // not part of the log
  }
  {
    // Everything survives closing and reopening; a batch larger than one INSERT chunk works.
    auto store = open_store(url);
    CHECK(store->size() == 4);
    CHECK(store->latest_head() == head_over(all, 4));
    CHECK_THROWS_WITH(store->bind_log_id("election-y"), Catch::Contains("holds log"));
    CHECK_FALSE(store->record_nonce("00112233445566778899aabbccddeeff"));  // durable
    CHECK_FALSE(store->spend_cast_check(3, 3));                            // durable
    CHECK(store->spend_cast_check(1, 1));  // the refusal with limit 0 counted nothing
    store->append_leaves(4, {all.begin() + 4, all.end()});
    CHECK(store->size() == all.size());
    CHECK(store->read_leaves(0, all.size()) == all);
    CHECK(store->read_leaves(1999, 2001) == std::vector<Bytes>{all[1999], all[2000]});
    // The store is encoding-agnostic: an empty leaf is stored as empty, not NULL.
    store->append_leaves(all.size(), {Bytes{}});
    CHECK(store->read_leaves(all.size(), all.size() + 1) == std::vector<Bytes>{Bytes{}});
  }
}

}  // namespace

TEST_CASE("SQLite store honours the BoardStore contract") {
  TempDir dir;
  check_store_contract(dir.sqlite_url());
}

TEST_CASE("PostgreSQL store honours the BoardStore contract") {
  const auto base = haal::board::testing::postgres_test_url();
  if (!base) {
    WARN(
        "SKIP: PostgreSQL store tests need HAAL_TEST_POSTGRES_URL (e.g. "
        "postgresql://user:pass@localhost/db)");
    return;
  }
  PostgresSchema schema(*base);
  check_store_contract(schema.url());
}

TEST_CASE("store URLs are parsed and passwords never echoed") {
  CHECK_THROWS_WITH(open_store("mysql://x"), Catch::Contains("expected sqlite:PATH"));
  CHECK_THROWS_WITH(open_store("sqlite:"), Catch::Contains("has no path"));
  CHECK(redact_url_password("postgresql://u:secret@host:5432/db") ==
        "postgresql://u:***@host:5432/db");
  CHECK(redact_url_password("postgresql://u@host/db") == "postgresql://u@host/db");
  CHECK(redact_url_password("postgresql://host/db?x=a@b") == "postgresql://host/db?x=a@b");
  try {
    open_store("postgresql://u:secret@127.0.0.1:1/db?connect_timeout=2");
    FAIL("connected to a closed port");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), !Catch::Contains("secret"));
    CHECK_THAT(e.what(), Catch::Contains("connect"));
  }
  TempDir dir;
  CHECK_THROWS_AS(open_store("sqlite:" + dir.file("missing-dir/board.db")), StoreError);
}

namespace {

// Two stores on one board: the first takes the writer lease, the second cannot while the first
// holds it, and gets it once `end_first` has ended the first one's hold.
void check_writer_lease_is_exclusive(
    const std::string& url, const std::function<void(std::unique_ptr<BoardStore>&)>& end_first,
    const std::string& holder_hint) {
  std::string holder;
  auto first = open_store(url);
  REQUIRE(first->try_acquire_writer_lease(holder));
  first->check_writer_lease();
  CHECK(first->try_acquire_writer_lease(holder));  // held already

  auto second = open_store(url);
  CHECK_FALSE(second->try_acquire_writer_lease(holder));
  CHECK_THAT(holder, Catch::Contains(holder_hint));
  CHECK_FALSE(second->try_acquire_writer_lease(holder));
  CHECK_THROWS_AS(second->check_writer_lease(), StoreError);

  end_first(first);
  // The standby takes over once the holder is gone (the server ends a session asynchronously).
  bool taken = false;
  for (int i = 0; i < 100 && !(taken = second->try_acquire_writer_lease(holder)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(taken);
  second->check_writer_lease();
  second->bind_log_id("election-x");
  second->append_leaves(0, make_leaves(0, 1));
  CHECK(second->size() == 1);
}

}  // namespace

TEST_CASE("SQLite store: one writer lease, the second store waits until the first closes") {
  TempDir dir;
  check_writer_lease_is_exclusive(
      dir.sqlite_url(), [](std::unique_ptr<BoardStore>& first) { first.reset(); }, "board.db.lock");
}

TEST_CASE("PostgreSQL store: one writer lease per board, lost with the session, then taken over") {
  const auto base = haal::board::testing::postgres_test_url();
  if (!base) {
    WARN("SKIP: PostgreSQL lease tests need HAAL_TEST_POSTGRES_URL");
    return;
  }
  PostgresSchema schema(*base);
  PostgresSchema other_board(*base);
  {
    // A board in another schema of the same database has a lease of its own.
    auto elsewhere = open_store(other_board.url());
    std::string holder;
    REQUIRE(elsewhere->try_acquire_writer_lease(holder));
    check_writer_lease_is_exclusive(
        schema.url(),
        [&](std::unique_ptr<BoardStore>& first) {
          // The server ends the holder's session, as it does for a dead collector machine.
          haal::board::testing::postgres_exec(
              schema.url(),
              "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND"
              " objid = 'board_entries'::regclass::oid AND objsubid = 1");
          CHECK_THROWS_AS(first->check_writer_lease(), StoreError);
          CHECK_THROWS_AS(first->append_leaves(0, make_leaves(0, 1)), StoreError);
        },
        "haal-collector");
    elsewhere->check_writer_lease();
  }
}
