#include "crypto/random_source.hpp"

#include <openssl/rand.h>

#include <climits>

#include "crypto/openssl_handles.hpp"
#include "crypto/sha256.hpp"

namespace haal::crypto {

void SystemRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(out.size() - done, INT_MAX));
    check_openssl_rc(RAND_priv_bytes(out.data() + done, chunk), "RAND_priv_bytes");
    done += static_cast<std::size_t>(chunk);
  }
}

RandomSource& system_random() {
  static SystemRandom instance;
  return instance;
}

DeterministicRandomForTests::DeterministicRandomForTests(ByteView seed)
    : seed_(seed.begin(), seed.end()) {}

void DeterministicRandomForTests::fill(std::span<std::uint8_t> out) {
  for (auto& byte : out) {
    if (used_ == buffer_.size()) {
      Bytes block = to_bytes("HAAL-V1-TEST-RNG");
      block.insert(block.end(), seed_.begin(), seed_.end());
      append_u64_be(block, counter_++);
      const Digest d = sha256(block);
      buffer_.assign(d.begin(), d.end());
      used_ = 0;
    }
    byte = buffer_[used_++];
  }
}

}  // namespace haal::crypto
