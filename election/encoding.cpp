#include "election/encoding.hpp"

#include <stdexcept>

namespace haal::election {

using crypto::Bytes;
using crypto::ByteView;

namespace {

std::size_t bitmap_length(const Contest& contest) {
  return (contest.candidate_count() + 7) / 8;
}

// Length of the selection part: the bitmap for choose kinds, max u16 rank slots for ranked.
std::size_t selection_part_length(const Contest& contest) {
  return contest.ranked() ? 2 * contest.max : bitmap_length(contest);
}

std::size_t read_u16(ByteView p, std::size_t offset) {
  return (std::size_t{p[offset]} << 8) | p[offset + 1];
}

void append_u16(Bytes& out, std::size_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xff));
}

InvalidSelection invalid(std::string reason) {
  return InvalidSelection{std::move(reason)};
}

}  // namespace

std::size_t contest_plaintext_length(const Contest& contest) {
  std::size_t length = selection_part_length(contest);
  if (contest.write_in_max_bytes) length += 2 + *contest.write_in_max_bytes;
  return length;
}

std::size_t contest_width(const crypto::Group& group, const Contest& contest) {
  const std::size_t capacity = group.message_capacity();
  return (contest_plaintext_length(contest) + capacity - 1) / capacity;
}

Bytes encode_contest_plaintext(const Contest& contest, const Selection& selection) {
  const std::string violation = selection_violation_var(contest, selection);
  if (!violation.empty()) {
    throw std::invalid_argument("contest \"" + contest.id + "\": " + violation);
  }
  Bytes p;
  p.reserve(contest_plaintext_length(contest));
  if (contest.ranked()) {
    // Slot k holds 1 + the candidate ranked k-th, or 0 when empty; filled slots come first.
    for (std::size_t k = 0; k < contest.max; ++k) {
      append_u16(p, k < selection.candidates.size() ? selection.candidates[k] + 1 : 0);
    }
  } else {
    // Bit i (most significant bit first) is set iff candidate i is chosen.
    p.assign(bitmap_length(contest), 0);
    for (const std::size_t c : selection.candidates) {
      p[c / 8] |= static_cast<std::uint8_t>(0x80u >> (c % 8));
    }
  }
  if (contest.write_in_max_bytes) {
    append_u16(p, selection.write_in.size());
    p.insert(p.end(), selection.write_in.begin(), selection.write_in.end());
    p.resize(contest_plaintext_length(contest), 0);
  }
  return p;
}

std::vector<crypto::Element> encode_contest_selection_var(const crypto::Group& group,
                                                          const Contest& contest,
                                                          const Selection& selection) {
  const Bytes p = encode_contest_plaintext(contest, selection);
  const std::size_t capacity = group.message_capacity();
  std::vector<crypto::Element> elements;
  for (std::size_t offset = 0; offset < p.size(); offset += capacity) {
    const std::size_t length = std::min(capacity, p.size() - offset);
    elements.push_back(group.encode_message_var(ByteView(p).subspan(offset, length)));
  }
  return elements;
}

DecodedSelection decode_contest_plaintexts_var(const crypto::Group& group, const Contest& contest,
                                               const std::vector<crypto::Element>& elements) {
  const std::size_t width = contest_width(group, contest);
  const std::size_t total = contest_plaintext_length(contest);
  const std::size_t capacity = group.message_capacity();
  if (elements.size() != width) {
    return invalid(std::to_string(elements.size()) + " elements, expected " +
                   std::to_string(width));
  }
  Bytes p;
  p.reserve(total);
  for (std::size_t i = 0; i < width; ++i) {
    Bytes chunk;
    try {
      chunk = group.decode_message_var(elements[i]);
    } catch (const std::exception&) {
      return invalid("element " + std::to_string(i) + " embeds no message");
    }
    const std::size_t expected = std::min(capacity, total - i * capacity);
    if (chunk.size() != expected) {
      return invalid("element " + std::to_string(i) + " embeds " + std::to_string(chunk.size()) +
                     " bytes, expected " + std::to_string(expected));
    }
    p.insert(p.end(), chunk.begin(), chunk.end());
  }
  return decode_contest_plaintext_var(contest, p);
}

DecodedSelection decode_contest_plaintext_var(const Contest& contest, ByteView p) {
  if (p.size() != contest_plaintext_length(contest)) {
    return invalid("plaintext of " + std::to_string(p.size()) + " bytes, expected " +
                   std::to_string(contest_plaintext_length(contest)));
  }
  const std::size_t candidates = contest.candidate_count();
  Selection selection;
  if (contest.ranked()) {
    bool empty_seen = false;
    for (std::size_t k = 0; k < contest.max; ++k) {
      const std::size_t slot = read_u16(p, 2 * k);
      if (slot == 0) {
        empty_seen = true;
        continue;
      }
      if (empty_seen) {
        return invalid("rank " + std::to_string(k + 1) + " is filled after an empty rank");
      }
      if (slot > candidates) {
        return invalid("rank " + std::to_string(k + 1) + " names candidate " +
                       std::to_string(slot) + " of " + std::to_string(candidates));
      }
      selection.candidates.push_back(slot - 1);
    }
  } else {
    const std::size_t bits = 8 * bitmap_length(contest);
    for (std::size_t i = 0; i < bits; ++i) {
      if ((p[i / 8] & (0x80u >> (i % 8))) == 0) continue;
      if (i >= candidates) return invalid("bitmap bit " + std::to_string(i) + " set (unused)");
      selection.candidates.push_back(i);
    }
  }
  if (contest.write_in_max_bytes) {
    const std::size_t offset = selection_part_length(contest);
    const std::size_t length = read_u16(p, offset);
    const std::size_t limit = *contest.write_in_max_bytes;
    if (length > limit) {
      return invalid("write-in length " + std::to_string(length) + " exceeds the limit of " +
                     std::to_string(limit));
    }
    const ByteView text = p.subspan(offset + 2, length);
    for (const std::uint8_t b : p.subspan(offset + 2 + length)) {
      if (b != 0) return invalid("non-zero padding after the write-in text");
    }
    selection.write_in.assign(text.begin(), text.end());
  }
  const std::string violation = selection_violation_var(contest, selection);
  if (!violation.empty()) return invalid(violation);
  return selection;
}

Json decoded_selection_to_json(const Contest& contest, const DecodedSelection& decoded) {
  if (const auto* invalid_selection = std::get_if<InvalidSelection>(&decoded)) {
    return Json{{"invalid", invalid_selection->reason}};
  }
  return Json{{"choices", selection_to_json(contest, std::get<Selection>(decoded))}};
}

}  // namespace haal::election
