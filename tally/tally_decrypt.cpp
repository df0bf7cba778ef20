#include "tally/tally_decrypt.hpp"

#include <algorithm>
#include <regex>

#include "ceremony/parameters.hpp"
#include "ceremony/result.hpp"
#include "ceremony/threshold_decryption.hpp"
#include "ceremony/trustee_store.hpp"
#include "crypto/base/parallel.hpp"
#include "election/context.hpp"
#include "election/encoding.hpp"
#include "election/roll.hpp"
#include "election/selection.hpp"
#include "tally/count_results.hpp"
#include "tally/results_html.hpp"
#include "tally/tally_mix.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

namespace {

std::vector<crypto::Ciphertext> flatten(const std::vector<crypto::CiphertextVector>& ballots) {
  std::vector<crypto::Ciphertext> out;
  for (const auto& b : ballots) out.insert(out.end(), b.begin(), b.end());
  return out;
}

fs::path trustee_file(const fs::path& record_dir, const std::string& contest_id, std::uint32_t i) {
  return record_dir / "decrypt" / contest_id / ("trustee-" + std::to_string(i) + ".json");
}

}  // namespace

TrusteeDecryption decrypt_as_trustee(const fs::path& record_dir, const fs::path& trustee_dir,
                                     const std::string& passphrase, std::ostream* progress_out) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const ceremony::CeremonyParameters params = ceremony::load_ceremony_parameters(record_dir);
  const ceremony::CeremonyResult result = ceremony::load_ceremony_result(record_dir);
  const ceremony::TrusteeStore store(trustee_dir);
  const std::uint32_t index = store.trustee_index(params);
  const ceremony::TrusteeKeys* keys = result.find(index);
  if (keys == nullptr) throw TallyError("trustee " + std::to_string(index) + " is not qualified");
  const ceremony::TrusteeSecrets secrets = store.load(params, passphrase);

  TrusteeDecryption out;
  out.trustee = index;
  const auto& contests = context.manifest().contests;
  const auto inputs = mix_inputs(record_dir, context);
  for (std::size_t i = 0; i < contests.size(); ++i) {
    // A trustee decrypts only what a valid chain of shuffles produced from the counted ballots:
    // otherwise a mix server could have it decrypt a voter's ballot directly.
    if (progress_out)
      *progress_out << "trustee " << index << ": checking the mix chain of contest "
                    << contests[i].id << "\n";
    const auto mixed = flatten(verified_mix_output(record_dir, context, i, inputs[i]));
    if (mixed.empty()) continue;
    std::vector<crypto::Element> alphas;
    alphas.reserve(mixed.size());
    for (const auto& c : mixed) alphas.push_back(c.alpha);
    base::Progress progress(
        "trustee " + std::to_string(index) + ": partial decryptions of " + contests[i].id,
        alphas.size(), progress_out);
    const auto set = ceremony::compute_partial_decryptions(context.group(), context.election_id(),
                                                           context.hash_bytes(), secrets, *keys,
                                                           alphas, &progress);
    progress.finish();
    write_record_json(trustee_file(record_dir, contests[i].id, index),
                      ceremony::partial_decryptions_to_json(context.group(), set));
    ++out.contests;
    out.ciphertexts += alphas.size();
  }
  return out;
}

namespace {

// The counting module's view of a manifest contest; `ranked_kind` picks irv or schulze.
ContestMetadata contest_metadata(const election::Contest& c, ContestKind ranked_kind) {
  ContestMetadata m;
  m.id = c.id;
  m.title = c.title.in("en");
  switch (c.kind) {
    case election::ContestKind::plurality:
      m.kind = ContestKind::kPlurality;
      break;
    case election::ContestKind::approval:
      m.kind = ContestKind::kApproval;
      break;
    case election::ContestKind::referendum:
      m.kind = ContestKind::kReferendum;
      break;
    case election::ContestKind::ranked:
      m.kind = ranked_kind;
      break;
  }
  for (const auto& o : c.options) m.option_names.push_back(o.title.in("en"));
  m.min = static_cast<std::uint32_t>(c.min);
  m.max = static_cast<std::uint32_t>(c.max);
  m.rank_limit = c.ranked() ? m.max : 0;
  m.has_write_in = c.write_in_max_bytes.has_value();
  return m;
}

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

CombineSummary combine_and_count(const fs::path& record_dir, std::ostream* progress_out) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const crypto::Group& group = context.group();
  const ceremony::CeremonyResult result = ceremony::load_ceremony_result(record_dir);
  const Json head = read_record_json(record_dir / "board" / "head.json");
  // The tie-break seed: the final head's root, fixed when the polls closed, before anyone saw a
  // decrypted ballot (docs/counting.md 7.2, docs/record.md).
  const crypto::Bytes seed = crypto::from_hex(head.at("root_hash").get<std::string>());
  CombineSummary summary;
  summary.tie_break_seed_hex = crypto::to_hex(seed);

  std::vector<Json> primary, alternatives;
  std::vector<ContestReport> reports;
  const auto& contests = context.manifest().contests;
  const auto inputs = mix_inputs(record_dir, context);
  for (std::size_t i = 0; i < contests.size(); ++i) {
    const election::Contest& contest = contests[i];
    const std::size_t width = context.width(i);
    ContestOutcome outcome;
    outcome.contest_id = contest.id;
    const auto mixed = flatten(verified_mix_output(record_dir, context, i, inputs[i]));
    Json ballots = Json::array();
    std::vector<Selection> selections;
    if (!mixed.empty()) {
      std::vector<ceremony::PartialDecryptionSet> candidates;
      const fs::path dir = record_dir / "decrypt" / contest.id;
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
            candidates.push_back(
                ceremony::partial_decryptions_from_json(group, read_record_json(f), f.string()));
          } catch (const std::exception& e) {
            outcome.rejected.push_back(f.string() + ": " + e.what());
          }
        }
      }
      ceremony::ThresholdDecryption dec;
      try {
        dec = ceremony::threshold_decrypt_var(result, context.hash_bytes(), mixed, candidates,
                                              progress_out);
      } catch (const std::exception& e) {
        throw TallyError("contest " + contest.id + ": " + e.what());
      }
      for (const auto& f : dec.rejected) outcome.rejected.push_back(f.message());
      outcome.trustees_used = dec.trustees_used;
      const std::size_t n_ballots = mixed.size() / width;
      for (std::size_t n = 0; n < n_ballots; ++n) {
        const std::vector<crypto::Element> elements(dec.plaintexts.begin() + n * width,
                                                    dec.plaintexts.begin() + (n + 1) * width);
        Json hex = Json::array();
        for (const auto& m : elements) hex.push_back(group.to_hex(m));
        const election::DecodedSelection decoded =
            election::decode_contest_plaintexts(group, contest, elements);
        if (const auto* valid = std::get_if<election::Selection>(&decoded)) {
          ballots.push_back(
              {{"elements", hex}, {"selection", election::selection_to_json(contest, *valid)}});
        } else {
          ballots.push_back({{"elements", hex},
                             {"invalid", std::get<election::InvalidSelection>(decoded).reason}});
          ++outcome.invalid;
        }
        selections.push_back(count_selection(contest, decoded));
      }
      outcome.ballots = n_ballots;
    }
    write_record_json(record_dir / "plaintexts" / (contest.id + ".json"),
                      Json{{"format", "haal-plaintexts-v1"},
                           {"election_id", context.election_id()},
                           {"contest_id", contest.id},
                           {"trustees_used", outcome.trustees_used},
                           {"ballots", std::move(ballots)}});
    // A ranked contest: the manifest's binding method in "contests", the other one in
    // "ranked_alternatives" for comparison (docs/counting.md 7.1).
    const bool schulze_binds =
        contest.ranked() && contest.method == election::RankedMethod::schulze;
    const ContestMetadata meta =
        contest_metadata(contest, schulze_binds ? ContestKind::kSchulze : ContestKind::kIrv);
    primary.push_back(count_contest(meta, selections, seed));
    reports.push_back({meta, primary.back()});
    if (contest.ranked()) {
      const ContestMetadata other =
          contest_metadata(contest, schulze_binds ? ContestKind::kIrv : ContestKind::kSchulze);
      alternatives.push_back(count_contest(other, selections, seed));
      reports.push_back({other, alternatives.back(), false});
    }
    summary.contests.push_back(std::move(outcome));
  }
  Json results = election_results(context.election_id(), primary);
  results["ranked_alternatives"] = alternatives;
  write_record_json(record_dir / "results.json", results);

  ElectionSummary es;
  es.title = context.manifest().title.in("en");
  es.eligible_voters = election::load_roll(record_dir, context.election_id()).size();
  const std::string html = render_results_html(es, reports);
  write_record_bytes(
      record_dir / "results.html",
      crypto::ByteView(reinterpret_cast<const std::uint8_t*>(html.data()), html.size()));
  return summary;
}

}  // namespace haal::tally
