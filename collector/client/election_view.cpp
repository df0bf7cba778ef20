#include "collector/client/election_view.hpp"

#include <chrono>
#include <fstream>
#include <sstream>

#include "crypto/canonical_json.hpp"

namespace haal::collector {

bool VotingWindow::contains(std::uint64_t now_ms) const {
  if (opens_at_ms && now_ms < *opens_at_ms) return false;
  if (closes_at_ms && now_ms >= *closes_at_ms) return false;
  return true;
}

Json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    throw std::runtime_error(path.string() + ": invalid JSON: " + e.what());
  }
}

void write_json_file(const std::filesystem::path& path, const Json& j) {
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(tmp + ": cannot create");
    out << j.dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error(tmp + ": write failed");
  }
  std::filesystem::rename(tmp, path);
}

std::uint64_t unix_time_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

namespace {

VotingWindow read_window(const Json& manifest) {
  VotingWindow w;
  if (!manifest.contains("voting_window")) return w;
  const Json& v = manifest["voting_window"];
  const std::string path = "manifest.voting_window";
  if (!v.is_object()) throw crypto::FormatError(path, "expected an object");
  crypto::reject_unknown_fields(v, {"opens_at_ms", "closes_at_ms"}, path);
  if (v.contains("opens_at_ms")) w.opens_at_ms = crypto::require_uint(v, "opens_at_ms", path);
  if (v.contains("closes_at_ms")) w.closes_at_ms = crypto::require_uint(v, "closes_at_ms", path);
  if (w.opens_at_ms && w.closes_at_ms && *w.opens_at_ms >= *w.closes_at_ms) {
    throw crypto::FormatError(path, "opens_at_ms must be before closes_at_ms");
  }
  return w;
}

std::map<std::string, crypto::Bytes> read_roll(const Json& roll) {
  const std::string path = "roll";
  if (!roll.is_object()) throw crypto::FormatError(path, "expected an object");
  const Json& voters = crypto::require_array(roll, "voters", path);
  std::map<std::string, crypto::Bytes> out;
  for (std::size_t i = 0; i < voters.size(); ++i) {
    const std::string at = path + ".voters[" + std::to_string(i) + "]";
    const Json& v = voters[i];
    if (!v.is_object()) throw crypto::FormatError(at, "expected an object");
    const std::string& id = crypto::require_string(v, "voter_id", at);
    if (id.empty() || id.size() > 128) throw crypto::FormatError(at + ".voter_id", "1..128 chars");
    auto key = crypto::bytes_from_json(crypto::require_field(v, "public_key", at),
                                       at + ".public_key", 32);
    if (!out.emplace(id, std::move(key)).second) {
      throw crypto::FormatError(at + ".voter_id", "duplicate voter id \"" + id + "\"");
    }
  }
  return out;
}

}  // namespace

ElectionView load_election_view(const std::filesystem::path& dir) {
  ElectionView e;
  e.dir = dir;
  e.manifest = read_json_file(dir / "manifest.json");
  e.context = read_json_file(dir / "context.json");
  const Json roll = read_json_file(dir / "roll.json");
  if (!e.manifest.is_object()) throw crypto::FormatError("manifest", "expected an object");
  if (!e.context.is_object()) throw crypto::FormatError("context", "expected an object");
  e.election_id = crypto::require_string(e.manifest, "election_id", "manifest");
  const std::string& group_name = crypto::require_string(e.manifest, "group", "manifest");
  try {
    e.group = &crypto::group_by_name(group_name);
  } catch (const std::invalid_argument&) {
    throw crypto::FormatError("manifest.group", "unknown group \"" + group_name + "\"");
  }
  if (crypto::require_string(e.context, "group", "context") != group_name) {
    throw crypto::FormatError("context.group", "differs from manifest.group");
  }
  e.manifest_hash = crypto::canonical_json_hash(e.manifest);
  const auto stated = crypto::bytes_from_json(crypto::require_field(e.context, "manifest_hash", "context"),
                                              "context.manifest_hash", 32);
  if (!std::equal(stated.begin(), stated.end(), e.manifest_hash.begin())) {
    throw crypto::FormatError("context.manifest_hash", "does not match manifest.json");
  }
  e.public_key = crypto::element_from_json(*e.group, crypto::require_field(e.context, "public_key", "context"),
                                           "context.public_key");
  e.context_hash = crypto::canonical_json_hash(e.context);
  e.roll = read_roll(roll);
  e.roll_hash = crypto::canonical_json_hash(roll);
  e.window = read_window(e.manifest);
  if (std::filesystem::exists(dir / "officials.json")) {
    const Json officials = read_json_file(dir / "officials.json");
    if (!officials.is_object()) throw crypto::FormatError("officials", "expected an object");
    crypto::reject_unknown_fields(officials, {"public_key"}, "officials");
    e.officials_public_key = crypto::bytes_from_json(
        crypto::require_field(officials, "public_key", "officials"), "officials.public_key", 32);
  }
  return e;
}

}  // namespace haal::collector
