// Board entries and their leaf encoding: the exact bytes that become a Merkle leaf
// (docs/board.md, "Entry encoding").
#pragma once

#include <cstdint>
#include <string>

#include "board/json_fields.hpp"
#include "crypto/bytes.hpp"

namespace haal::board {

// Domain tag that starts every leaf.
inline constexpr std::string_view kEntryDomainTag = "HAAL-V1-BOARD-ENTRY";
// Upper bound on a payload, so a hostile leaf cannot make readers allocate without limit.
inline constexpr std::size_t kMaxPayloadBytes = 16 * 1024 * 1024;
inline constexpr std::size_t kMaxKindLength = 32;

// Common kinds; any name matching the kind syntax (see is_valid_kind) is accepted.
inline constexpr std::string_view kKindBallot = "ballot";
inline constexpr std::string_view kKindChallenge = "challenge";
inline constexpr std::string_view kKindPollOpen = "poll-open";
inline constexpr std::string_view kKindPollClose = "poll-close";

struct BoardEntry {
  std::string kind;              // e.g. "ballot"; syntax [a-z][a-z0-9-]{0,31}
  std::uint64_t sequence{};      // equals the entry's leaf index in the log
  std::uint64_t timestamp_ms{};  // collector's clock, unix milliseconds
  crypto::Bytes payload;         // canonical JSON of the ballot etc.; opaque to the board

  bool operator==(const BoardEntry&) const = default;
};

// Returns true iff `kind` is 1..32 characters of [a-z0-9-] starting with a letter.
bool is_valid_kind(std::string_view kind);

// Returns the leaf bytes: lp(tag) || lp(kind) || u64(sequence) || u64(timestamp_ms) || lp(payload).
// Throws std::invalid_argument on an invalid kind or oversized payload.
crypto::Bytes encode_leaf(const BoardEntry& entry);

// Returns the entry of canonical leaf bytes. Throws crypto::FormatError("board_entry", ...) naming
// the byte offset and field of the first problem (wrong tag, bad kind, truncation, trailing bytes).
BoardEntry decode_leaf(crypto::ByteView leaf);

// JSON form {"kind", "sequence", "timestamp_ms", "payload": hex}.
Json entry_to_json(const BoardEntry& entry);
// Parses the JSON form strictly (exact fields, types, canonical hex, valid kind).
BoardEntry entry_from_json(const Json& j, std::string_view path = "board_entry");

}  // namespace haal::board
