// Verificatum's hash-based PRG and random oracle with SHA-256 (verifier specification,
// "Pseudo-random generator" and "Random oracles"):
//   PRG(seed) = H(seed | u32(0)) | H(seed | u32(1)) | ...        (seed: 32 bytes)
//   RO_n(d)   = the first ceil(n/8) bytes of PRG(H(u32(n) | d)), with the 8*ceil(n/8) - n top
//               bits of the first byte cleared.
#pragma once

#include <gmpxx.h>

#include "crypto/bytes.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier::shuffle {

class Prg {
 public:
  // Precondition: seed.size() == 32 (throws std::invalid_argument otherwise).
  explicit Prg(crypto::ByteView seed);
  // Fills `out` with the next bytes of the stream.
  void fill(std::span<std::uint8_t> out);
  // Returns the next ceil(bits/8) bytes as a big-endian integer with its excess top bits
  // cleared (Verificatum's PRG-derived random integers of `bits` bits).
  mpz_class next_integer(unsigned bits);

 private:
  std::uint8_t input_[36] = {};
  crypto::Digest block_{};
  std::size_t used_ = 32;
  std::uint32_t counter_ = 0;
};

// An incremental random-oracle query with an n-bit output: feed data through hash(), then call
// output() once.
class RandomOracle {
 public:
  explicit RandomOracle(unsigned output_bits);
  crypto::Sha256& hash() { return hash_; }
  crypto::Bytes output();

 private:
  unsigned bits_;
  crypto::Sha256 hash_;
};

// Returns the big-endian integer of `bytes` (0 for empty input).
mpz_class integer_of(crypto::ByteView bytes);

}  // namespace haal::verifier::shuffle
