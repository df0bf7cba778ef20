// Sources of random bytes: the operating system's CSPRNG (through OpenSSL) for real use,
// and a seeded deterministic stream for reproducible known-answer vectors in tests.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/bytes.hpp"

namespace haal::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out` with random bytes. Throws std::runtime_error if the source fails.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// OpenSSL's private CSPRNG (RAND_priv_bytes), seeded by the operating system.
class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// Returns a process-wide SystemRandom (thread-safe: OpenSSL's DRBG is per thread).
RandomSource& system_random();

// SHA-256 in counter mode over a seed: block i = SHA-256("HAAL-V1-TEST-RNG" || seed || u64_be(i)).
// ONLY for known-answer test vectors; anything it produces is public.
class DeterministicRandomForTests final : public RandomSource {
 public:
  explicit DeterministicRandomForTests(ByteView seed);
  void fill(std::span<std::uint8_t> out) override;

 private:
  Bytes seed_;
  std::uint64_t counter_ = 0;
  Bytes buffer_;
  std::size_t used_ = 0;
};

}  // namespace haal::crypto
