// The officials' export of the final board: signed request, final head, every entry checked
// against the head's root.
#include <catch2/catch.hpp>

#include "collector/client/officials_export.hpp"
#include "collector/protocol/officials_request.hpp"
#include "collector_fixture.hpp"

using namespace haal;
using namespace haal::collector;
using namespace haal::collector::testing;

TEST_CASE("export of the final board after the polls close") {
  ElectionFixture e(3);
  TempDir store;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string());
  auto c = s.client();
  const auto request = [&](std::string_view action) {
    return sign_officials_request(std::string(action), e.view.election_id(), e.officials);
  };
  REQUIRE(post_json(*c, "/api/officials/polls", request(kActionOpenPolls)).status == 200);
  for (std::size_t i = 1; i <= 3; ++i)
    REQUIRE(post_json(*c, "/api/ballots", e.ballot(i).ballot).status == 200);

  const Json before_close = export_final_board(s.url(), {}, e.officials, false);
  CHECK(before_close["final"] == false);

  REQUIRE(post_json(*c, "/api/officials/polls", request(kActionClosePolls)).status == 200);
  const Json record = export_final_board(s.url(), {}, e.officials, false);
  CHECK(record["final"] == true);
  CHECK(record["election_id"] == e.view.election_id());
  REQUIRE(record["entries"].size() == 5);
  CHECK(record["entries"][0]["kind"] == "poll-open");
  CHECK(record["entries"][4]["kind"] == "poll-close");
  const auto head = board::signed_tree_head_from_json(record["signed_tree_head"]);
  CHECK(head.head.tree_size == 5);
  CHECK(board::verify_tree_head_var(
      head, crypto::from_hex(record["collector_public_key"].get<std::string>())));
  CHECK(s.board().latest_signed_head() == head);

  // Only the officials' key may export.
  CHECK_THROWS_WITH(export_final_board(s.url(), {}, crypto::Ed25519PrivateKey::generate(), false),
                    Catch::Contains("bad-signature"));
}
