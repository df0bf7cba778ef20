#include "tally/counting/results_html.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/base/utf8.hpp"

namespace haal::tally {

namespace {

// Phone first: one column, tables scroll sideways inside their own box, bars scale with width.
constexpr std::string_view kStyle = R"(
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bar:#2f6fb5;--win:#1a7f37;--lose:#cf222e;
--bg:#fff;--panel:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
background:var(--bg)}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:0 0 .5rem}
h3{font-size:1.05rem;margin:1rem 0 .4rem}
section.contest{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 1.5rem;
background:var(--panel)}
.kind{color:var(--muted);font-size:.9rem}
dl.census{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;margin:0}
dl.census div{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.4rem .6rem}
dl.census dt{color:var(--muted);font-size:.8rem}
dl.census dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;background:var(--bg);font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}
td.bar{width:40%;min-width:6rem}
svg.bar{display:block;width:100%;height:.9rem}
svg.bar rect.track{fill:var(--line)}
svg.bar rect.fill{fill:var(--bar)}
td.win{color:var(--win);font-weight:600}
td.lose{color:var(--lose)}
.outcome{font-weight:600}
.tie{color:var(--lose);font-weight:600}
.note{color:var(--muted);font-size:.85rem}
ol.ranking li{margin:.1rem 0}
@media (max-width:600px){body{font-size:15px}main{padding:.5rem}section.contest{padding:.6rem}
th,td{padding:.25rem .35rem}td.bar{min-width:4rem}}
)";

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw std::invalid_argument("results " + path + ": " + reason);
}

const Json& field(const Json& object, const char* key, const std::string& path) {
  if (!object.is_object()) fail(path, "not an object");
  const auto it = object.find(key);
  if (it == object.end()) fail(path + "." + key, "missing");
  return *it;
}

const Json& array_field(const Json& object, const char* key, const std::string& path) {
  const auto& value = field(object, key, path);
  if (!value.is_array()) fail(path + "." + key, "not an array");
  return value;
}

std::uint64_t as_uint(const Json& value, const std::string& path) {
  // Parsed JSON holds non-negative integers as unsigned; built in memory they may be signed.
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  }
  fail(path, "not an unsigned integer");
}

std::uint64_t uint_field(const Json& object, const char* key, const std::string& path) {
  return as_uint(field(object, key, path), path + "." + key);
}

std::string string_field(const Json& object, const char* key, const std::string& path) {
  const auto& value = field(object, key, path);
  if (!value.is_string()) fail(path + "." + key, "not a string");
  return value.get<std::string>();
}

std::string indexed(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Renders one contest; `path` names it in error messages.
class ContestWriter {
 public:
  ContestWriter(const ElectionSummary& election, const ContestReport& report, std::string& out)
      : election_(election),
        contest_(report.contest),
        results_(report.results),
        binding_(report.binding),
        out_(out),
        path_("contest \"" + report.contest.id + "\"") {}

  void write() {
    validate_contest_metadata(contest_);
    if (string_field(results_, "format", path_) != kContestResultsFormat) {
      fail(path_ + ".format", "unknown format");
    }
    if (string_field(results_, "contest_id", path_) != contest_.id) {
      fail(path_ + ".contest_id", "does not match the metadata");
    }
    if (string_field(results_, "kind", path_) != contest_kind_name(contest_.kind)) {
      fail(path_ + ".kind", "does not match the metadata");
    }
    out_ += "<section class=\"contest\" id=\"contest-" + html_escape(contest_.id) +
            (binding_ ? "" : "-comparison") + "\">\n<h2>" + html_escape(contest_.title) +
            "</h2>\n<p class=\"kind\">" + kind_description() +
            (binding_ ? std::string(contest_.kind == ContestKind::kIrv ||
                                            contest_.kind == ContestKind::kSchulze
                                        ? " (the binding count named by the manifest)"
                                        : "")
                      : std::string(" (for comparison only: not the binding count)")) +
            "</p>\n";
    write_census();
    switch (contest_.kind) {
      case ContestKind::kPlurality:
      case ContestKind::kApproval:
      case ContestKind::kReferendum:
        write_choice(field(results_, "choice", path_), path_ + ".choice");
        break;
      case ContestKind::kIrv:
        write_irv(field(results_, "irv", path_), path_ + ".irv");
        write_tie_break();
        break;
      case ContestKind::kSchulze:
        write_schulze(field(results_, "schulze", path_), path_ + ".schulze");
        write_tie_break();
        break;
    }
    out_ += "</section>\n";
  }

 private:
  std::string kind_description() const {
    const auto range = std::to_string(contest_.min) + "&ndash;" + std::to_string(contest_.max);
    switch (contest_.kind) {
      case ContestKind::kPlurality:
        return "Plurality: choose " + range + (contest_.has_write_in ? ", write-in allowed" : "");
      case ContestKind::kApproval:
        return "Approval: choose " + range + (contest_.has_write_in ? ", write-in allowed" : "");
      case ContestKind::kReferendum:
        return "Referendum";
      case ContestKind::kIrv:
        return "Ranked, instant-runoff: rank " + range + " options";
      case ContestKind::kSchulze:
        return "Ranked, Schulze method: rank " + range + " options";
    }
    return "";
  }

  std::uint32_t option_at(const Json& value, const std::string& path) const {
    const auto option = as_uint(value, path);
    if (option >= contest_.option_names.size()) fail(path, "option index out of range");
    return static_cast<std::uint32_t>(option);
  }

  std::string name(std::uint32_t option) const {
    return html_escape(contest_.option_names.at(option));
  }

  // "A, B and C": the options of an unordered set.
  std::string names(const Json& options, const std::string& path) const {
    std::string text;
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (i > 0) text += i + 1 == options.size() ? " and " : ", ";
      text += name(option_at(options[i], indexed(path, i)));
    }
    return text;
  }

  // "A &gt; B &gt; C": the options of an order, first first.
  std::string ordered_names(const Json& options, const std::string& path) const {
    std::string text;
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (i > 0) text += " &gt; ";
      text += name(option_at(options[i], indexed(path, i)));
    }
    return text;
  }

  // An inline SVG bar filled to part / whole.
  static std::string bar(std::uint64_t part, std::uint64_t whole) {
    auto width = percent_text(part, whole);
    width.pop_back();  // the '%'
    return "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" "
           "aria-label=\"" +
           width +
           "%\"><rect class=\"track\" width=\"100\" height=\"10\"/>"
           "<rect class=\"fill\" width=\"" +
           width + "\" height=\"10\"/></svg>";
  }

  void census_item(const char* label, const std::string& value) {
    out_ += "<div><dt>" + std::string(label) + "</dt><dd>" + value + "</dd></div>";
  }

  void write_census() {
    const auto path = path_ + ".ballots";
    const auto& ballots = field(results_, "ballots", path_);
    total_ = uint_field(ballots, "total", path);
    valid_ = uint_field(ballots, "valid", path);
    const auto blank = uint_field(ballots, "blank", path);
    const auto invalid = uint_field(ballots, "invalid", path);
    if (valid_ + invalid != total_ || blank > valid_) fail(path, "counts do not add up");
    out_ += "<dl class=\"census\">";
    census_item("Ballots cast", std::to_string(total_));
    if (election_.eligible_voters && *election_.eligible_voters >= total_) {
      census_item("Turnout", percent_text(total_, *election_.eligible_voters) + " of " +
                                 std::to_string(*election_.eligible_voters));
    }
    census_item("Valid", std::to_string(valid_));
    census_item("Blank", std::to_string(blank));
    census_item("Invalid", std::to_string(invalid));
    out_ += "</dl>\n";
    if (invalid == 0) return;
    const auto& reasons = field(ballots, "invalid_by_reason", path);
    std::string detail;
    for (std::size_t r = 0; r < kInvalidReasonCount; ++r) {
      const auto reason = std::string(invalid_reason_name(static_cast<InvalidReason>(r)));
      const auto count = uint_field(reasons, reason.c_str(), path + ".invalid_by_reason");
      if (count == 0) continue;
      if (!detail.empty()) detail += ", ";
      detail += reason + " " + std::to_string(count);
    }
    out_ += "<p class=\"note\">Invalid ballots by reason: " + html_escape(detail) + "</p>\n";
  }

  void write_choice(const Json& choice, const std::string& path) {
    const auto& votes = array_field(choice, "option_votes", path);
    if (votes.size() != contest_.option_names.size()) {
      fail(path + ".option_votes", "length differs from the number of options");
    }
    const auto& leaders = array_field(choice, "leaders", path);
    std::vector<bool> leading(votes.size(), false);
    for (std::size_t i = 0; i < leaders.size(); ++i) {
      leading[option_at(leaders[i], indexed(path + ".leaders", i))] = true;
    }
    out_ +=
        "<h3>Votes per option</h3>\n<div class=\"scroll\"><table><thead><tr><th>Option</th>"
        "<th class=\"num\">Votes</th><th class=\"num\">Share</th><th>of valid ballots</th>"
        "</tr></thead><tbody>\n";
    for (std::uint32_t option = 0; option < votes.size(); ++option) {
      const auto count = as_uint(votes[option], indexed(path + ".option_votes", option));
      if (count > valid_) fail(indexed(path + ".option_votes", option), "exceeds valid ballots");
      out_ += std::string("<tr><td") + (leading[option] ? " class=\"win\"" : "") + ">" +
              name(option) + "</td><td class=\"num\">" + std::to_string(count) +
              "</td><td class=\"num\">" + percent_text(count, valid_) + "</td><td class=\"bar\">" +
              bar(count, valid_) + "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n";
    if (leaders.empty()) {
      out_ += "<p class=\"outcome\">No option received a vote.</p>\n";
    } else if (leaders.size() == 1) {
      out_ += "<p class=\"outcome\">Most votes: " + names(leaders, path + ".leaders") + "</p>\n";
    } else {
      out_ += "<p class=\"outcome tie\">Tie for most votes: " + names(leaders, path + ".leaders") +
              "</p>\n";
    }
    const auto& write_ins = array_field(choice, "write_ins", path);
    if (write_ins.empty()) return;
    out_ +=
        "<h3>Write-ins</h3>\n<p class=\"note\">Totals per exact text as entered; write-ins are "
        "not merged or judged by the count.</p>\n<div class=\"scroll\"><table><thead><tr>"
        "<th>Text</th><th class=\"num\">Votes</th><th>of valid ballots</th></tr></thead>"
        "<tbody>\n";
    for (std::size_t i = 0; i < write_ins.size(); ++i) {
      const auto entry_path = indexed(path + ".write_ins", i);
      const auto count = uint_field(write_ins[i], "votes", entry_path);
      if (count > valid_) fail(entry_path + ".votes", "exceeds valid ballots");
      out_ += "<tr><td>" + html_escape(string_field(write_ins[i], "text", entry_path)) +
              "</td><td class=\"num\">" + std::to_string(count) + "</td><td class=\"bar\">" +
              bar(count, valid_) + "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n";
  }

  std::string irv_outcome(const Json& round, const std::string& path) const {
    const auto action = string_field(round, "action", path);
    const auto option = option_at(field(round, "option", path), path + ".option");
    const auto reason = string_field(round, "reason", path);
    if (action == "elect") return "<span class=\"outcome\">Elected: " + name(option) + "</span>";
    if (action != "eliminate") fail(path + ".action", "unknown action");
    std::string text = "Eliminated: " + name(option);
    const auto& tied = array_field(round, "tied_options", path);
    if (reason == "lowest_votes") return text + " (fewest votes)";
    const auto tie =
        "<span class=\"tie\">Tie</span> between " + names(tied, path + ".tied_options");
    if (reason == "previous_round") {
      return text + ". " + tie + ", decided by fewer votes in round " +
             std::to_string(uint_field(round, "tie_decided_in_round", path));
    }
    if (reason == "tie_break_order") return text + ". " + tie + ", decided by the tie-break order";
    fail(path + ".reason", "unknown reason");
  }

  void write_irv(const Json& irv, const std::string& path) {
    const auto& rounds = array_field(irv, "rounds", path);
    const auto n = static_cast<std::uint32_t>(contest_.option_names.size());
    if (rounds.empty()) {
      out_ += "<p class=\"outcome\">No valid ballot ranked any option: no winner.</p>\n";
      return;
    }
    // votes[r][option], or nullopt once the option is no longer continuing.
    std::vector<std::vector<std::optional<std::uint64_t>>> votes;
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      const auto round_path = indexed(path + ".rounds", r);
      votes.emplace_back(n);
      const auto& tallies = array_field(rounds[r], "tallies", round_path);
      for (std::size_t t = 0; t < tallies.size(); ++t) {
        const auto tally_path = indexed(round_path + ".tallies", t);
        votes.back()[option_at(field(tallies[t], "option", tally_path), tally_path + ".option")] =
            uint_field(tallies[t], "votes", tally_path);
      }
    }
    out_ +=
        "<h3>Instant-runoff rounds</h3>\n<div class=\"scroll\"><table><thead><tr>"
        "<th>Option</th>";
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      out_ += "<th class=\"num\">Round " + std::to_string(r + 1) + "</th>";
    }
    out_ += "</tr></thead><tbody>\n";
    for (std::uint32_t option = 0; option < n; ++option) {
      out_ += "<tr><td>" + name(option) + "</td>";
      for (const auto& round_votes : votes) {
        out_ += "<td class=\"num\">" +
                (round_votes[option] ? std::to_string(*round_votes[option]) : "&ndash;") + "</td>";
      }
      out_ += "</tr>\n";
    }
    for (const char* key : {"continuing_ballots", "exhausted_ballots"}) {
      out_ += std::string("<tr><th>") +
              (key[0] == 'c' ? "Continuing ballots" : "Exhausted ballots") + "</th>";
      for (std::size_t r = 0; r < rounds.size(); ++r) {
        out_ += "<td class=\"num\">" +
                std::to_string(uint_field(rounds[r], key, indexed(path + ".rounds", r))) + "</td>";
      }
      out_ += "</tr>\n";
    }
    out_ += "</tbody></table></div>\n<ol class=\"rounds\">\n";
    for (std::size_t r = 0; r < rounds.size(); ++r) {
      out_ += "<li>" + irv_outcome(rounds[r], indexed(path + ".rounds", r)) + "</li>\n";
    }
    out_ += "</ol>\n";
    const auto& winner = field(irv, "winner", path);
    const auto& last = rounds.back();
    const auto last_path = indexed(path + ".rounds", rounds.size() - 1);
    const auto continuing = uint_field(last, "continuing_ballots", last_path);
    out_ +=
        "<h3>Final round</h3>\n<p class=\"note\">Share of the continuing ballots.</p>\n"
        "<div class=\"scroll\"><table><tbody>\n";
    for (std::uint32_t option = 0; option < n; ++option) {
      if (!votes.back()[option]) continue;
      out_ += "<tr><td>" + name(option) + "</td><td class=\"num\">" +
              percent_text(*votes.back()[option], continuing) + "</td><td class=\"bar\">" +
              bar(*votes.back()[option], continuing) + "</td></tr>\n";
    }
    out_ += "</tbody></table></div>\n<p class=\"outcome\">Winner: " +
            name(option_at(winner, path + ".winner")) + "</p>\n";
  }

  void write_matrix(const char* heading, const Json& matrix, const std::string& path,
                    bool mark_wins) {
    const auto n = contest_.option_names.size();
    if (!matrix.is_array() || matrix.size() != n) fail(path, "not an n-by-n matrix");
    std::vector<std::vector<std::uint64_t>> cells(n, std::vector<std::uint64_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      if (!matrix[i].is_array() || matrix[i].size() != n) fail(indexed(path, i), "not a row of n");
      for (std::size_t j = 0; j < n; ++j)
        cells[i][j] = as_uint(matrix[i][j], indexed(indexed(path, i), j));
    }
    out_ += std::string("<h3>") + heading +
            "</h3>\n<div class=\"scroll\"><table><thead><tr>"
            "<th>over &rarr;</th>";
    for (std::uint32_t j = 0; j < n; ++j) out_ += "<th>" + name(j) + "</th>";
    out_ += "</tr></thead><tbody>\n";
    for (std::uint32_t i = 0; i < n; ++i) {
      out_ += "<tr><th>" + name(i) + "</th>";
      for (std::uint32_t j = 0; j < n; ++j) {
        if (i == j) {
          out_ += "<td class=\"num\">&ndash;</td>";
          continue;
        }
        const char* mark = !mark_wins                  ? ""
                           : cells[i][j] > cells[j][i] ? " win"
                           : cells[i][j] < cells[j][i] ? " lose"
                                                       : "";
        out_ +=
            std::string("<td class=\"num") + mark + "\">" + std::to_string(cells[i][j]) + "</td>";
      }
      out_ += "</tr>\n";
    }
    out_ += "</tbody></table></div>\n";
  }

  void write_schulze(const Json& schulze, const std::string& path) {
    write_matrix("Pairwise preferences d[row, column]: ballots ranking row above column",
                 field(schulze, "pairwise", path), path + ".pairwise", true);
    write_matrix("Strongest paths p[row, column] (winning votes)",
                 field(schulze, "strongest_paths", path), path + ".strongest_paths", true);
    const auto& winners = array_field(schulze, "winners", path);
    if (winners.size() == 1) {
      out_ += "<p class=\"outcome\">Winner: " + names(winners, path + ".winners") + "</p>\n";
    } else {
      out_ += "<p class=\"outcome tie\">Tie between the potential winners " +
              names(winners, path + ".winners") + "</p>\n";
    }
    const auto& tiers = array_field(schulze, "ranking_tiers", path);
    out_ += "<h3>Ranking</h3>\n<ol class=\"ranking\">\n";
    for (std::size_t t = 0; t < tiers.size(); ++t) {
      const auto tier_path = indexed(path + ".ranking_tiers", t);
      if (!tiers[t].is_array() || tiers[t].empty()) fail(tier_path, "not a non-empty array");
      out_ += "<li>" + names(tiers[t], tier_path) +
              (tiers[t].size() > 1 ? " <span class=\"tie\">(tied)</span>" : "") + "</li>\n";
    }
    out_ += "</ol>\n";
    const auto& ranking = array_field(schulze, "ranking", path);
    out_ += "<p class=\"note\">Full order with ties broken by the tie-break order: " +
            ordered_names(ranking, path + ".ranking") + "</p>\n";
  }

  void write_tie_break() {
    const auto path = path_ + ".tie_break";
    const auto& tie_break = field(results_, "tie_break", path_);
    const auto& order = array_field(tie_break, "order", path);
    out_ += "<p class=\"note\">Tie-break order (most favoured first, from public seed <code>" +
            html_escape(string_field(tie_break, "seed", path)) +
            "</code>): " + ordered_names(order, path + ".order") + "</p>\n";
  }

  const ElectionSummary& election_;
  const ContestMetadata& contest_;
  const Json& results_;
  const bool binding_;
  std::string& out_;
  std::string path_;
  std::uint64_t total_ = 0;
  std::uint64_t valid_ = 0;
};

}  // namespace

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string percent_text(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "0.0%";
  const std::uint64_t tenths = (part * 2000 + whole) / (2 * whole);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

std::string render_results_html(const ElectionSummary& election,
                                std::span<const ContestReport> contests) {
  if (!base::is_valid_utf8_var(election.title))
    throw std::invalid_argument("election title: not UTF-8");
  const auto title = html_escape(election.title);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      title + " &mdash; results</title>\n<style>" + std::string(kStyle) +
      "</style>\n</head>\n<body>\n<main>\n<h1>" + title + "</h1>\n";
  if (election.eligible_voters) {
    out += "<p class=\"note\">Eligible voters: " + std::to_string(*election.eligible_voters) +
           "</p>\n";
  }
  for (const auto& report : contests) ContestWriter(election, report, out).write();
  out +=
      "<p class=\"note\">Counted by Haal from the decrypted ballots; the counting rules and "
      "the results format are specified in docs/counting.md.</p>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace haal::tally
