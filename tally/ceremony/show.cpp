#include "tally/ceremony/show.hpp"

#include <sstream>

#include "election/manifest.hpp"
#include "tally/ceremony/record.hpp"

namespace haal::tally {

namespace {

// Returns the English (fallback) title of a manifest object (docs/ballots.md 2, display rule).
std::string title_of(const Json& object) {
  return election::text_in(object.at("title"), "en");
}

std::string names_of(const Json& options, const Json& indices) {
  std::string out;
  for (const auto& i : indices) {
    if (!out.empty()) out += ", ";
    out += title_of(options.at(i.get<std::size_t>()));
  }
  return out.empty() ? "none" : out;
}

void print_irv(std::ostream& out, const Json& options, const Json& irv, const std::string& prefix) {
  for (const auto& round : irv.at("rounds")) {
    out << "    " << prefix << "round " << round.at("round") << ":";
    for (const auto& t : round.at("tallies")) {
      out << " " << title_of(options.at(t.at("option").get<std::size_t>())) << " " << t.at("votes");
    }
    out << " (exhausted " << round.at("exhausted_ballots") << ") -> "
        << round.at("action").get<std::string>() << " "
        << title_of(options.at(round.at("option").get<std::size_t>())) << " ("
        << round.at("reason").get<std::string>() << ")\n";
  }
  out << "    " << prefix << "instant-runoff winner: "
      << (irv.at("winner").is_null() ? std::string("none")
                                     : title_of(options.at(irv.at("winner").get<std::size_t>())))
      << "\n";
}

}  // namespace

std::string results_text(const std::filesystem::path& record_dir) {
  const Json manifest = read_record_json(record_dir / "manifest.json");
  const Json results = read_record_json(record_dir / "results.json");
  std::ostringstream out;
  out << title_of(manifest) << " (" << manifest.at("election_id").get<std::string>() << ")\n";
  try {
    for (const auto& contest : manifest.at("contests")) {
      const std::string id = contest.at("id").get<std::string>();
      const Json& options = contest.at("options");
      const Json* r = nullptr;
      for (const auto& c : results.at("contests")) {
        if (c.at("contest_id") == id) r = &c;
      }
      if (r == nullptr) throw TallyError("results.json has no results for contest " + id);
      const Json& b = r->at("ballots");
      out << "\n"
          << title_of(contest) << " [" << r->at("kind").get<std::string>() << "]: " << b.at("total")
          << " ballots, " << b.at("valid") << " valid (" << b.at("blank") << " blank), "
          << b.at("invalid") << " invalid\n";
      if (r->contains("choice")) {
        const Json& choice = r->at("choice");
        for (std::size_t i = 0; i < options.size(); ++i) {
          out << "    " << title_of(options[i]) << ": " << choice.at("option_votes").at(i) << "\n";
        }
        for (const auto& w : choice.at("write_ins")) {
          out << "    write-in \"" << w.at("text").get<std::string>() << "\": " << w.at("votes")
              << "\n";
        }
        out << "    leading: " << names_of(options, choice.at("leaders")) << "\n";
      }
      // A ranked contest: the manifest's binding count, then the other one for comparison.
      const auto print_ranked = [&](const Json& counted, const std::string& prefix) {
        if (counted.contains("irv")) print_irv(out, options, counted.at("irv"), prefix);
        if (counted.contains("schulze")) {
          const Json& s = counted.at("schulze");
          out << "    " << prefix << "Schulze winner(s): " << names_of(options, s.at("winners"))
              << "; ranking: " << names_of(options, s.at("ranking")) << "\n";
        }
      };
      print_ranked(*r, "");
      for (const auto& alt : results.value("ranked_alternatives", Json::array())) {
        if (alt.at("contest_id") == id) print_ranked(alt, "for comparison only (not binding): ");
      }
    }
  } catch (const Json::exception& e) {
    throw TallyError(std::string("results.json: unexpected layout: ") + e.what());
  }
  return out.str();
}

}  // namespace haal::tally
