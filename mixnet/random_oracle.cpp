#include "mixnet/random_oracle.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace haal::mixnet {

HashPrg::HashPrg(ByteView seed) {
  if (seed.size() < 32) throw std::invalid_argument("PRG seed shorter than 32 bytes");
  for (std::size_t i = 0; i < seed.size(); ++i) input_[i % 32] ^= seed[i];
}

void HashPrg::fill(std::span<std::uint8_t> out) {
  std::size_t index = 0;
  while (index < out.size()) {
    if (used_ == block_.size()) {
      input_[32] = static_cast<std::uint8_t>(counter_ >> 24);
      input_[33] = static_cast<std::uint8_t>(counter_ >> 16);
      input_[34] = static_cast<std::uint8_t>(counter_ >> 8);
      input_[35] = static_cast<std::uint8_t>(counter_);
      block_ = crypto::sha256(ByteView(input_, sizeof input_));
      ++counter_;
      used_ = 0;
    }
    const std::size_t n = std::min(out.size() - index, block_.size() - used_);
    std::memcpy(out.data() + index, block_.data() + used_, n);
    used_ += n;
    index += n;
  }
}

mpz_class HashPrg::next_integer(unsigned bits) {
  if (bits == 0) throw std::invalid_argument("random integer of zero bits");
  Bytes buf((bits + 7) / 8);
  fill(buf);
  if (bits % 8 != 0) buf[0] &= static_cast<std::uint8_t>(0xff >> (8 - bits % 8));
  return integer_from_bytes(buf);
}

RandomOracleQuery::RandomOracleQuery(unsigned bits) : bits_(bits) {
  const std::uint8_t prefix[4] = {
      static_cast<std::uint8_t>(bits >> 24), static_cast<std::uint8_t>(bits >> 16),
      static_cast<std::uint8_t>(bits >> 8), static_cast<std::uint8_t>(bits)};
  hash_.update(ByteView(prefix, 4));
}

Bytes RandomOracleQuery::finish() {
  const crypto::Digest seed = hash_.finish();
  HashPrg prg(seed);
  Bytes out((bits_ + 7) / 8);
  prg.fill(out);
  if (bits_ % 8 != 0) out[0] &= static_cast<std::uint8_t>(0xff >> (8 - bits_ % 8));
  return out;
}

Bytes random_oracle(ByteView data, unsigned bits) {
  RandomOracleQuery query(bits);
  query.hash().update(data);
  return query.finish();
}

mpz_class integer_from_bytes(ByteView bytes) {
  mpz_class v;
  if (!bytes.empty()) mpz_import(v.get_mpz_t(), bytes.size(), 1, 1, 1, 0, bytes.data());
  return v;
}

}  // namespace haal::mixnet
