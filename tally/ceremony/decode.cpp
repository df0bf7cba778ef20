#include "tally/ceremony/decode.hpp"

#include "election/encoding.hpp"
#include "election/selection.hpp"

namespace haal::tally {

namespace {

// The counting module's view of a decoded selection.
Selection count_selection(const election::Contest& c, const election::DecodedSelection& decoded) {
  Selection s;
  const auto* valid = std::get_if<election::Selection>(&decoded);
  if (valid == nullptr) {
    s.decoded = false;
    return s;
  }
  for (const std::size_t candidate : valid->candidates) {
    if (candidate == c.options.size()) {
      s.write_in = valid->write_in;
    } else {
      s.options.push_back(static_cast<std::uint32_t>(candidate));
    }
  }
  return s;
}

}  // namespace

DecodedContest decode_contest_var(const crypto::Group& group, const election::Contest& contest,
                                  std::size_t width, std::span<const crypto::Element> plaintexts) {
  DecodedContest out;
  const std::size_t n_ballots = plaintexts.size() / width;
  for (std::size_t n = 0; n < n_ballots; ++n) {
    const std::vector<crypto::Element> elements(plaintexts.begin() + n * width,
                                                plaintexts.begin() + (n + 1) * width);
    Json hex = Json::array();
    for (const auto& m : elements) hex.push_back(group.to_hex(m));
    const election::DecodedSelection decoded =
        election::decode_contest_plaintexts_var(group, contest, elements);
    if (const auto* valid = std::get_if<election::Selection>(&decoded)) {
      out.ballots.push_back(
          {{"elements", hex}, {"selection", election::selection_to_json(contest, *valid)}});
    } else {
      out.ballots.push_back(
          {{"elements", hex}, {"invalid", std::get<election::InvalidSelection>(decoded).reason}});
      ++out.invalid;
    }
    out.selections.push_back(count_selection(contest, decoded));
  }
  return out;
}

void write_plaintexts(const std::filesystem::path& record_dir, const std::string& election_id,
                      const std::string& contest_id,
                      const std::vector<std::uint32_t>& trustees_used, Json ballots) {
  write_record_json(record_dir / "plaintexts" / (contest_id + ".json"),
                    Json{{"format", "haal-plaintexts-v1"},
                         {"election_id", election_id},
                         {"contest_id", contest_id},
                         {"trustees_used", trustees_used},
                         {"ballots", std::move(ballots)}});
}

}  // namespace haal::tally
