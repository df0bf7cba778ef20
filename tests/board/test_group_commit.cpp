// Group commit: concurrent single appends all land exactly once, durably, with the right indices.
#include <atomic>
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "board/group_commit.hpp"
#include "store_fixture.hpp"

using namespace haal::board;
using haal::board::testing::TempDir;
using haal::crypto::Bytes;

namespace {

haal::crypto::Ed25519PrivateKey key() {
  return haal::crypto::Ed25519PrivateKey::from_seed(Bytes(32, 0x31));
}

}  // namespace

TEST_CASE("concurrent appends through the group committer each get one durable index") {
  TempDir dir;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::vector<std::uint64_t>> indices(kThreads);
  std::uint64_t transactions = 0;
  {
    Board board(open_store(dir.sqlite_url()), "election-gc", key());
    GroupCommitter committer(board);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string payload = std::to_string(t) + ":" + std::to_string(i);
          indices[t].push_back(committer.append(EntryContent{
              "ballot", static_cast<std::uint64_t>(i), haal::crypto::to_bytes(payload)}));
        }
      });
    }
    for (auto& th : threads) th.join();
    transactions = committer.transactions();
    CHECK_THROWS_WITH(committer.append(EntryContent{"BAD", 0, {}}),
                      Catch::Contains("invalid kind"));
    CHECK(board.size() == kThreads * kPerThread);
  }
  INFO("transactions: " << transactions);
  CHECK(transactions >= 1);
  CHECK(transactions <= kThreads * kPerThread);
  // After a restart every index holds exactly the payload its caller was told.
  Board board(open_store(dir.sqlite_url()), "election-gc", key());
  REQUIRE(board.size() == kThreads * kPerThread);
  const auto entries = board.entries(0, board.size());
  std::set<std::uint64_t> seen;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      const auto index = indices[t][i];
      CHECK(seen.insert(index).second);
      CHECK(entries.at(index).payload ==
            haal::crypto::to_bytes(std::to_string(t) + ":" + std::to_string(i)));
    }
  }
}

TEST_CASE("a failed group transaction reports the error to every caller in it") {
  TempDir dir;
  Board board(open_store(dir.sqlite_url()), "election-gc", key());
  GroupCommitter committer(board);
  CHECK(committer.append(EntryContent{"ballot", 1, {}}) == 0);
  // Make the store refuse writes behind the board's back: the commit must fail loudly.
  {
    auto other = open_store(dir.sqlite_url());
    other->append_leaves(1, {encode_leaf(BoardEntry{"ballot", 1, 1, {}})});
  }
  CHECK_THROWS_WITH(committer.append(EntryContent{"ballot", 2, {}}),
                    Catch::Contains("append at index 1 but the store holds 2 entries"));
  CHECK(board.size() == 1);
}

TEST_CASE("proofs served while appends commit always verify") {
  TempDir dir;
  Board board(open_store(dir.sqlite_url()), "election-gc", key());
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (std::uint64_t b = 0; b < 30; ++b) {
      std::vector<EntryContent> batch(8, EntryContent{"ballot", b, Bytes(50, 1)});
      board.append_batch(batch);
      if (b % 10 == 9) board.sign_head(b);
    }
    writing = false;
  });
  std::uint64_t checked = 0;
  bool all_verified = true;
  while (writing || checked == 0) {
    const auto head = board.head(0);
    if (head.tree_size == 0) continue;
    const auto index = checked % head.tree_size;
    const auto proof = board.inclusion_proof(index, head.tree_size);
    const auto entry = board.entries(index, index + 1).at(0);
    all_verified =
        all_verified && verify_inclusion_var(index, head.tree_size, leaf_hash(encode_leaf(entry)),
                                             proof.audit_path, head.root_hash);
    ++checked;
  }
  writer.join();
  INFO("proofs checked during writes: " << checked);
  CHECK(all_verified);
  CHECK(board.size() == 240);
  const auto last = board.latest_signed_head();
  REQUIRE(last.has_value());
  CHECK(last->head.tree_size == 240);
  CHECK(verify_tree_head_var(*last, board.public_key()));
}
