#include "verifier-app/selection_codec.hpp"

#include <algorithm>
#include <stdexcept>

#include "verifier-app/decryption/plaintext_decoding.hpp"

namespace haal::verifier {

namespace {

using crypto::FormatError;
using crypto::Json;

// The candidate index one item of a choices array names: option k for the option id of option
// k, the write-in candidate (options.size()) for {"write_in": text}, whose text goes to
// `write_in`.
std::size_t candidate_of(const ManifestContest& contest, const Json& item, const std::string& at,
                         std::string& write_in) {
  if (item.is_string()) {
    const std::string& id = item.get_ref<const std::string&>();
    const auto option = std::find_if(contest.options.begin(), contest.options.end(),
                                     [&](const ManifestOption& o) { return o.id == id; });
    if (option == contest.options.end()) {
      throw FormatError(at, "\"" + id + "\" is not an option of contest " + contest.id);
    }
    return static_cast<std::size_t>(option - contest.options.begin());
  }
  if (item.is_object() && item.size() == 1 && item.contains("write_in") &&
      item.at("write_in").is_string()) {
    if (!contest.write_in_max_bytes) {
      throw FormatError(at, "contest " + contest.id + " has no write-in");
    }
    write_in = item.at("write_in").get<std::string>();
    return contest.options.size();
  }
  throw FormatError(at, "must be an option id or {\"write_in\": text}");
}

void check_rules(const ManifestContest& contest, const ClaimedSelection& s) {
  const std::string violation =
      decryption::selection_rule_violation(contest, s.candidates, s.write_in);
  if (!violation.empty()) {
    throw std::invalid_argument("selection for contest " + contest.id + ": " + violation);
  }
}

// Writes v as two bytes, most significant first, at p[at].
void put_u16_be(crypto::Bytes& p, std::size_t at, std::size_t v) {
  p[at] = static_cast<std::uint8_t>(v >> 8);
  p[at + 1] = static_cast<std::uint8_t>(v);
}

}  // namespace

ClaimedSelection selection_from_json(const ManifestContest& contest, const Json& j,
                                     const std::string& path) {
  if (!j.is_array()) throw FormatError(path, "must be an array of option ids");
  ClaimedSelection s;
  for (std::size_t k = 0; k < j.size(); ++k) {
    s.candidates.push_back(
        candidate_of(contest, j[k], path + "[" + std::to_string(k) + "]", s.write_in));
  }
  if (!contest.ranked()) std::sort(s.candidates.begin(), s.candidates.end());
  const std::string violation =
      decryption::selection_rule_violation(contest, s.candidates, s.write_in);
  if (!violation.empty()) throw FormatError(path, violation);
  return s;
}

crypto::Bytes encode_contest_plaintext(const ManifestContest& contest, const ClaimedSelection& s) {
  check_rules(contest, s);
  // Zero bytes are empty rank slots, unchosen candidates' bits and the write-in's padding.
  crypto::Bytes p(decryption::plaintext_length(contest), 0);
  std::size_t write_in_at = 0;
  if (contest.ranked()) {
    // `max` slots of u16: slot j = 1 + the candidate ranked (j+1)-th.
    for (std::size_t j = 0; j < s.candidates.size(); ++j) put_u16_be(p, 2 * j, s.candidates[j] + 1);
    write_in_at = 2 * contest.max;
  } else {
    // ceil(N / 8) bytes: candidate i sets bit 0x80 >> (i mod 8) of byte floor(i / 8).
    for (const std::size_t i : s.candidates) p[i / 8] |= static_cast<std::uint8_t>(0x80 >> (i % 8));
    write_in_at = (contest.candidate_count() + 7) / 8;
  }
  if (contest.write_in_max_bytes) {
    put_u16_be(p, write_in_at, s.write_in.size());
    std::copy(s.write_in.begin(), s.write_in.end(),
              p.begin() + static_cast<std::ptrdiff_t>(write_in_at + 2));
  }
  return p;
}

std::vector<crypto::Element> encode_contest_selection_var(const crypto::Group& group,
                                                          const ManifestContest& contest,
                                                          const ClaimedSelection& s) {
  const crypto::Bytes p = encode_contest_plaintext(contest, s);
  const std::size_t c = group.message_capacity();
  const crypto::ByteView all(p);
  std::vector<crypto::Element> elements;
  for (std::size_t j = 0; j < decryption::plaintext_width(group, contest); ++j) {
    elements.push_back(group.encode_message_var(all.subspan(j * c, std::min(c, p.size() - j * c))));
  }
  return elements;
}

}  // namespace haal::verifier
