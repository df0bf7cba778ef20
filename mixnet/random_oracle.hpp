// The hash-based PRG and random oracle of Verificatum (verifier specification, section 5:
// "Hashfunctions, PRGs and Random Oracles"), instantiated with SHA-256.
#pragma once

#include <gmpxx.h>

#include <span>

#include "crypto/bytes.hpp"
#include "crypto/sha256.hpp"

namespace haal::mixnet {

using crypto::Bytes;
using crypto::ByteView;

// PRG: output = H(s | u32_be(0)) | H(s | u32_be(1)) | ... where the 32-byte state s is the seed
// (a longer seed is XOR-folded into 32 bytes circularly; a shorter one is rejected).
class HashPrg {
 public:
  // Throws std::invalid_argument if seed.size() < 32.
  explicit HashPrg(ByteView seed);
  // Fills `out` with the next output bytes.
  void fill(std::span<std::uint8_t> out);
  // Returns a non-negative integer of `bits` bits: ceil(bits/8) output bytes, big-endian, with
  // the excess top bits of the first byte cleared (Verificatum's LargeInteger(bits, prg)).
  mpz_class next_integer(unsigned bits);

 private:
  std::uint8_t input_[36] = {};
  std::uint32_t counter_ = 0;
  crypto::Digest block_{};
  std::size_t used_ = 32;
};

// A random-oracle query with output length `bits`: seed = SHA-256(u32_be(bits) | data), output
// = first ceil(bits/8) bytes of HashPrg(seed) with the excess top bits of byte 0 cleared.
class RandomOracleQuery {
 public:
  explicit RandomOracleQuery(unsigned bits);
  // The running hash; feed the query data into it (e.g. through a HashSink).
  crypto::Sha256& hash() { return hash_; }
  Bytes finish();

 private:
  unsigned bits_;
  crypto::Sha256 hash_;
};

// Returns the oracle output for a query on contiguous data.
Bytes random_oracle(ByteView data, unsigned bits);

// Returns the unsigned big-endian integer of `bytes`.
mpz_class integer_from_bytes(ByteView bytes);

}  // namespace haal::mixnet
