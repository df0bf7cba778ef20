// board_entry_from_canonical_line (stage 3's fast path) accepts exactly the lines the general
// path (parse, canonical-form check, board_entry_from_json) accepts, with the same entry.
#include <catch2/catch.hpp>

#include "verifier-app/board_json.hpp"

using haal::crypto::Json;
using haal::verifier::board_entry_from_canonical_line;
using haal::verifier::BoardEntry;

namespace {

std::optional<BoardEntry> general_path(const std::string& line) {
  const Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  if (j.dump(-1, ' ', false, Json::error_handler_t::replace) != line) return std::nullopt;
  try {
    return haal::verifier::board_entry_from_json(j, "entry");
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

TEST_CASE("board line fast path agrees with the general path") {
  const std::vector<std::string> lines = {
      R"({"kind":"ballot","payload":"7b7d","sequence":5,"timestamp_ms":1767225600000})",
      R"({"kind":"poll-open","payload":"","sequence":0,"timestamp_ms":0})",
      R"({"kind":"a1-b","payload":"00ff","sequence":18446744073709551615,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7d","sequence":18446744073709551616,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7B7D","sequence":5,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7","sequence":5,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7d","sequence":05,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7d","sequence":-5,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7d","sequence":5.0,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7d","sequence":5,"timestamp_ms":1} )",
      R"({"kind":"ballot","payload":"7b7d","sequence":5,"timestamp_ms":1,"x":1})",
      R"({"kind":"Ballot","payload":"7b7d","sequence":5,"timestamp_ms":1})",
      R"({"kind":"","payload":"7b7d","sequence":5,"timestamp_ms":1})",
      R"({"kind":"bal\u006cot","payload":"7b7d","sequence":5,"timestamp_ms":1})",
      R"({"payload":"7b7d","kind":"ballot","sequence":5,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b7d","sequence":5})",
      R"({"kind":"ballot","payload":"7b7d","sequence":5,"timestamp_ms":1)",
      R"({"kind":"ballot", "payload":"7b7d","sequence":5,"timestamp_ms":1})",
      R"({"kind":"ballot","payload":"7b\"7d","sequence":5,"timestamp_ms":1})",
  };
  for (const std::string& line : lines) {
    INFO(line);
    const auto fast = board_entry_from_canonical_line(line);
    const auto general = general_path(line);
    REQUIRE(fast.has_value() == general.has_value());
    if (fast) {
      CHECK(fast->kind == general->kind);
      CHECK(fast->sequence == general->sequence);
      CHECK(fast->timestamp_ms == general->timestamp_ms);
      CHECK(fast->payload == general->payload);
    }
  }
}
