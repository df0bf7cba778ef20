// Shorthand for writing ballot profiles in the tally tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"
#include "tally/counting/contest.hpp"

namespace haal::tally::test {

// A selection of the options named by letters: "ACB" = options 0, 2, 1 in that order.
inline Selection letters(std::string_view names) {
  Selection selection;
  for (const char c : names) selection.options.push_back(static_cast<std::uint32_t>(c - 'A'));
  return selection;
}

// A selection of explicit option indices.
inline Selection options(std::vector<std::uint32_t> chosen) {
  Selection selection;
  selection.options = std::move(chosen);
  return selection;
}

// A selection naming only a write-in.
inline Selection write_in(std::string text) {
  Selection selection;
  selection.write_in = std::move(text);
  return selection;
}

// A ballot the decryption could not decode.
inline Selection undecodable() {
  Selection selection;
  selection.decoded = false;
  return selection;
}

// Appends `count` copies of `selection` to `ballots`.
inline void add(std::vector<Selection>& ballots, int count, const Selection& selection) {
  for (int i = 0; i < count; ++i) ballots.push_back(selection);
}

inline ContestMetadata choice_contest(ContestKind kind, std::vector<std::string> names,
                                      std::uint32_t min, std::uint32_t max,
                                      bool has_write_in = false) {
  ContestMetadata contest;
  contest.id = "contest";
  contest.title = "Test contest";
  contest.kind = kind;
  contest.option_names = std::move(names);
  contest.min = min;
  contest.max = max;
  contest.has_write_in = has_write_in;
  return contest;
}

// A ranked contest with options "A", "B", ... allowing rankings of 0..rank_limit options.
inline ContestMetadata ranked_contest(ContestKind kind, std::string id, std::uint32_t n,
                                      std::uint32_t rank_limit) {
  ContestMetadata contest;
  contest.id = std::move(id);
  contest.title = "Ranked test contest";
  contest.kind = kind;
  for (std::uint32_t i = 0; i < n; ++i) contest.option_names.push_back(std::string(1, 'A' + i));
  contest.min = 0;
  contest.max = rank_limit;
  contest.rank_limit = rank_limit;
  return contest;
}

inline crypto::Bytes seed(std::string_view text) {
  return crypto::to_bytes(text);
}

}  // namespace haal::tally::test
