// The results page: escaping, self-containment, content of each contest kind, rejection of
// results that do not match their metadata.
#include <catch2/catch.hpp>
#include <fstream>

#include "tally/counting/results_html.hpp"
#include "tally_test_support.hpp"

using namespace haal::tally;
using namespace haal::tally::test;

namespace {

ContestReport report(ContestMetadata contest, const std::vector<Selection>& ballots,
                     std::string_view seed_text = "s") {
  auto results = count_contest_var(contest, ballots, seed(seed_text));
  return ContestReport{std::move(contest), std::move(results)};
}

std::vector<ContestReport> sample_election() {
  std::vector<ContestReport> reports;
  auto mayor = choice_contest(ContestKind::kPlurality,
                              {"<script>alert(1)</script>", "Bob & \"Co\"", "O'Neil"}, 0, 1, true);
  mayor.id = "mayor";
  mayor.title = "Mayor <b>2026</b>";
  std::vector<Selection> ballots;
  add(ballots, 3, letters("A"));
  add(ballots, 2, letters("B"));
  add(ballots, 1, write_in("<img src=x onerror=alert(2)>"));
  add(ballots, 1, letters(""));
  add(ballots, 1, undecodable());
  reports.push_back(report(mayor, ballots));

  auto irv = ranked_contest(ContestKind::kIrv, "capital", 4, 4);
  irv.option_names = {"Memphis", "Nashville", "Chattanooga", "Knoxville"};
  ballots.clear();
  add(ballots, 42, letters("ABCD"));
  add(ballots, 26, letters("BCDA"));
  add(ballots, 15, letters("CDBA"));
  add(ballots, 17, letters("DCBA"));
  reports.push_back(report(irv, ballots));

  auto schulze = ranked_contest(ContestKind::kSchulze, "board", 3, 3);
  ballots = {letters("ABC"), letters("BCA"), letters("CAB")};
  reports.push_back(report(schulze, ballots));
  return reports;
}

std::size_t occurrences(const std::string& haystack, std::string_view needle) {
  std::size_t count = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("html_escape and percent_text") {
  CHECK(html_escape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(html_escape("Zo\xC3\xAB") == "Zo\xC3\xAB");
  CHECK(percent_text(1, 3) == "33.3%");
  CHECK(percent_text(2, 3) == "66.7%");
  CHECK(percent_text(1, 8) == "12.5%");  // 12.5 exactly: no rounding needed
  CHECK(percent_text(1, 16) == "6.3%");  // 6.25 rounds half up
  CHECK(percent_text(0, 0) == "0.0%");
  CHECK(percent_text(7, 7) == "100.0%");
}

TEST_CASE("names with markup are escaped, never injected") {
  const auto reports = sample_election();
  const auto html = render_results_html({"Town <vote> & more", 20}, reports);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  CHECK(html.find("<b>2026") == std::string::npos);
  CHECK(html.find("Mayor &lt;b&gt;2026&lt;/b&gt;") != std::string::npos);
  CHECK(html.find("Bob &amp; &quot;Co&quot;") != std::string::npos);
  CHECK(html.find("O&#39;Neil") != std::string::npos);
  CHECK(html.find("<h1>Town &lt;vote&gt; &amp; more</h1>") != std::string::npos);
}

TEST_CASE("the page is self-contained and phone-friendly") {
  const auto html = render_results_html({"Election", std::nullopt}, sample_election());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("name=\"viewport\"") != std::string::npos);
  CHECK(html.find("@media (max-width:600px)") != std::string::npos);
  // No scripts, links, external images, fonts or imports.
  for (const char* forbidden : {"<script", "<link", "<img", "<iframe", "<object", " src=\"",
                                " href=\"", "@import", "url(", "http:", "https:"}) {
    INFO(forbidden);
    CHECK(html.find(forbidden) == std::string::npos);
  }
  CHECK(occurrences(html, "<svg class=\"bar\"") >= 3);
  CHECK(html.find("Turnout") == std::string::npos);  // no register size given
}

TEST_CASE("each contest kind shows its counts") {
  const auto html = render_results_html({"Election", 20}, sample_election());
  // Mayor: 8 ballots of 20 eligible = 40.0%; valid 7 (3 + 2 + 1 write-in + 1 blank);
  // the first option has 3 of 7 = 42.9%, drawn as a bar 42.9 of 100 units wide.
  CHECK(html.find("40.0% of 20") != std::string::npos);
  CHECK(html.find("<dt>Invalid</dt><dd>1</dd>") != std::string::npos);
  CHECK(html.find("<dt>Blank</dt><dd>1</dd>") != std::string::npos);
  CHECK(html.find("undecodable 1") != std::string::npos);
  CHECK(html.find("<rect class=\"fill\" width=\"42.9\"") != std::string::npos);
  CHECK(html.find("Most votes: &lt;script&gt;") != std::string::npos);
  CHECK(html.find("Write-ins") != std::string::npos);
  // IRV: three round columns, Chattanooga out first, Knoxville elected with 58.
  CHECK(html.find("<th class=\"num\">Round 3</th>") != std::string::npos);
  CHECK(html.find("<th class=\"num\">Round 4</th>") == std::string::npos);
  CHECK(html.find("Eliminated: Chattanooga (fewest votes)") != std::string::npos);
  CHECK(html.find("Elected: Knoxville") != std::string::npos);
  CHECK(html.find("<td>Knoxville</td><td class=\"num\">58.0%</td>") != std::string::npos);
  // Schulze cycle: matrices and an explicit three-way tie.
  CHECK(html.find("Pairwise preferences") != std::string::npos);
  CHECK(html.find("Strongest paths") != std::string::npos);
  CHECK(html.find("Tie between the potential winners A, B and C") != std::string::npos);
  CHECK(html.find("(tied)") != std::string::npos);
  // contest "board", seed "s" -> order [2, 0, 1] (Python hashlib): the tied tier is shown in it.
  CHECK(html.find("Full order with ties broken by the tie-break order: C &gt; A &gt; B") !=
        std::string::npos);
  CHECK(html.find("from public seed <code>73</code>): C &gt; A &gt; B") != std::string::npos);
}

TEST_CASE("IRV tie and no-winner cases are spelled out") {
  std::vector<ContestReport> reports;
  auto contest = ranked_contest(ContestKind::kIrv, "exhaust", 4, 2);
  std::vector<Selection> ballots;
  add(ballots, 5, letters("A"));
  add(ballots, 4, letters("BC"));
  add(ballots, 3, letters("C"));
  add(ballots, 1, letters("D"));
  add(ballots, 1, letters("DB"));
  reports.push_back(report(contest, ballots));
  auto empty = ranked_contest(ContestKind::kIrv, "empty", 2, 2);
  reports.push_back(report(empty, {letters("")}));
  const auto html = render_results_html({"E", std::nullopt}, reports);
  CHECK(html.find("Eliminated: B. <span class=\"tie\">Tie</span> between A and B, decided by "
                  "fewer votes in round 1") != std::string::npos);
  CHECK(html.find("<th>Exhausted ballots</th><td class=\"num\">0</td><td class=\"num\">1</td>"
                  "<td class=\"num\">4</td><td class=\"num\">9</td>") != std::string::npos);
  CHECK(html.find("No valid ballot ranked any option: no winner.") != std::string::npos);
}

TEST_CASE("results that do not match their metadata are rejected with the field named") {
  auto reports = sample_election();
  auto tampered = reports;
  tampered[0].results["contest_id"] = "other";
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("contest \"mayor\".contest_id"));
  tampered = reports;
  tampered[0].results["choice"]["option_votes"].push_back(1);
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("choice.option_votes: length"));
  tampered = reports;
  tampered[1].results["irv"]["rounds"][0]["option"] = 9;
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("irv.rounds[0].option: option index out of range"));
  tampered = reports;
  tampered[2].results["schulze"]["pairwise"][1].erase(0);
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("schulze.pairwise[1]"));
  tampered = reports;
  tampered[0].results["ballots"]["valid"] = -1;
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("ballots.valid: not an unsigned integer"));
  tampered = reports;
  tampered[0].results["ballots"]["blank"] = 100;
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("do not add up"));
  tampered = reports;
  tampered[1].results["kind"] = "schulze";
  CHECK_THROWS_WITH(render_results_html({"E", std::nullopt}, tampered),
                    Catch::Contains("contest \"capital\".kind"));
}

TEST_CASE("rendering is deterministic and a sample page is written for inspection") {
  const auto reports = sample_election();
  const auto html = render_results_html({"Sample election", 200}, reports);
  CHECK(render_results_html({"Sample election", 200}, reports) == html);
  std::ofstream(std::string(HAAL_BINARY_DIR) + "/tally-sample-results.html") << html;
}
