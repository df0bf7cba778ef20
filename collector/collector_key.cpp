#include "collector/collector_key.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "crypto/passphrase_box.hpp"

namespace haal::collector {

crypto::Ed25519PrivateKey load_or_create_collector_key(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    auto key = crypto::Ed25519PrivateKey::generate();
    crypto::Bytes seed = key.seed();
    std::string text = crypto::to_hex(seed) + "\n";
    crypto::wipe(seed);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) throw std::runtime_error(path.string() + ": cannot create the collector key");
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    std::fill(text.begin(), text.end(), '\0');
    if (!ok) throw std::runtime_error(path.string() + ": cannot write the collector key");
    return key;
  }
  std::ifstream in(path);
  std::string hex;
  if (!in || !(in >> hex) || hex.size() != 64) {
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

std::filesystem::path default_collector_key_path(const std::string& store_url) {
  if (store_url.rfind("sqlite:", 0) != 0) {
    throw std::invalid_argument("--key FILE is required with a non-SQLite store");
  }
  return store_url.substr(7) + ".collector-key";
}

}  // namespace haal::collector
