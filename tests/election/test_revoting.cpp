#include <catch2/catch.hpp>

#include "election/revoting.hpp"

using namespace haal::election;

namespace {
haal::crypto::Digest hash_of(int n) {
  return haal::crypto::sha256("ballot " + std::to_string(n));
}
}  // namespace

TEST_CASE("the last valid ballot of each voter counts and challenged ballots never do",
          "[revoting]") {
  const std::vector<CastBallotEntry> cast = {
      {"alice", 1, 0, hash_of(0), hash_of(0)},  // superseded by sequence 3
      {"bob", 1, 1, hash_of(1), hash_of(1)},    // counts: bob's only unchallenged ballot
      {"alice", 3, 2, hash_of(2), hash_of(2)},  // counts
      {"alice", 2, 3, hash_of(3), hash_of(3)},  // lower sequence, though later on the board
      {"carol", 1, 4, hash_of(4), hash_of(4)},  // counts
      {"bob", 2, 5, hash_of(5), hash_of(5)},    // challenged: never counts
      {"carol", 1, 6, hash_of(6),
       hash_of(6)},  // same sequence (collector fault): later board position wins
  };
  const std::vector<std::size_t> counted = counted_ballots(cast, {hash_of(5), hash_of(5)});
  CHECK(counted == std::vector<std::size_t>{1, 2, 6});
  CHECK(counted_ballots(cast, {}) == std::vector<std::size_t>{2, 5, 6});
  CHECK(counted_ballots({}, {}).empty());
}
