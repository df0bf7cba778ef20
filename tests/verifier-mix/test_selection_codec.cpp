// The verifier's encoder of claimed selections (verifier-app/selection_codec, written from
// docs/ballots.md sections 5-6): P byte for byte as the spec lays it out, the elements decode
// back through the verifier's decoder, and choices the spec refuses are refused.
#include <catch2/catch.hpp>
#include <optional>

#include "crypto/group.hpp"
#include "verifier-app/decryption/plaintext_decoding.hpp"
#include "verifier-app/selection_codec.hpp"

using namespace haal;
using namespace haal::verifier;
using crypto::Json;

namespace {

ManifestContest make_contest(std::string id, std::string kind, std::size_t min, std::size_t max,
                             std::size_t options, std::optional<std::size_t> write_in) {
  ManifestContest c;
  c.id = std::move(id);
  c.kind = std::move(kind);
  c.min = min;
  c.max = max;
  for (std::size_t k = 0; k < options; ++k) {
    c.options.push_back({std::string(1, static_cast<char>('a' + k)), {"O", {}}});
  }
  c.write_in_max_bytes = write_in;
  return c;
}

// Approval, options a..i and a write-in of at most 4 bytes: N = 10 candidates.
ManifestContest board_contest() {
  return make_contest("board", "approval", 0, 3, 9, 4);
}

// Ranked, options a..d, 1 to 3 ranks.
ManifestContest ranked_contest() {
  return make_contest("council", "ranked", 1, 3, 4, {});
}

crypto::Bytes plaintext_of(const ManifestContest& c, const Json& choices) {
  return encode_contest_plaintext(c, selection_from_json(c, choices, "choices"));
}

}  // namespace

TEST_CASE("claimed selections encode to P as docs/ballots.md section 6 lays it out",
          "[selection]") {
  const ManifestContest board = board_contest();
  // N = 10 candidates: a 2-byte bitmap, bit 0x80 >> (i mod 8) of byte i / 8; then u16 length,
  // the text and zero padding to 4 bytes. Items in any order: sorted by candidate index.
  CHECK(plaintext_of(board, Json::parse(R"([{"write_in": "Hal"}, "i", "a"])")) ==
        crypto::Bytes{0x80, 0xc0, 0x00, 0x03, 'H', 'a', 'l', 0x00});
  CHECK(plaintext_of(board, Json::array()) == crypto::Bytes(8, 0));

  const ManifestContest council = ranked_contest();
  // max = 3 slots of u16: 1 + the candidate ranked (j+1)-th, empty slots 0 and last.
  CHECK(plaintext_of(council, Json::parse(R"(["c", "a"])")) ==
        crypto::Bytes{0x00, 0x03, 0x00, 0x01, 0x00, 0x00});

  // The elements carry P in chunks of the group's capacity and decode back to the selection.
  for (const char* name : {"P-256", "modp-2048"}) {
    const crypto::Group& group = crypto::group_by_name(name);
    const ClaimedSelection s =
        selection_from_json(board, Json::parse(R"(["b", {"write_in": "Zoë"}])"), "choices");
    const auto elements = encode_contest_selection_var(group, board, s);
    REQUIRE(elements.size() == decryption::plaintext_width(group, board));
    const auto decoded = decryption::decode_ballot_var(group, board, elements);
    CHECK(decoded.valid);
    CHECK(decoded.candidates == s.candidates);
    CHECK(decoded.write_in == "Zoë");
  }
}

TEST_CASE("choices the spec refuses are refused, naming the item or the rule", "[selection]") {
  const ManifestContest board = board_contest();
  const auto error = [&](const ManifestContest& c, const char* choices) {
    try {
      selection_from_json(c, Json::parse(choices), "choices");
    } catch (const crypto::FormatError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(error(board, R"(["z"])"), Catch::Contains("choices[0]"));
  CHECK_THAT(error(board, R"(["a", "a"])"), Catch::Contains("repeated"));
  CHECK_THAT(error(board, R"(["a", "b", "c", "d"])"), Catch::Contains("at most 3"));
  CHECK_THAT(error(board, R"([{"write_in": "toolong"}])"), Catch::Contains("limit"));
  CHECK_THAT(error(board, R"([{"write_in": ""}])"), Catch::Contains("empty"));
  CHECK_THAT(error(board, R"([{"write_in": "x", "y": 1}])"), Catch::Contains("choices[0]"));
  CHECK_THAT(error(board, R"({"a": 1})"), Catch::Contains("array"));
  CHECK_THAT(error(ranked_contest(), R"([{"write_in": "x"}])"), Catch::Contains("no write-in"));
  CHECK_THAT(error(ranked_contest(), "[]"), Catch::Contains("at least 1"));
  CHECK(error(ranked_contest(), R"(["d", "a", "c"])") == "accepted");
  // Encoding a selection that breaks the rules is refused, never a wrong P.
  CHECK_THROWS_AS(encode_contest_plaintext(board, ClaimedSelection{{0, 0}, ""}),
                  std::invalid_argument);
}
