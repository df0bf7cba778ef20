#include "crypto/expand_message.hpp"

#include <stdexcept>

#include "crypto/sha256.hpp"

namespace haal::crypto {

// RFC 9380, section 5.3.1, with H = SHA-256 (b_in_bytes = 32, s_in_bytes = 64).
Bytes expand_message_xmd_sha256(ByteView message, std::string_view dst, std::size_t length) {
  constexpr std::size_t kBlock = 32;
  constexpr std::size_t kInputBlock = 64;
  const std::size_t ell = (length + kBlock - 1) / kBlock;
  if (ell > 255 || length > 65535)
    throw std::invalid_argument("expand_message_xmd: length too large");
  if (dst.empty() || dst.size() > 255)
    throw std::invalid_argument("expand_message_xmd: bad DST length");

  Bytes dst_prime(dst.begin(), dst.end());
  dst_prime.push_back(static_cast<std::uint8_t>(dst.size()));
  const Bytes z_pad(kInputBlock, 0);
  const std::uint8_t l_i_b_str[2] = {static_cast<std::uint8_t>(length >> 8),
                                     static_cast<std::uint8_t>(length & 0xff)};
  Sha256 h;
  const std::uint8_t zero = 0;
  h.update(z_pad)
      .update(message)
      .update(ByteView(l_i_b_str, 2))
      .update(ByteView(&zero, 1))
      .update(dst_prime);
  const Digest b0 = h.finish();

  std::uint8_t counter = 1;
  Digest bi = h.update(b0).update(ByteView(&counter, 1)).update(dst_prime).finish();
  Bytes out(bi.begin(), bi.end());
  for (std::size_t i = 2; i <= ell; ++i) {
    Digest mixed{};
    for (std::size_t k = 0; k < kBlock; ++k) mixed[k] = b0[k] ^ bi[k];
    counter = static_cast<std::uint8_t>(i);
    bi = h.update(mixed).update(ByteView(&counter, 1)).update(dst_prime).finish();
    out.insert(out.end(), bi.begin(), bi.end());
  }
  out.resize(length);
  return out;
}

}  // namespace haal::crypto
