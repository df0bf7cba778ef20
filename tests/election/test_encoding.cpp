#include <catch2/catch.hpp>

#include "election/encoding.hpp"
#include "fixtures.hpp"

using namespace haal::election;
using haal::crypto::Bytes;
using haal::crypto::Element;
using haal::crypto::FormatError;
using haal::crypto::Group;

namespace {
Manifest sample_manifest(const std::string& group) {
  return manifest_from_json(test::sample_manifest_json(group));
}

std::string reason(const DecodedSelection& d) {
  if (const auto* invalid = std::get_if<InvalidSelection>(&d)) return invalid->reason;
  return "(valid)";
}

// Encodes raw plaintext bytes P into elements the way a (possibly dishonest) client could.
std::vector<Element> embed(const Group& group, const Bytes& p) {
  std::vector<Element> out;
  const std::size_t c = group.message_capacity();
  for (std::size_t off = 0; off < p.size(); off += c) {
    out.push_back(group.encode_message_var(
        haal::crypto::ByteView(p).subspan(off, std::min(c, p.size() - off))));
  }
  return out;
}

std::string error_of_selection(const Contest& contest, const Json& j) {
  try {
    selection_from_json(contest, j, "choices");
  } catch (const FormatError& e) {
    return e.what();
  }
  return "(accepted)";
}
}  // namespace

TEST_CASE("contest widths follow the plaintext length and the group's capacity", "[encoding]") {
  const Manifest m = sample_manifest("P-256");
  CHECK(contest_plaintext_length(m.contests[0]) == 1 + 2 + 40);
  CHECK(contest_plaintext_length(m.contests[1]) == 1);
  CHECK(contest_plaintext_length(m.contests[2]) == 1);
  CHECK(contest_plaintext_length(m.contests[3]) == 3 * 2 + 2 + 20);
  CHECK(contest_plaintext_length(m.contests[4]) == 10 * 2);
  const Group& p256 = haal::crypto::group_by_name("P-256");
  const Group& modp = haal::crypto::group_by_name("modp-2048");
  CHECK(contest_width(p256, m.contests[0]) == 2);
  CHECK(contest_width(p256, m.contests[3]) == 1);
  CHECK(contest_width(modp, m.contests[0]) == 1);
  Contest big = m.contests[0];
  big.write_in_max_bytes = 1024;
  CHECK(contest_width(p256, big) == (1 + 2 + 1024 + 29) / 30);
  CHECK(contest_width(modp, big) == 5);
}

TEST_CASE("every contest kind round-trips in every group", "[encoding]") {
  for (const std::string& name : haal::crypto::supported_group_names()) {
    const Manifest m = sample_manifest(name);
    const Group& group = m.group();
    INFO(name);
    const BallotChoices choices = ballot_choices_from_json(m, test::sample_choices_json());
    for (const Contest& contest : m.contests) {
      const Selection& s = choices.at(contest.id);
      const auto elements = encode_contest_selection_var(group, contest, s);
      CHECK(elements.size() == contest_width(group, contest));
      const DecodedSelection d = decode_contest_plaintexts_var(group, contest, elements);
      REQUIRE(std::holds_alternative<Selection>(d));
      CHECK(std::get<Selection>(d) == s);
    }
    // Abstentions where allowed, and full selections.
    for (const auto& [id, j] : std::vector<std::pair<std::string, Json>>{
             {"council", Json::array()},
             {"council", {"c1", "c2", "c5"}},
             {"measure-a", Json::array()},
             {"measure-a", {"yes"}},
             {"chair", Json::array()},
             {"chair", {"o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9"}},
             {"board", {{{"write_in", "Ivy"}}}},
             {"mayor", {"carol"}}}) {
      const Contest& contest = *m.find_contest(id);
      const Selection s = selection_from_json(contest, j, id);
      const DecodedSelection d = decode_contest_plaintexts_var(
          group, contest, encode_contest_selection_var(group, contest, s));
      REQUIRE(std::holds_alternative<Selection>(d));
      CHECK(selection_to_json(contest, std::get<Selection>(d)) == selection_to_json(contest, s));
    }
  }
}

TEST_CASE("write-ins at the length limit work and one byte over is rejected", "[encoding]") {
  for (const std::string& name : haal::crypto::supported_group_names()) {
    const Manifest m = sample_manifest(name);
    const Contest& mayor = m.contests[0];  // limit 40 bytes
    // 40 bytes with multi-byte UTF-8 characters (2-byte "é" x 20).
    std::string at_limit;
    for (int i = 0; i < 20; ++i) at_limit += "\xc3\xa9";
    REQUIRE(at_limit.size() == 40);
    const Selection s = selection_from_json(mayor, Json::array({{{"write_in", at_limit}}}), "c");
    const DecodedSelection d = decode_contest_plaintexts_var(
        m.group(), mayor, encode_contest_selection_var(m.group(), mayor, s));
    REQUIRE(std::holds_alternative<Selection>(d));
    CHECK(std::get<Selection>(d).write_in == at_limit);

    CHECK(error_of_selection(mayor, Json::array({{{"write_in", at_limit + "x"}}})) ==
          "choices[0].write_in: the write-in text has 41 UTF-8 bytes, more than the limit of 40");
    Selection over = s;
    over.write_in = at_limit + "x";
    // The ranked contest's write-in (limit 20), ranked second, with a 4-byte character.
    const Contest& board = m.contests[3];
    const std::string twenty = "\xf0\x9f\x97\xb3" + std::string(16, 'w');
    REQUIRE(twenty.size() == 20);
    const Selection ranked = selection_from_json(board, {"eve", {{"write_in", twenty}}}, "c");
    const DecodedSelection rd = decode_contest_plaintexts_var(
        m.group(), board, encode_contest_selection_var(m.group(), board, ranked));
    REQUIRE(std::holds_alternative<Selection>(rd));
    CHECK(std::get<Selection>(rd) == ranked);
    CHECK(error_of_selection(board, {"eve", {{"write_in", twenty + "!"}}}) ==
          "choices[1].write_in: the write-in text has 21 UTF-8 bytes, more than the limit of 20");
    CHECK_THROWS_WITH(encode_contest_selection_var(m.group(), mayor, over),
                      "contest \"mayor\": the write-in text has 41 UTF-8 bytes, more than the "
                      "limit of 40");
  }
}

TEST_CASE("selection JSON errors are precise", "[encoding]") {
  const Manifest m = sample_manifest("P-256");
  const Contest& mayor = m.contests[0];
  const Contest& council = m.contests[1];
  const Contest& board = m.contests[3];
  CHECK(error_of_selection(mayor, {"dave"}) ==
        "choices[0]: unknown option id \"dave\" in contest \"mayor\"");
  CHECK(error_of_selection(mayor, Json::array()) == "choices: 0 choices, at least 1 required");
  CHECK(error_of_selection(mayor, {"alice", "bob"}) == "choices: 2 choices, at most 1 allowed");
  CHECK(error_of_selection(council, {"c1", "c1"}) == "choices[1]: option \"c1\" repeated");
  CHECK(error_of_selection(council, {{{"write_in", "x"}}}) ==
        "choices[0]: contest \"council\" has no write-in");
  CHECK(error_of_selection(board, {{{"write_in", ""}}}) ==
        "choices[0].write_in: the write-in text is empty");
  CHECK(error_of_selection(board, {{{"write_in", "a\nb"}}}) ==
        "choices[0].write_in: the write-in text contains a control character (byte 1)");
  CHECK(error_of_selection(board, {{{"write_in", "a"}}, {{"write_in", "b"}}}) ==
        "choices[1]: more than one write-in");
  CHECK(error_of_selection(board, {"dan", "eve", "fay", "gus"}) ==
        "choices: 4 ranks, at most 3 allowed");
  CHECK(error_of_selection(board, "dan") == "choices: must be an array of option ids");
  CHECK(error_of_selection(board, {3}) ==
        "choices[0]: must be an option id or {\"write_in\": text}");
  CHECK(write_in_violation("\xc3", 10) == "the write-in text is not valid UTF-8 (byte 0)");
  CHECK(write_in_violation("\xed\xa0\x80", 10) == "the write-in text is not valid UTF-8 (byte 0)");
  CHECK(write_in_violation("ok\xf0\x9f\x97\xb3", 10).empty());
}

TEST_CASE("decoded selections have a public JSON form", "[encoding]") {
  const Manifest m = sample_manifest("P-256");
  const Contest& board = m.contests[3];
  const Selection s = selection_from_json(board, {"gus", {{"write_in", "Ivy"}}}, "c");
  CHECK(decoded_selection_to_json(board, s) ==
        Json::parse(R"({"choices": ["gus", {"write_in": "Ivy"}]})"));
  CHECK(decoded_selection_to_json(board, InvalidSelection{"element 0 embeds no message"}) ==
        Json::parse(R"({"invalid": "element 0 embeds no message"})"));
}

TEST_CASE("invalid plaintexts decode to Invalid with the reason", "[encoding]") {
  for (const std::string& name : {std::string("P-256"), std::string("modp-2048")}) {
    INFO(name);
    const Manifest m = sample_manifest(name);
    const Group& group = m.group();
    const Contest& mayor = m.contests[0];
    const Contest& council = m.contests[1];
    const Contest& board = m.contests[3];
    auto decode_bytes = [&](const Contest& c, const Bytes& p) {
      return reason(decode_contest_plaintexts_var(group, c, embed(group, p)));
    };
    const std::size_t mayor_length = contest_plaintext_length(mayor);

    // Choose kinds: too many choices, unused bitmap bits, write-in inconsistencies.
    CHECK(decode_bytes(council, {0xF0}) == "4 choices, at most 3 allowed");
    CHECK(decode_bytes(council, {0x04}) == "bitmap bit 5 set (unused)");
    Bytes p(mayor_length, 0);
    CHECK(decode_bytes(mayor, p) == "0 choices, at least 1 required");
    p[0] = 0xC0;
    CHECK(decode_bytes(mayor, p) == "2 choices, at most 1 allowed");
    p[0] = 0x10;  // write-in chosen, empty text
    CHECK(decode_bytes(mayor, p) == "the write-in text is empty");
    p[2] = 41;
    CHECK(decode_bytes(mayor, p) == "write-in length 41 exceeds the limit of 40");
    p[2] = 1;
    p[3] = 'Z';
    p[4] = 'Q';
    CHECK(decode_bytes(mayor, p) == "non-zero padding after the write-in text");
    p[4] = 0;
    CHECK(decode_bytes(mayor, p) == "(valid)");
    p[0] = 0x80;  // alice chosen, but write-in text present
    CHECK(decode_bytes(mayor, p) == "write-in text given but the write-in is not selected");

    // Ranked: gaps, duplicates, out-of-range candidates.
    Bytes r(contest_plaintext_length(board), 0);
    r[1] = 1;
    CHECK(decode_bytes(board, r) == "(valid)");
    r[5] = 2;
    CHECK(decode_bytes(board, r) == "rank 3 is filled after an empty rank");
    r[3] = 1;
    r[5] = 0;
    CHECK(decode_bytes(board, r) == "candidate index 0 repeated");
    r[3] = 6;
    CHECK(decode_bytes(board, r) == "rank 2 names candidate 6 of 5");
    r[3] = 0;
    r[1] = 0;
    CHECK(decode_bytes(board, r) == "0 ranks, at least 1 required");

    // Element-level problems: count, chunk lengths, elements that embed nothing.
    const auto good =
        encode_contest_selection_var(group, council, selection_from_json(council, {"c2"}, "c"));
    CHECK(reason(decode_contest_plaintexts_var(group, council, {})) == "0 elements, expected 1");
    CHECK(reason(decode_contest_plaintexts_var(group, council, {good[0], good[0]})) ==
          "2 elements, expected 1");
    CHECK(reason(decode_contest_plaintexts_var(group, council,
                                               {group.encode_message_var(Bytes{1, 2})})) ==
          "element 0 embeds 2 bytes, expected 1");
    CHECK(reason(decode_contest_plaintexts_var(group, council, {group.identity()})) ==
          "element 0 embeds no message");
    const Element random = group.hash_to_element(haal::crypto::to_bytes("x"), "TEST");
    const std::string random_reason =
        reason(decode_contest_plaintexts_var(group, council, {random}));
    CHECK((random_reason == "element 0 embeds no message" ||
           random_reason.find("element 0 embeds") == 0));
  }
}
