#include "collector/protocol/collector_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "crypto/base/file.hpp"
#include "crypto/passphrase_box.hpp"

namespace haal::collector {

void write_collector_key(const std::filesystem::path& path, const crypto::Ed25519PrivateKey& key) {
  crypto::Bytes seed = key.seed();
  std::string text = crypto::to_hex(seed) + "\n";
  crypto::wipe(seed);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::fill(text.begin(), text.end(), '\0');
    throw std::runtime_error(path.string() + ": cannot create the collector key (" +
                             (errno == EEXIST ? "it exists; not overwritten" : "no access") + ")");
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  std::fill(text.begin(), text.end(), '\0');
  if (!ok) throw std::runtime_error(path.string() + ": cannot write the collector key");
}

crypto::Ed25519PrivateKey load_collector_key(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw std::runtime_error(path.string() +
                             ": missing (make it with `haal-collector keygen` before the election "
                             "is sealed; context.json pins its public key)");
  }
  std::string text = base::read_file(path);
  // The seed is the file's first word (as `>>` reads it: leading whitespace skipped).
  const std::size_t begin = std::min(text.find_first_not_of(" \t\r\n\v\f"), text.size());
  const std::size_t end = std::min(text.find_first_of(" \t\r\n\v\f", begin), text.size());
  std::string hex = text.substr(begin, end - begin);
  std::fill(text.begin(), text.end(), '\0');
  if (hex.size() != 64) {
    std::fill(hex.begin(), hex.end(), '\0');
    throw std::runtime_error(path.string() + ": expected the 64-hex-character collector key seed");
  }
  try {
    crypto::Bytes seed = crypto::from_hex(hex);
    std::fill(hex.begin(), hex.end(), '\0');
    auto key = crypto::Ed25519PrivateKey::from_seed(seed);
    crypto::wipe(seed);
    return key;
  } catch (const std::invalid_argument&) {
    throw std::runtime_error(path.string() + ": the collector key seed is not valid hex");
  }
}

void require_pinned_collector_key(const crypto::Ed25519PrivateKey& key, crypto::ByteView pinned,
                                  const std::filesystem::path& path) {
  const crypto::Bytes mine = key.public_key();
  if (!std::equal(mine.begin(), mine.end(), pinned.begin(), pinned.end())) {
    throw std::runtime_error(path.string() + ": its public key " + crypto::to_hex(mine) +
                             " is not the collector_key " + crypto::to_hex(pinned) +
                             " that context.json pins (use the key made before sealing)");
  }
}

std::filesystem::path default_collector_key_path(const std::string& store_url) {
  if (store_url.rfind("sqlite:", 0) != 0) {
    throw std::invalid_argument("--key FILE is required with a non-SQLite store");
  }
  return store_url.substr(7) + ".collector-key";
}

}  // namespace haal::collector
