#include "verifier-app/counting/check_counting.hpp"

#include <map>

#include "crypto/canonical_json.hpp"
#include "verifier-app/counting/recount.hpp"

namespace haal::verifier {

namespace {

constexpr Stage kStage = Stage::kCounting;
using crypto::FormatError;
using crypto::Json;

// results.json: {"contests": [results object, ...], ...} or a bare array of results objects.
std::map<std::string, Json> results_by_contest(const Json& j, const std::string& path) {
  const Json* list = &j;
  std::string at = path;
  if (j.is_object()) {
    list = &crypto::require_array(j, "contests", path);
    at = path + ".contests";
  }
  if (!list->is_array()) throw FormatError(path, "must be an object with \"contests\" or an array");
  std::map<std::string, Json> out;
  for (std::size_t k = 0; k < list->size(); ++k) {
    const std::string p = at + "[" + std::to_string(k) + "]";
    const std::string& id = crypto::require_string((*list)[k], "contest_id", p);
    if (!out.emplace(id, (*list)[k]).second) throw FormatError(p, "contest \"" + id + "\" twice");
  }
  return out;
}

// The ballots of plaintexts/<contest>.json as the count sees them.
std::vector<counting::CountBallot> count_ballots(const Json& j, const ManifestContest& contest,
                                                 const std::string& path) {
  std::map<std::string, std::uint32_t> option_index;
  for (std::size_t i = 0; i < contest.options.size(); ++i) {
    option_index[contest.options[i].id] = static_cast<std::uint32_t>(i);
  }
  const Json& ballots = crypto::require_array(j, "ballots", path);
  std::vector<counting::CountBallot> out;
  out.reserve(ballots.size());
  for (std::size_t k = 0; k < ballots.size(); ++k) {
    const std::string at = path + ".ballots[" + std::to_string(k) + "]";
    counting::CountBallot b;
    if (ballots[k].contains("selection")) {
      b.decoded = true;
      const Json& sel = crypto::require_array(ballots[k], "selection", at);
      for (std::size_t s = 0; s < sel.size(); ++s) {
        const std::string sp = at + ".selection[" + std::to_string(s) + "]";
        if (sel[s].is_string()) {
          const auto it = option_index.find(sel[s].get<std::string>());
          if (it == option_index.end()) throw FormatError(sp, "unknown option id");
          b.options.push_back(it->second);
        } else if (sel[s].is_object() && !b.write_in) {
          crypto::reject_unknown_fields(sel[s], {"write_in"}, sp);
          b.write_in = crypto::require_string(sel[s], "write_in", sp);
        } else {
          throw FormatError(sp, "must be an option id or one {\"write_in\": text}");
        }
      }
    } else if (!ballots[k].contains("invalid")) {
      throw FormatError(at, "has neither \"selection\" nor \"invalid\"");
    }
    out.push_back(std::move(b));
  }
  return out;
}

// `alternative`: the object is from results.json "ranked_alternatives" (the second method of a
// ranked contest); `seed_hex`: the final board head's root, the only admissible tie-break seed.
void check_contest(const RecordReader& record, const ManifestContest& contest,
                   const std::map<std::string, Json>& published, const std::string& seed_hex,
                   bool alternative, Report& report) {
  const std::string check = "counts of contest " + contest.id +
                            (alternative ? " by its second ranked method" : "") +
                            " recomputed equal results.json";
  const std::string where = std::string("results.json ") +
                            (alternative ? "ranked_alternatives " : "") + "contest \"" +
                            contest.id + "\"";
  try {
    const auto it = published.find(contest.id);
    if (it == published.end()) throw FormatError("results.json", "no results for " + contest.id);
    const Json& theirs = it->second;
    counting::ContestRules rules;
    rules.id = contest.id;
    rules.kind = contest.kind;
    if (contest.ranked()) {
      // The manifest says "ranked"; the method (irv | schulze) is the results object's kind.
      rules.kind = crypto::require_string(theirs, "kind", where);
      if (rules.kind != "irv" && rules.kind != "schulze") {
        throw FormatError(where + ".kind", "a ranked contest is counted by irv or schulze");
      }
    }
    rules.option_count = static_cast<std::uint32_t>(contest.options.size());
    rules.min = static_cast<std::uint32_t>(contest.min);
    rules.max = static_cast<std::uint32_t>(contest.max);
    rules.rank_limit = contest.ranked() ? rules.max : 0;
    rules.has_write_in = contest.write_in_max_bytes.has_value();
    crypto::Bytes seed;
    if (rules.ranked()) {
      const Json& tb = crypto::require_field(theirs, "tie_break", where);
      seed = crypto::bytes_from_json(crypto::require_field(tb, "seed", where + ".tie_break"),
                                     where + ".tie_break.seed");
      // docs/record.md: the seed is the final signed head's root, fixed at poll close.
      if (crypto::to_hex(seed) != seed_hex) {
        throw FormatError(where + ".tie_break.seed",
                          "is not the root hash of board/head.json (" + seed_hex + ")");
      }
    }
    const std::string pt_path = "plaintexts/" + contest.id + ".json";
    const auto ballots = count_ballots(record.read_json(pt_path), contest, pt_path);
    const Json mine = counting::recount(rules, ballots, seed);
    if (crypto::canonical_json_bytes(mine) == crypto::canonical_json_bytes(theirs)) {
      report.pass(kStage, check, where);
    } else {
      const std::string diff = counting::first_difference(mine, theirs);
      const std::size_t colon = diff.find(": ");
      report.fail(kStage, check, where + diff.substr(0, colon),
                  colon == std::string::npos ? "differs" : diff.substr(colon + 2));
    }
  } catch (const std::exception& e) {
    report.fail(kStage, check, where, e.what());
  }
}

// docs/counting.md 7.1: results.json (when an object) is {"contests", "election_id", "format":
// "haal-results-v1", "ranked_alternatives"} for this election, and nothing else: no results file
// of another election, no unverified field published beside the recomputed counts.
void check_results_header(const RecordReader& record, const VerifierContext& context,
                          Report& report) {
  const std::string check = "results.json is this election's results";
  try {
    const Json j = record.read_json("results.json");
    if (j.is_object()) {
      crypto::reject_unknown_fields(j, {"contests", "election_id", "format", "ranked_alternatives"},
                                    "results.json");
      if (crypto::require_string(j, "format", "results.json") != "haal-results-v1") {
        throw FormatError("results.json.format", "must be \"haal-results-v1\"");
      }
      if (crypto::require_string(j, "election_id", "results.json") !=
          context.manifest.election_id) {
        throw FormatError("results.json.election_id",
                          "is not this election's id \"" + context.manifest.election_id + "\"");
      }
    }
    report.pass(kStage, check, "results.json");
  } catch (const std::exception& e) {
    report.fail(kStage, check, "results.json", e.what());
  }
}

}  // namespace

void check_counting(const RecordReader& record, const VerifierContext& context, Report& report) {
  std::map<std::string, Json> published;
  std::map<std::string, Json> alternatives;
  std::string seed_hex;
  try {
    const Json results = record.read_json("results.json");
    published = results_by_contest(results, "results.json");
    if (results.is_object() && results.contains("ranked_alternatives")) {
      alternatives =
          results_by_contest(results.at("ranked_alternatives"), "results.json.ranked_alternatives");
    }
    seed_hex =
        crypto::require_string(record.read_json("board/head.json"), "root_hash", "board/head.json");
  } catch (const std::exception& e) {
    report.fail(kStage, "results.json is readable", "results.json", e.what());
    return;
  }
  check_results_header(record, context, report);
  for (const auto& contest : context.manifest.contests) {
    check_contest(record, contest, published, seed_hex, false, report);
    // The binding count of a ranked contest is the manifest's method (docs/counting.md 7.1).
    if (contest.ranked()) {
      const auto main = published.find(contest.id);
      const std::string expected = contest.method == "schulze" ? "schulze" : "irv";
      const std::string check = "ranked contest " + contest.id +
                                " is decided by the manifest's method (" + contest.method + ")";
      if (main != published.end() && main->second.value("kind", "") == expected) {
        report.pass(kStage, check, "results.json.contests");
      } else {
        report.fail(
            kStage, check, "results.json.contests",
            "the results of contest \"" + contest.id + "\" are not counted by " + contest.method);
      }
    }
    // A ranked contest is counted by both methods (docs/counting.md): the second one is in
    // "ranked_alternatives" and must use the other method.
    if (contest.ranked()) {
      const auto alt = alternatives.find(contest.id);
      const auto main = published.find(contest.id);
      if (alt == alternatives.end()) {
        report.fail(kStage, "ranked contest " + contest.id + " is also counted by the other method",
                    "results.json.ranked_alternatives", "no entry for " + contest.id);
      } else if (main != published.end() &&
                 alt->second.value("kind", "") == main->second.value("kind", "")) {
        report.fail(kStage, "ranked contest " + contest.id + " is also counted by the other method",
                    "results.json.ranked_alternatives", "same method as in contests");
      } else {
        check_contest(record, contest, alternatives, seed_hex, true, report);
      }
    }
  }
  for (const auto& [id, j] : alternatives) {
    const auto index = context.manifest.find_contest(id);
    if (!index || !context.manifest.contests[*index].ranked()) {
      report.fail(kStage, "results.json ranked_alternatives holds only ranked contests",
                  "results.json.ranked_alternatives",
                  "contest \"" + id + "\" is not a ranked contest of the manifest");
    }
  }
  for (const auto& [id, j] : published) {
    if (!context.manifest.find_contest(id)) {
      report.fail(kStage, "results.json holds only the manifest's contests", "results.json",
                  "contest \"" + id + "\" is not in the manifest");
    }
  }
}

}  // namespace haal::verifier
