#include "verifier-app/decryption/plaintext_decoding.hpp"

#include <set>

#include "crypto/base/utf8.hpp"

namespace haal::verifier::decryption {

namespace {

std::size_t bitmap_bytes(const ManifestContest& c) {
  return (c.candidate_count() + 7) / 8;
}

std::size_t selection_bytes(const ManifestContest& c) {
  return c.ranked() ? 2 * c.max : bitmap_bytes(c);
}

std::size_t u16_at(crypto::ByteView p, std::size_t at) {
  return (std::size_t{p[at]} << 8) | std::size_t{p[at + 1]};
}

DecodedBallot invalid(std::string reason) {
  DecodedBallot b;
  b.reason = std::move(reason);
  return b;
}

}  // namespace

std::size_t plaintext_length(const ManifestContest& c) {
  return selection_bytes(c) + (c.write_in_max_bytes ? 2 + *c.write_in_max_bytes : 0);
}

std::size_t plaintext_width(const crypto::Group& group, const ManifestContest& c) {
  const std::size_t cap = group.message_capacity();
  return (plaintext_length(c) + cap - 1) / cap;
}

std::string selection_rule_violation(const ManifestContest& c,
                                     const std::vector<std::size_t>& candidates,
                                     const std::string& write_in) {
  const std::size_t count = candidates.size();
  if (count < c.min) return std::to_string(count) + " chosen, at least " + std::to_string(c.min);
  if (count > c.max) return std::to_string(count) + " chosen, at most " + std::to_string(c.max);
  std::set<std::size_t> seen;
  for (std::size_t i = 0; i < count; ++i) {
    if (candidates[i] >= c.candidate_count()) {
      return "candidate " + std::to_string(candidates[i]) + " out of range";
    }
    if (!seen.insert(candidates[i]).second) {
      return "candidate " + std::to_string(candidates[i]) + " repeated";
    }
    if (!c.ranked() && i > 0 && candidates[i - 1] > candidates[i]) return "choices not increasing";
  }
  const bool write_in_chosen = c.write_in_max_bytes && seen.count(c.options.size()) != 0;
  if (!write_in_chosen) return write_in.empty() ? "" : "write-in text without the write-in";
  if (write_in.empty()) return "empty write-in";
  if (write_in.size() > *c.write_in_max_bytes) return "write-in longer than the limit";
  const std::string fault = base::describe(base::first_text_fault_var(write_in));
  return fault.empty() ? "" : "write-in " + fault;
}

DecodedBallot decode_plaintext(const ManifestContest& c, crypto::ByteView p) {
  if (p.size() != plaintext_length(c)) {
    return invalid("plaintext of " + std::to_string(p.size()) + " bytes, expected " +
                   std::to_string(plaintext_length(c)));
  }
  DecodedBallot out;
  if (c.ranked()) {
    bool empty_seen = false;
    for (std::size_t k = 0; k < c.max; ++k) {
      const std::size_t slot = u16_at(p, 2 * k);
      if (slot == 0) {
        empty_seen = true;
        continue;
      }
      if (empty_seen) return invalid("rank " + std::to_string(k + 1) + " after an empty rank");
      if (slot > c.candidate_count()) {
        return invalid("rank " + std::to_string(k + 1) + " names candidate " +
                       std::to_string(slot) + " of " + std::to_string(c.candidate_count()));
      }
      out.candidates.push_back(slot - 1);
    }
  } else {
    for (std::size_t i = 0; i < 8 * bitmap_bytes(c); ++i) {
      if ((p[i / 8] & (0x80u >> (i % 8))) == 0) continue;
      if (i >= c.candidate_count()) return invalid("unused bitmap bit " + std::to_string(i));
      out.candidates.push_back(i);
    }
  }
  if (c.write_in_max_bytes) {
    const std::size_t at = selection_bytes(c);
    const std::size_t length = u16_at(p, at);
    if (length > *c.write_in_max_bytes) {
      return invalid("write-in length " + std::to_string(length) + " over the limit");
    }
    for (std::size_t k = at + 2 + length; k < p.size(); ++k) {
      if (p[k] != 0) return invalid("non-zero padding after the write-in");
    }
    out.write_in.assign(p.begin() + static_cast<std::ptrdiff_t>(at + 2),
                        p.begin() + static_cast<std::ptrdiff_t>(at + 2 + length));
  }
  const std::string violation = selection_rule_violation(c, out.candidates, out.write_in);
  if (!violation.empty()) return invalid(violation);
  out.valid = true;
  return out;
}

DecodedBallot decode_ballot_var(const crypto::Group& group, const ManifestContest& c,
                                std::span<const crypto::Element> elements) {
  const std::size_t width = plaintext_width(group, c);
  const std::size_t total = plaintext_length(c);
  const std::size_t cap = group.message_capacity();
  if (elements.size() != width) {
    return invalid(std::to_string(elements.size()) + " elements, expected " +
                   std::to_string(width));
  }
  crypto::Bytes p;
  for (std::size_t i = 0; i < width; ++i) {
    crypto::Bytes chunk;
    try {
      chunk = group.decode_message_var(elements[i]);
    } catch (const std::exception&) {
      return invalid("element " + std::to_string(i) + " embeds no message");
    }
    const std::size_t expected = std::min(cap, total - i * cap);
    if (chunk.size() != expected) {
      return invalid("element " + std::to_string(i) + " embeds " + std::to_string(chunk.size()) +
                     " bytes, expected " + std::to_string(expected));
    }
    p.insert(p.end(), chunk.begin(), chunk.end());
  }
  return decode_plaintext(c, p);
}

crypto::Json decoded_to_json(const ManifestContest& c, const DecodedBallot& b) {
  if (!b.valid) return crypto::Json{{"invalid", b.reason}};
  crypto::Json sel = crypto::Json::array();
  for (const std::size_t k : b.candidates) {
    if (k < c.options.size()) {
      sel.push_back(c.options[k].id);
    } else {
      sel.push_back(crypto::Json{{"write_in", b.write_in}});
    }
  }
  return crypto::Json{{"selection", sel}};
}

}  // namespace haal::verifier::decryption
