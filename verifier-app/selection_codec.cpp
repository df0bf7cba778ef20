#include "verifier-app/selection_codec.hpp"

#include <algorithm>
#include <set>

#include "crypto/base/utf8.hpp"

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

std::size_t bitmap_length(const ManifestContest& c) {
  return (c.candidate_count() + 7) / 8;
}

std::size_t selection_part_length(const ManifestContest& c) {
  return c.ranked() ? 2 * c.max : bitmap_length(c);
}

void append_u16(crypto::Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

}  // namespace

std::size_t contest_plaintext_length(const ManifestContest& c) {
  std::size_t length = selection_part_length(c);
  if (c.write_in_max_bytes) length += 2 + *c.write_in_max_bytes;
  return length;
}

std::size_t contest_width(const crypto::Group& group, const ManifestContest& c) {
  const std::size_t capacity = group.message_capacity();
  return (contest_plaintext_length(c) + capacity - 1) / capacity;
}

std::string write_in_violation(std::string_view text, std::size_t max_bytes) {
  if (text.empty()) return "the write-in text is empty";
  if (text.size() > max_bytes)
    return "the write-in text is longer than " + std::to_string(max_bytes) + " bytes";
  const std::string fault = base::describe(base::first_text_fault_var(text));
  return fault.empty() ? "" : "the write-in text " + fault;
}

std::string selection_violation(const ManifestContest& contest, const ClaimedSelection& s) {
  const std::size_t count = s.candidates.size();
  if (count < contest.min)
    return std::to_string(count) + " candidates, at least " + std::to_string(contest.min) +
           " required";
  if (count > contest.max)
    return std::to_string(count) + " candidates, at most " + std::to_string(contest.max) +
           " allowed";
  std::set<std::size_t> seen;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t c = s.candidates[i];
    if (c >= contest.candidate_count())
      return "candidate index " + std::to_string(c) + " out of range";
    if (!seen.insert(c).second) return "candidate index " + std::to_string(c) + " repeated";
    if (!contest.ranked() && i > 0 && s.candidates[i - 1] > c)
      return "choices not in increasing order";
  }
  if (contest.write_in_max_bytes && seen.count(contest.options.size()) > 0) {
    return write_in_violation(s.write_in, *contest.write_in_max_bytes);
  }
  if (!s.write_in.empty()) return "write-in text given but the write-in is not selected";
  return "";
}

ClaimedSelection selection_from_json(const ManifestContest& contest, const Json& j,
                                     const std::string& path) {
  if (!j.is_array()) throw FormatError(path, "must be an array of option ids");
  ClaimedSelection s;
  bool write_in_seen = false;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    if (j[i].is_string()) {
      const std::string& id = j[i].get_ref<const std::string&>();
      std::size_t index = contest.options.size();
      for (std::size_t k = 0; k < contest.options.size(); ++k) {
        if (contest.options[k].id == id) index = k;
      }
      if (index == contest.options.size()) throw FormatError(p, "unknown option id \"" + id + "\"");
      if (std::find(s.candidates.begin(), s.candidates.end(), index) != s.candidates.end()) {
        throw FormatError(p, "option \"" + id + "\" repeated");
      }
      s.candidates.push_back(index);
    } else if (j[i].is_object()) {
      if (!contest.write_in_max_bytes) throw FormatError(p, "the contest has no write-in");
      crypto::reject_unknown_fields(j[i], {"write_in"}, p);
      const std::string& text = crypto::require_string(j[i], "write_in", p);
      if (write_in_seen) throw FormatError(p, "more than one write-in");
      write_in_seen = true;
      const std::string violation = write_in_violation(text, *contest.write_in_max_bytes);
      if (!violation.empty()) throw FormatError(p + ".write_in", violation);
      s.write_in = text;
      s.candidates.push_back(contest.options.size());
    } else {
      throw FormatError(p, "must be an option id or {\"write_in\": text}");
    }
  }
  if (!contest.ranked()) std::sort(s.candidates.begin(), s.candidates.end());
  const std::string violation = selection_violation(contest, s);
  if (!violation.empty()) throw FormatError(path, violation);
  return s;
}

crypto::Bytes encode_contest_plaintext(const ManifestContest& contest, const ClaimedSelection& s) {
  crypto::Bytes p;
  if (contest.ranked()) {
    // Slot k holds 1 + the candidate ranked k-th, 0 when empty.
    for (std::size_t k = 0; k < contest.max; ++k) {
      append_u16(p, k < s.candidates.size() ? s.candidates[k] + 1 : 0);
    }
  } else {
    // Bit i, most significant first, is set iff candidate i is chosen.
    p.assign(bitmap_length(contest), 0);
    for (const std::size_t c : s.candidates)
      p[c / 8] |= static_cast<std::uint8_t>(0x80u >> (c % 8));
  }
  if (contest.write_in_max_bytes) {
    append_u16(p, s.write_in.size());
    p.insert(p.end(), s.write_in.begin(), s.write_in.end());
    p.resize(contest_plaintext_length(contest), 0);
  }
  return p;
}

std::vector<crypto::Element> encode_contest_selection(const crypto::Group& group,
                                                      const ManifestContest& contest,
                                                      const ClaimedSelection& s) {
  const crypto::Bytes p = encode_contest_plaintext(contest, s);
  const std::size_t capacity = group.message_capacity();
  std::vector<crypto::Element> out;
  for (std::size_t offset = 0; offset < p.size(); offset += capacity) {
    const std::size_t length = std::min(capacity, p.size() - offset);
    out.push_back(group.encode_message(crypto::ByteView(p).subspan(offset, length)));
  }
  return out;
}

}  // namespace haal::verifier
