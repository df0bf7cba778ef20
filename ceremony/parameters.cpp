#include "ceremony/parameters.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::ceremony {

using crypto::FormatError;

crypto::ProofContext CeremonyParameters::proof_context(std::string_view binding) const {
  return crypto::ProofContext{manifest_hash_bytes(), crypto::to_bytes(binding)};
}

void CeremonyParameters::check_index(std::uint64_t index, std::string_view what) const {
  if (index < 1 || index > trustee_count) {
    throw CeremonyError(std::string(what) + ": trustee index " + std::to_string(index) +
                        " is not in 1.." + std::to_string(trustee_count));
  }
}

CeremonyParameters ceremony_parameters_from_manifest(const Json& manifest) {
  CeremonyParameters p;
  p.election_id = crypto::require_string(manifest, "election_id", "manifest");
  if (p.election_id.empty()) throw FormatError("manifest.election_id", "must not be empty");
  const std::string& group_name = crypto::require_string(manifest, "group", "manifest");
  try {
    p.group = &crypto::group_by_name(group_name);
  } catch (const std::invalid_argument& e) {
    throw FormatError("manifest.group", e.what());
  }
  const Json& trustees = crypto::require_field(manifest, "trustees", "manifest");
  const std::uint64_t n = crypto::require_uint(trustees, "count", "manifest.trustees");
  const std::uint64_t t = crypto::require_uint(trustees, "threshold", "manifest.trustees");
  if (n < 1 || n > kMaxTrustees) {
    throw CeremonyError("manifest.trustees.count: must be in 1.." + std::to_string(kMaxTrustees));
  }
  if (t < 1 || t > n) {
    throw CeremonyError("manifest.trustees.threshold: must be in 1..count (" + std::to_string(n) +
                        "), got " + std::to_string(t));
  }
  p.trustee_count = static_cast<std::uint32_t>(n);
  p.threshold = static_cast<std::uint32_t>(t);
  p.manifest_hash = crypto::canonical_json_hash(manifest);
  return p;
}

CeremonyParameters load_ceremony_parameters(const std::filesystem::path& election_dir) {
  return ceremony_parameters_from_manifest(read_json_file(election_dir / "manifest.json"));
}

Json read_json_file(const std::filesystem::path& path) {
  const std::string text = base::read_file(path);
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw CeremonyError(path.string() + ": not valid JSON (" + e.what() + ")");
  }
}

void write_file_atomically(const std::filesystem::path& path, ByteView data, unsigned mode) {
  const std::filesystem::path temp = path.string() + ".tmp";
  std::filesystem::remove(temp);
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    throw CeremonyError("cannot create " + temp.string() + ": " + std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int saved = errno;
      ::close(fd);
      std::filesystem::remove(temp);
      throw CeremonyError("cannot write " + temp.string() + ": " + std::strerror(saved));
    }
    written += static_cast<std::size_t>(n);
  }
  // fchmod: the umask may have narrowed the mode; make it exactly `mode`.
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    std::filesystem::remove(temp);
    throw CeremonyError("cannot finish " + temp.string() + ": " + std::strerror(errno));
  }
  std::filesystem::rename(temp, path);
}

}  // namespace haal::ceremony
