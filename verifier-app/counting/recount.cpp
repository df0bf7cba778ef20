#include "verifier-app/counting/recount.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "crypto/base/utf8.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier::counting {

using crypto::Json;

namespace {

void lp(crypto::Bytes& out, crypto::ByteView data) {
  crypto::append_length_prefixed(out, data);
}

const std::vector<std::string> kReasons = {
    "undecodable",    "option_out_of_range", "duplicate_option",   "write_in_not_allowed",
    "write_in_empty", "write_in_not_utf8",   "too_few_selections", "too_many_selections"};

bool blank(const CountBallot& b) {
  return b.options.empty() && !b.write_in;
}

Json choice_results(const ContestRules& rules, const std::vector<const CountBallot*>& valid) {
  std::vector<std::uint64_t> votes(rules.option_count, 0);
  std::map<std::string, std::uint64_t> write_ins;  // std::string orders bytes as unsigned
  for (const CountBallot* b : valid) {
    for (const auto o : b->options) ++votes[o];
    if (b->write_in) ++write_ins[*b->write_in];
  }
  const std::uint64_t top = votes.empty() ? 0 : *std::max_element(votes.begin(), votes.end());
  Json leaders = Json::array();
  if (top >= 1) {
    for (std::uint32_t i = 0; i < rules.option_count; ++i) {
      if (votes[i] == top) leaders.push_back(i);
    }
  }
  Json wi = Json::array();
  for (const auto& [text, n] : write_ins) wi.push_back({{"text", text}, {"votes", n}});
  return {{"leaders", leaders}, {"option_votes", votes}, {"write_ins", wi}};
}

Json irv_results(const ContestRules& rules, const std::vector<const CountBallot*>& valid,
                 const std::vector<std::uint32_t>& order) {
  // Identical rankings grouped.
  std::map<std::vector<std::uint32_t>, std::uint64_t> groups;
  std::uint64_t total = 0;
  for (const CountBallot* b : valid) {
    if (blank(*b)) continue;
    ++groups[b->options];
    ++total;
  }
  const std::uint32_t n = rules.option_count;
  std::vector<std::size_t> position(n);  // in the tie-break order: larger = less favoured
  for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
  std::vector<bool> continuing(n, true);
  std::vector<std::vector<std::uint64_t>> history;  // votes per option per round
  Json rounds = Json::array();
  Json winner = nullptr;
  bool any_ranked = false;
  for (const auto& [ranking, count] : groups) any_ranked = any_ranked || !ranking.empty();
  for (std::uint32_t round = 1; any_ranked; ++round) {
    std::vector<std::uint64_t> votes(n, 0);
    std::uint64_t continuing_ballots = 0;
    for (const auto& [ranking, count] : groups) {
      for (const auto o : ranking) {
        if (continuing[o]) {
          votes[o] += count;
          continuing_ballots += count;
          break;
        }
      }
    }
    history.push_back(votes);
    Json tallies = Json::array();
    for (std::uint32_t o = 0; o < n; ++o) {
      if (continuing[o]) tallies.push_back({{"option", o}, {"votes", votes[o]}});
    }
    Json r = {{"continuing_ballots", continuing_ballots},
              {"exhausted_ballots", total - continuing_ballots},
              {"round", round},
              {"tallies", tallies},
              {"tie_decided_in_round", nullptr},
              {"tied_options", Json::array()}};
    std::optional<std::uint32_t> elected;
    for (std::uint32_t o = 0; o < n; ++o) {
      if (continuing[o] && votes[o] > continuing_ballots - votes[o]) elected = o;
    }
    if (elected) {
      r["action"] = "elect";
      r["option"] = *elected;
      r["reason"] = "majority";
      rounds.push_back(r);
      winner = *elected;
      break;
    }
    if (continuing_ballots == 0) break;  // cannot happen (docs/counting.md section 5)
    std::uint64_t fewest = UINT64_MAX;
    for (std::uint32_t o = 0; o < n; ++o) {
      if (continuing[o]) fewest = std::min(fewest, votes[o]);
    }
    std::vector<std::uint32_t> tied;
    for (std::uint32_t o = 0; o < n; ++o) {
      if (continuing[o] && votes[o] == fewest) tied.push_back(o);
    }
    std::uint32_t eliminated = tied[0];
    if (tied.size() == 1) {
      r["reason"] = "lowest_votes";
    } else {
      r["tied_options"] = tied;
      std::vector<std::uint32_t> remaining = tied;
      std::optional<std::uint32_t> decided_in;
      for (std::size_t s = round - 1; s >= 1 && remaining.size() > 1; --s) {
        const auto& past = history[s - 1];
        std::uint64_t low = UINT64_MAX;
        for (const auto o : remaining) low = std::min(low, past[o]);
        std::vector<std::uint32_t> keep;
        for (const auto o : remaining) {
          if (past[o] == low) keep.push_back(o);
        }
        remaining = keep;
        if (remaining.size() == 1) decided_in = static_cast<std::uint32_t>(s);
      }
      if (decided_in) {
        eliminated = remaining[0];
        r["reason"] = "previous_round";
        r["tie_decided_in_round"] = *decided_in;
      } else {
        eliminated = *std::max_element(
            remaining.begin(), remaining.end(),
            [&](std::uint32_t a, std::uint32_t b) { return position[a] < position[b]; });
        r["reason"] = "tie_break_order";
      }
    }
    r["action"] = "eliminate";
    r["option"] = eliminated;
    continuing[eliminated] = false;
    rounds.push_back(r);
  }
  return {{"rounds", rounds}, {"winner", winner}};
}

Json schulze_results(const ContestRules& rules, const std::vector<const CountBallot*>& valid,
                     const std::vector<std::uint32_t>& order) {
  const std::uint32_t n = rules.option_count;
  std::vector<std::vector<std::uint64_t>> d(n, std::vector<std::uint64_t>(n, 0));
  for (const CountBallot* b : valid) {
    const auto& rk = b->options;
    std::vector<bool> ranked(n, false);
    for (const auto o : rk) ranked[o] = true;
    for (std::size_t a = 0; a < rk.size(); ++a) {
      for (std::size_t c = a + 1; c < rk.size(); ++c) ++d[rk[a]][rk[c]];  // above later ranks
      for (std::uint32_t u = 0; u < n; ++u) {
        if (!ranked[u]) ++d[rk[a]][u];  // above every unranked option
      }
    }
  }
  std::vector<std::vector<std::uint64_t>> p(n, std::vector<std::uint64_t>(n, 0));
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      if (i != j && d[i][j] > d[j][i]) p[i][j] = d[i][j];
    }
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < n; ++j) {
      if (j == i) continue;
      for (std::uint32_t k = 0; k < n; ++k) {
        if (k == i || k == j) continue;
        p[j][k] = std::max(p[j][k], std::min(p[j][i], p[i][k]));
      }
    }
  }
  const auto beats = [&](std::uint32_t j, std::uint32_t i) { return p[j][i] > p[i][j]; };
  std::vector<std::size_t> position(n);
  for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
  Json tiers = Json::array();
  Json ranking = Json::array();
  std::vector<bool> placed(n, false);
  std::size_t placed_count = 0;
  while (placed_count < n) {
    std::vector<std::uint32_t> tier;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (placed[i]) continue;
      bool beaten = false;
      for (std::uint32_t j = 0; j < n && !beaten; ++j) beaten = !placed[j] && j != i && beats(j, i);
      if (!beaten) tier.push_back(i);
    }
    if (tier.empty()) throw std::logic_error("Schulze: beat relation has a cycle");
    for (const auto i : tier) placed[i] = true;
    placed_count += tier.size();
    tiers.push_back(tier);
    std::vector<std::uint32_t> by_order = tier;
    std::sort(by_order.begin(), by_order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return position[a] < position[b]; });
    for (const auto i : by_order) ranking.push_back(i);
  }
  return {{"pairwise", d},
          {"ranking", ranking},
          {"ranking_tiers", tiers},
          {"strongest_paths", p},
          {"winners", tiers.empty() ? Json::array() : tiers[0]}};
}

}  // namespace

std::vector<std::uint32_t> tie_break_order(crypto::ByteView seed, std::string_view contest_id,
                                           std::uint32_t n) {
  std::vector<std::pair<crypto::Digest, std::uint32_t>> keys;
  for (std::uint32_t i = 0; i < n; ++i) {
    crypto::Bytes in;
    lp(in, crypto::to_bytes("haal/tally/tie-break/v1"));
    lp(in, seed);
    lp(in, crypto::to_bytes(contest_id));
    crypto::append_u32_be(in, i);
    keys.emplace_back(crypto::sha256(in), i);
  }
  std::sort(keys.begin(), keys.end());
  std::vector<std::uint32_t> out;
  for (const auto& [key, i] : keys) out.push_back(i);
  return out;
}

std::string invalid_reason(const ContestRules& rules, const CountBallot& b) {
  if (!b.decoded) return "undecodable";
  for (const auto o : b.options) {
    if (o >= rules.option_count) return "option_out_of_range";
  }
  if (std::set<std::uint32_t>(b.options.begin(), b.options.end()).size() != b.options.size()) {
    return "duplicate_option";
  }
  if (b.write_in && !rules.has_write_in) return "write_in_not_allowed";
  if (b.write_in && b.write_in->empty()) return "write_in_empty";
  if (b.write_in && !base::is_valid_utf8_var(*b.write_in)) return "write_in_not_utf8";
  const std::size_t items = b.options.size() + (b.write_in ? 1 : 0);
  if (items < rules.min) return "too_few_selections";
  if (items > rules.max) return "too_many_selections";
  return "";
}

Json recount(const ContestRules& rules, const std::vector<CountBallot>& ballots,
             crypto::ByteView tie_seed) {
  static const std::set<std::string> kinds = {"plurality", "approval", "referendum", "irv",
                                              "schulze"};
  if (kinds.count(rules.kind) == 0) throw std::invalid_argument("unknown kind " + rules.kind);
  Json by_reason = Json::object();
  for (const auto& r : kReasons) by_reason[r] = std::uint64_t{0};
  std::vector<const CountBallot*> valid;
  std::uint64_t invalid = 0, blanks = 0;
  for (const auto& b : ballots) {
    const std::string reason = invalid_reason(rules, b);
    if (!reason.empty()) {
      ++invalid;
      by_reason[reason] = by_reason[reason].get<std::uint64_t>() + 1;
      continue;
    }
    valid.push_back(&b);
    if (blank(b)) ++blanks;
  }
  Json out = {{"ballots",
               {{"blank", blanks},
                {"invalid", invalid},
                {"invalid_by_reason", by_reason},
                {"total", static_cast<std::uint64_t>(ballots.size())},
                {"valid", static_cast<std::uint64_t>(valid.size())}}},
              {"contest_id", rules.id},
              {"format", "haal-contest-results-v1"},
              {"kind", rules.kind}};
  if (!rules.ranked()) {
    out["choice"] = choice_results(rules, valid);
    return out;
  }
  const auto order = tie_break_order(tie_seed, rules.id, rules.option_count);
  out["tie_break"] = {{"order", order}, {"seed", crypto::to_hex(tie_seed)}};
  if (rules.kind == "irv") {
    out["irv"] = irv_results(rules, valid, order);
  } else {
    out["schulze"] = schulze_results(rules, valid, order);
  }
  return out;
}

std::string first_difference(const Json& expected, const Json& actual, const std::string& path) {
  const bool both_numbers = expected.is_number() && actual.is_number();
  if (expected.type() != actual.type() && !both_numbers) {
    return (path.empty() ? "." : path) + ": " + actual.dump() + " where the recount has " +
           expected.dump();
  }
  if (expected.is_object()) {
    for (const auto& [k, v] : expected.items()) {
      if (!actual.contains(k)) return path + "." + k + ": missing";
      const std::string d = first_difference(v, actual.at(k), path + "." + k);
      if (!d.empty()) return d;
    }
    for (const auto& [k, v] : actual.items()) {
      if (!expected.contains(k)) return path + "." + k + ": unexpected field";
    }
    return "";
  }
  if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      return path + ": " + std::to_string(actual.size()) + " entries where the recount has " +
             std::to_string(expected.size());
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const std::string d =
          first_difference(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (expected != actual) {
    return (path.empty() ? "." : path) + ": " + actual.dump() + " where the recount has " +
           expected.dump();
  }
  return "";
}

}  // namespace haal::verifier::counting
