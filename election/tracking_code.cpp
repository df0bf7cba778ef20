#include "election/tracking_code.hpp"

#include <stdexcept>

namespace haal::election {

namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::size_t kCodeBytes = 15;
}  // namespace

std::string base32_encode(crypto::ByteView data) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string tracking_code(crypto::ByteView ballot_hash) {
  if (ballot_hash.size() < kCodeBytes) throw std::invalid_argument("ballot hash too short");
  const std::string plain = base32_encode(ballot_hash.first(kCodeBytes));
  std::string code;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && i % 4 == 0) code.push_back('-');
    code.push_back(plain[i]);
  }
  return code;
}

crypto::Bytes tracking_code_prefix(std::string_view code) {
  crypto::Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  for (const char raw : code) {
    if (raw == '-' || raw == ' ') continue;
    const char c = (raw >= 'a' && raw <= 'z') ? static_cast<char>(raw - 'a' + 'A') : raw;
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) {
      throw std::invalid_argument(std::string("tracking code: invalid character '") + raw + "'");
    }
    ++symbols;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  if (symbols != 24) {
    throw std::invalid_argument("tracking code: expected 24 characters, got " +
                                std::to_string(symbols));
  }
  return out;
}

}  // namespace haal::election
