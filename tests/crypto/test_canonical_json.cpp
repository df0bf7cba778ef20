// Canonical JSON is compact, key-sorted, float-free and strict UTF-8.
#include <catch2/catch.hpp>

#include "crypto/canonical_json.hpp"

using namespace haal::crypto;

TEST_CASE("canonical JSON bytes") {
  const Json j = Json::parse(R"({ "b": [1, 2, {"z": "x", "a": true}], "a": "\u00e4" })");
  const Bytes bytes = canonical_json_bytes(j);
  CHECK(std::string(bytes.begin(), bytes.end()) ==
        "{\"a\":\"\xc3\xa4\",\"b\":[1,2,{\"a\":true,\"z\":\"x\"}]}");
  CHECK(canonical_json_hash(j) == sha256(bytes));
  CHECK_THROWS_WITH(canonical_json_bytes(Json::parse(R"({"x": [1.5]})")),
                    "$.x[0]: floating-point numbers are not canonical");
  CHECK_THROWS_WITH(canonical_json_bytes(Json(std::string("\xff"))), Catch::Contains("UTF-8"));
}
