#include "collector/protocol/election_view.hpp"

#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "crypto/base/file.hpp"
#include "crypto/ed25519.hpp"

namespace haal::collector {

Json read_json_file(const std::filesystem::path& path) {
  const std::string text = base::read_file(path);
  try {
    return Json::parse(text);
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

std::uint64_t parse_rfc3339_utc_ms(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  if (in.fail() || text.size() != 20 || text[19] != 'Z') {
    throw std::invalid_argument("\"" + text + "\" is not YYYY-MM-DDTHH:MM:SSZ");
  }
  const std::time_t seconds = timegm(&tm);
  if (seconds < 0) throw std::invalid_argument("\"" + text + "\" is before 1970");
  return static_cast<std::uint64_t>(seconds) * 1000;
}

ElectionView load_election_view(const std::filesystem::path& dir) {
  ElectionView e;
  e.dir = dir;
  e.context =
      std::make_shared<const election::ElectionContext>(election::load_election_context(dir));
  e.roll =
      std::make_shared<const election::Roll>(election::load_roll(dir, e.context->election_id()));
  e.roll_hash = e.roll->hash();
  const auto& manifest = e.context->manifest();
  e.window =
      VotingWindow{parse_rfc3339_utc_ms(manifest.opens), parse_rfc3339_utc_ms(manifest.closes)};
  return e;
}

}  // namespace haal::collector
