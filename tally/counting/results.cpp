#include "tally/counting/results.hpp"

#include <set>
#include <stdexcept>

#include "crypto/base/utf8.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::tally {

namespace {

Json options_array(const std::vector<std::uint32_t>& options) {
  Json array = Json::array();
  for (const auto option : options) array.push_back(option);
  return array;
}

Json matrix_array(const CountMatrix& matrix) {
  Json rows = Json::array();
  for (const auto& row : matrix) {
    Json cells = Json::array();
    for (const auto cell : row) cells.push_back(cell);
    rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace

Json census_to_json(const BallotCensus& census) {
  Json by_reason = Json::object();
  for (std::size_t r = 0; r < kInvalidReasonCount; ++r) {
    by_reason[std::string(invalid_reason_name(static_cast<InvalidReason>(r)))] =
        census.invalid_by_reason[r];
  }
  return Json{{"total", census.total},
              {"valid", census.valid},
              {"blank", census.blank},
              {"invalid", census.invalid},
              {"invalid_by_reason", std::move(by_reason)}};
}

Json choice_to_json(const ChoiceCount& count) {
  Json option_votes = Json::array();
  for (const auto votes : count.option_votes) option_votes.push_back(votes);
  Json write_ins = Json::array();
  for (const auto& [text, votes] : count.write_in_votes) {
    write_ins.push_back(Json{{"text", text}, {"votes", votes}});
  }
  return Json{{"option_votes", std::move(option_votes)},
              {"write_ins", std::move(write_ins)},
              {"leaders", options_array(count.leaders)}};
}

Json irv_to_json(const IrvCount& count) {
  Json rounds = Json::array();
  for (const auto& round : count.rounds) {
    Json tallies = Json::array();
    for (const auto& [option, votes] : round.tallies) {
      tallies.push_back(Json{{"option", option}, {"votes", votes}});
    }
    rounds.push_back(
        Json{{"round", round.number},
             {"tallies", std::move(tallies)},
             {"continuing_ballots", round.continuing_ballots},
             {"exhausted_ballots", round.exhausted_ballots},
             {"action", round.action == IrvAction::kElect ? "elect" : "eliminate"},
             {"option", round.option},
             {"reason", irv_reason_name(round.reason)},
             {"tied_options", options_array(round.tied_options)},
             {"tie_decided_in_round",
              round.tie_decided_in_round ? Json(*round.tie_decided_in_round) : Json(nullptr)}});
  }
  return Json{{"rounds", std::move(rounds)},
              {"winner", count.winner ? Json(*count.winner) : Json(nullptr)}};
}

Json schulze_to_json(const SchulzeCount& count) {
  Json tiers = Json::array();
  for (const auto& tier : count.ranking_tiers) tiers.push_back(options_array(tier));
  return Json{{"pairwise", matrix_array(count.pairwise)},
              {"strongest_paths", matrix_array(count.strongest_paths)},
              {"winners", options_array(count.winners)},
              {"ranking_tiers", std::move(tiers)},
              {"ranking", options_array(count.ranking)}};
}

Json count_contest_var(const ContestMetadata& contest, std::span<const Selection> ballots,
                       crypto::ByteView tie_break_seed) {
  validate_contest_metadata(contest);
  Json results{{"format", kContestResultsFormat},
               {"contest_id", contest.id},
               {"kind", contest_kind_name(contest.kind)}};
  if (!is_ranked(contest.kind)) {
    const auto count = count_choice_var(contest, ballots);
    results["ballots"] = census_to_json(count.census);
    results["choice"] = choice_to_json(count);
    return results;
  }
  const auto n = static_cast<std::uint32_t>(contest.option_names.size());
  const auto tie_break = TieBreakOrder::from_seed_var(tie_break_seed, contest.id, n);
  results["tie_break"] =
      Json{{"seed", crypto::to_hex(tie_break_seed)}, {"order", options_array(tie_break.order())}};
  if (contest.kind == ContestKind::kIrv) {
    const auto count = count_irv_var(contest, ballots, tie_break);
    results["ballots"] = census_to_json(count.census);
    results["irv"] = irv_to_json(count);
  } else {
    const auto count = count_schulze_var(contest, ballots, tie_break);
    results["ballots"] = census_to_json(count.census);
    results["schulze"] = schulze_to_json(count);
  }
  return results;
}

Json election_results(std::string_view election_id, std::span<const Json> contest_results) {
  if (!base::is_valid_utf8_var(election_id)) throw std::invalid_argument("election_id: not UTF-8");
  std::set<std::string> seen;
  Json contests = Json::array();
  for (std::size_t i = 0; i < contest_results.size(); ++i) {
    const auto& contest = contest_results[i];
    const auto path = "contests[" + std::to_string(i) + "]";
    if (!contest.is_object() || !contest.contains("format") ||
        contest.at("format") != kContestResultsFormat || !contest.contains("contest_id") ||
        !contest.at("contest_id").is_string()) {
      throw std::invalid_argument(path + ": not a contest results object");
    }
    if (!seen.insert(contest.at("contest_id").get<std::string>()).second) {
      throw std::invalid_argument(path + ".contest_id: repeated");
    }
    contests.push_back(contest);
  }
  return Json{{"format", kElectionResultsFormat},
              {"election_id", election_id},
              {"contests", std::move(contests)}};
}

std::string canonical_json(const Json& results) {
  const auto bytes = crypto::canonical_json_bytes(results);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace haal::tally
