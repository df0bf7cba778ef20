#include "election/selection.hpp"

#include <algorithm>
#include <set>

#include "crypto/base/utf8.hpp"

namespace haal::election {

using crypto::FormatError;

namespace {
std::string quote_text(std::string_view text) {
  return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}
}  // namespace

std::string write_in_violation(std::string_view text, std::size_t max_bytes) {
  if (text.empty()) return "the write-in text is empty";
  if (text.size() > max_bytes) {
    return "the write-in text has " + std::to_string(text.size()) +
           " UTF-8 bytes, more than the limit of " + std::to_string(max_bytes);
  }
  const std::string fault = base::describe(base::first_text_fault_var(text));
  return fault.empty() ? "" : "the write-in text " + fault;
}

std::string selection_violation_var(const Contest& contest, const Selection& selection) {
  const std::size_t count = selection.candidates.size();
  const std::size_t candidates = contest.candidate_count();
  const std::string noun = contest.ranked() ? "ranks" : "choices";
  if (count < contest.min) {
    return std::to_string(count) + " " + noun + ", at least " + std::to_string(contest.min) +
           " required";
  }
  if (count > contest.max) {
    return std::to_string(count) + " " + noun + ", at most " + std::to_string(contest.max) +
           " allowed";
  }
  std::set<std::size_t> seen;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t c = selection.candidates[i];
    if (c >= candidates) {
      return "candidate index " + std::to_string(c) + " out of range (" +
             std::to_string(candidates) + " candidates)";
    }
    if (!seen.insert(c).second) return "candidate index " + std::to_string(c) + " repeated";
    if (!contest.ranked() && i > 0 && selection.candidates[i - 1] > c) {
      return "choices not in increasing order";
    }
  }
  const bool write_in_selected =
      contest.write_in_max_bytes && seen.count(contest.options.size()) > 0;
  if (write_in_selected) {
    return write_in_violation(selection.write_in, *contest.write_in_max_bytes);
  }
  if (!selection.write_in.empty()) return "write-in text given but the write-in is not selected";
  return "";
}

Json selection_to_json(const Contest& contest, const Selection& selection) {
  Json out = Json::array();
  for (const std::size_t c : selection.candidates) {
    if (c < contest.options.size()) {
      out.push_back(contest.options[c].id);
    } else {
      out.push_back(Json{{"write_in", selection.write_in}});
    }
  }
  return out;
}

Selection selection_from_json(const Contest& contest, const Json& j, const std::string& path) {
  if (!j.is_array()) throw FormatError(path, "must be an array of option ids");
  Selection selection;
  bool write_in_seen = false;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const Json& item = j[i];
    if (item.is_string()) {
      const std::string& id = item.get_ref<const std::string&>();
      std::size_t index = contest.options.size();
      for (std::size_t k = 0; k < contest.options.size(); ++k) {
        if (contest.options[k].id == id) index = k;
      }
      if (index == contest.options.size()) {
        throw FormatError(item_path, "unknown option id " + quote_text(id) + " in contest " +
                                         quote_text(contest.id));
      }
      for (const std::size_t c : selection.candidates) {
        if (c == index) throw FormatError(item_path, "option " + quote_text(id) + " repeated");
      }
      selection.candidates.push_back(index);
    } else if (item.is_object()) {
      if (!contest.write_in_max_bytes) {
        throw FormatError(item_path, "contest " + quote_text(contest.id) + " has no write-in");
      }
      crypto::reject_unknown_fields(item, {"write_in"}, item_path);
      const std::string& text = crypto::require_string(item, "write_in", item_path);
      if (write_in_seen) throw FormatError(item_path, "more than one write-in");
      write_in_seen = true;
      const std::string violation = write_in_violation(text, *contest.write_in_max_bytes);
      if (!violation.empty()) throw FormatError(item_path + ".write_in", violation);
      selection.write_in = text;
      selection.candidates.push_back(contest.options.size());
    } else {
      throw FormatError(item_path, "must be an option id or {\"write_in\": text}");
    }
  }
  if (!contest.ranked()) std::sort(selection.candidates.begin(), selection.candidates.end());
  const std::string violation = selection_violation_var(contest, selection);
  if (!violation.empty()) throw FormatError(path, violation);
  return selection;
}

BallotChoices ballot_choices_from_json(const Manifest& manifest, const Json& j) {
  if (!j.is_object()) throw FormatError("(choices)", "must be a JSON object keyed by contest id");
  for (const auto& [key, value] : j.items()) {
    if (!manifest.find_contest(key)) throw FormatError(key, "no such contest in the election");
  }
  BallotChoices choices;
  for (const Contest& contest : manifest.contests) {
    const auto it = j.find(contest.id);
    if (it == j.end()) throw FormatError(contest.id, "missing (use [] to abstain)");
    choices[contest.id] = selection_from_json(contest, *it, contest.id);
  }
  return choices;
}

Json ballot_choices_to_json(const Manifest& manifest, const BallotChoices& choices) {
  Json out = Json::object();
  for (const Contest& contest : manifest.contests) {
    out[contest.id] = selection_to_json(contest, choices.at(contest.id));
  }
  return out;
}

}  // namespace haal::election
