#include "tally/ceremony/count.hpp"

#include "election/roll.hpp"
#include "tally/counting/results.hpp"

namespace haal::tally {

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

}  // namespace

void ElectionCount::add_contest_var(const election::Contest& contest,
                                    std::span<const Selection> selections) {
  const bool schulze_binds = contest.ranked() && contest.method == election::RankedMethod::schulze;
  const ContestMetadata meta =
      contest_metadata(contest, schulze_binds ? ContestKind::kSchulze : ContestKind::kIrv);
  primary_.push_back(count_contest_var(meta, selections, seed_));
  reports_.push_back({meta, primary_.back()});
  if (contest.ranked()) {
    const ContestMetadata other =
        contest_metadata(contest, schulze_binds ? ContestKind::kIrv : ContestKind::kSchulze);
    alternatives_.push_back(count_contest_var(other, selections, seed_));
    reports_.push_back({other, alternatives_.back(), false});
  }
}

void ElectionCount::write(const std::filesystem::path& record_dir,
                          const election::ElectionContext& context) const {
  Json results = election_results(context.election_id(), primary_);
  results["ranked_alternatives"] = alternatives_;
  write_record_json(record_dir / "results.json", results);

  ElectionSummary es;
  es.title = context.manifest().title.in("en");
  es.eligible_voters = election::load_roll(record_dir, context.election_id()).size();
  const std::string html = render_results_html(es, reports_);
  write_record_bytes(
      record_dir / "results.html",
      crypto::ByteView(reinterpret_cast<const std::uint8_t*>(html.data()), html.size()));
}

}  // namespace haal::tally
