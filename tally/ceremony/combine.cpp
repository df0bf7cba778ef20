#include "tally/ceremony/combine.hpp"

#include <algorithm>
#include <regex>

#include "ceremony/threshold_decryption.hpp"
#include "tally/ceremony/count.hpp"
#include "tally/ceremony/decode.hpp"
#include "tally/ceremony/decrypt.hpp"
#include "tally/ceremony/mix.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

CombinedShares combine_shares_var(const fs::path& record_dir,
                                  const election::ElectionContext& context,
                                  const ceremony::CeremonyResult& result,
                                  const std::string& contest_id,
                                  std::span<const crypto::Ciphertext> mixed,
                                  std::ostream* progress_out) {
  CombinedShares out;
  std::vector<ceremony::PartialDecryptionSet> candidates;
  const fs::path dir = record_dir / "decrypt" / contest_id;
  if (fs::is_directory(dir)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    static const std::regex kName("trustee-[1-9][0-9]*\\.json");
    for (const fs::path& f : files) {
      if (!std::regex_match(f.filename().string(), kName)) {
        throw TallyError(f.string() + ": unexpected file (trustee-<i>.json expected)");
      }
      try {
        candidates.push_back(ceremony::partial_decryptions_from_json(
            context.group(), read_record_json(f), f.string()));
      } catch (const std::exception& e) {
        out.rejected.push_back(f.string() + ": " + e.what());
      }
    }
  }
  ceremony::ThresholdDecryption dec;
  try {
    dec = ceremony::threshold_decrypt_var(result, context.hash_bytes(), mixed, candidates,
                                          progress_out);
  } catch (const std::exception& e) {
    throw TallyError("contest " + contest_id + ": " + e.what());
  }
  for (const auto& f : dec.rejected) out.rejected.push_back(f.message());
  out.plaintexts = std::move(dec.plaintexts);
  out.trustees_used = std::move(dec.trustees_used);
  return out;
}

CombineSummary combine_and_count(const fs::path& record_dir, std::ostream* progress_out) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const ceremony::CeremonyResult result = ceremony::load_ceremony_result(record_dir);
  const Json head = read_record_json(record_dir / "board" / "head.json");
  // The tie-break seed: the final head's root, fixed when the polls closed, before anyone saw a
  // decrypted ballot (docs/counting.md 7.2, docs/record.md).
  const crypto::Bytes seed = crypto::from_hex(head.at("root_hash").get<std::string>());
  CombineSummary summary;
  summary.tie_break_seed_hex = crypto::to_hex(seed);
  ElectionCount count(seed);

  const auto& contests = context.manifest().contests;
  const auto inputs = mix_inputs(record_dir, context);
  for (std::size_t i = 0; i < contests.size(); ++i) {
    const election::Contest& contest = contests[i];
    ContestOutcome outcome;
    outcome.contest_id = contest.id;
    const auto mixed = flatten_ballot_major(verified_mix_output(record_dir, context, i, inputs[i]));
    DecodedContest decoded;
    if (!mixed.empty()) {
      CombinedShares shares =
          combine_shares_var(record_dir, context, result, contest.id, mixed, progress_out);
      outcome.rejected = std::move(shares.rejected);
      outcome.trustees_used = std::move(shares.trustees_used);
      decoded = decode_contest_var(context.group(), contest, context.width(i), shares.plaintexts);
      outcome.ballots = decoded.selections.size();
      outcome.invalid = decoded.invalid;
    }
    write_plaintexts(record_dir, context.election_id(), contest.id, outcome.trustees_used,
                     std::move(decoded.ballots));
    count.add_contest_var(contest, decoded.selections);
    summary.contests.push_back(std::move(outcome));
  }
  count.write(record_dir, context);
  return summary;
}

}  // namespace haal::tally
