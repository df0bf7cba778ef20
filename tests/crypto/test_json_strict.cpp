// Strict JSON parsing: the same values as nlohmann's parser, duplicate keys refused with the path
// of their object, syntax errors with nlohmann's byte position, long arrays of objects intact.
#include <catch2/catch.hpp>

#include "crypto/json_strict.hpp"

using haal::crypto::DuplicateKeyError;
using haal::crypto::Json;
using haal::crypto::parse_json_rejecting_duplicate_keys;

namespace {

std::string duplicate_in(const std::string& text) {
  try {
    (void)parse_json_rejecting_duplicate_keys(text);
  } catch (const DuplicateKeyError& e) {
    return e.field_path();
  }
  return "";
}

}  // namespace

TEST_CASE("strict JSON parses every kind of value as nlohmann does") {
  const std::string text =
      R"({"a": [1, -2, 3.5, "x\u00e9", true, false, null, {}, []], "b": {"c": {"d": [[{"e": 0}]]}},
          "n": 18446744073709551615})";
  CHECK(parse_json_rejecting_duplicate_keys(text) == Json::parse(text));
  CHECK(parse_json_rejecting_duplicate_keys("7") == Json(7));
  CHECK(parse_json_rejecting_duplicate_keys(R"("s")") == Json("s"));
  // The same key in different objects is no duplicate.
  CHECK_NOTHROW(parse_json_rejecting_duplicate_keys(R"([{"k": 1}, {"k": 2}, {"x": {"k": 3}}])"));
}

TEST_CASE("strict JSON names each duplicate key with the path of its object") {
  CHECK(duplicate_in(R"({"a": 1, "a": 2})") == "a");
  CHECK(duplicate_in(R"({"a": {"b": 1, "c": 2, "b": 3}})") == "a.b");
  CHECK(duplicate_in(R"({"list": [{"k": 1}, 5, [0], {"k": 1, "k": 2}]})") == "list[3].k");
  CHECK(duplicate_in(R"([[], {"x": [{"y": {"z": 1, "z": 1}}]}])") == "[1].x[0].y.z");
  CHECK(duplicate_in(R"({"a": 1, "b": {"a": 1}})").empty());
  CHECK_THROWS_WITH(parse_json_rejecting_duplicate_keys(R"({"p": {"q": 1, "q": 1}})"),
                    "p.q: duplicate key");
}

TEST_CASE("strict JSON reports syntax errors with their byte position and refuses comments") {
  for (const std::string bad : {R"({"a": 1,})", "[1, 2", R"({"a" 1})", "{} x", "/* c */ {}", ""}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_json_rejecting_duplicate_keys(bad), Json::parse_error);
  }
  try {
    (void)parse_json_rejecting_duplicate_keys("[1,\n 2,, 3]");
    FAIL("accepted a syntax error");
  } catch (const Json::parse_error& e) {
    CHECK(e.byte == 8);  // the second comma, 1-based
  }
}

TEST_CASE("strict JSON keeps a long array of objects whole and in order") {
  // The shape of cleanse/cast.json or plaintexts/<contest>.json (a list of small objects).
  std::string text = "[";
  constexpr int kCount = 50000;
  for (int i = 0; i < kCount; ++i) {
    text += (i ? "," : "") + std::string(R"({"index":)") + std::to_string(i) + R"(,"v":"x"})";
  }
  text += "]";
  const Json j = parse_json_rejecting_duplicate_keys(text);
  REQUIRE(j.size() == kCount);
  for (int i = 0; i < kCount; i += 997) CHECK(j[static_cast<std::size_t>(i)]["index"] == i);
  CHECK(j.back()["index"] == kCount - 1);
}
