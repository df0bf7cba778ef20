#include "verifier-app/shuffle/random_oracle.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace haal::verifier::shuffle {

Prg::Prg(crypto::ByteView seed) {
  if (seed.size() != 32) {
    throw std::invalid_argument("PRG seed must be 32 bytes, got " + std::to_string(seed.size()));
  }
  std::memcpy(input_, seed.data(), 32);
}

void Prg::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (used_ == block_.size()) {
      input_[32] = static_cast<std::uint8_t>(counter_ >> 24);
      input_[33] = static_cast<std::uint8_t>(counter_ >> 16);
      input_[34] = static_cast<std::uint8_t>(counter_ >> 8);
      input_[35] = static_cast<std::uint8_t>(counter_);
      block_ = crypto::sha256(crypto::ByteView(input_, sizeof input_));
      ++counter_;
      used_ = 0;
    }
    const std::size_t n = std::min(out.size() - done, block_.size() - used_);
    std::memcpy(out.data() + done, block_.data() + used_, n);
    used_ += n;
    done += n;
  }
}

mpz_class Prg::next_integer(unsigned bits) {
  crypto::Bytes buffer((bits + 7) / 8);
  fill(buffer);
  if (bits % 8 != 0) buffer[0] &= static_cast<std::uint8_t>(0xff >> (8 - bits % 8));
  return integer_of(buffer);
}

RandomOracle::RandomOracle(unsigned output_bits) : bits_(output_bits) {
  crypto::Bytes prefix;
  crypto::append_u32_be(prefix, output_bits);
  hash_.update(prefix);
}

crypto::Bytes RandomOracle::output() {
  const crypto::Digest seed = hash_.finish();
  Prg prg(seed);
  crypto::Bytes out((bits_ + 7) / 8);
  prg.fill(out);
  if (bits_ % 8 != 0) out[0] &= static_cast<std::uint8_t>(0xff >> (8 - bits_ % 8));
  return out;
}

mpz_class integer_of(crypto::ByteView bytes) {
  mpz_class v;
  if (!bytes.empty()) mpz_import(v.get_mpz_t(), bytes.size(), 1, 1, 1, 0, bytes.data());
  return v;
}

}  // namespace haal::verifier::shuffle
