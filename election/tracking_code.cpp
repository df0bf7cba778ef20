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

std::string tracking_code(crypto::ByteView tracking_hash) {
  if (tracking_hash.size() < kCodeBytes) throw std::invalid_argument("tracking hash too short");
  return group_by_four(base32_encode(tracking_hash.first(kCodeBytes)));
}

crypto::Bytes base32_decode_grouped(std::string_view text, std::size_t length,
                                    std::string_view what) {
  const std::size_t symbols_expected = (8 * length + 4) / 5;
  crypto::Bytes out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  for (const char raw : text) {
    if (raw == '-' || raw == ' ') continue;
    const char c = (raw >= 'a' && raw <= 'z') ? static_cast<char>(raw - 'a' + 'A') : raw;
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) {
      throw std::invalid_argument(std::string(what) + ": invalid character '" + raw + "'");
    }
    ++symbols;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  if (symbols != symbols_expected) {
    throw std::invalid_argument(std::string(what) + ": expected " +
                                std::to_string(symbols_expected) + " characters, got " +
                                std::to_string(symbols));
  }
  if ((buffer & ((1u << bits) - 1)) != 0) {
    throw std::invalid_argument(std::string(what) + ": the last character is not canonical");
  }
  return out;
}

std::string group_by_four(std::string_view plain) {
  std::string grouped;
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (i > 0 && i % 4 == 0) grouped.push_back('-');
    grouped.push_back(plain[i]);
  }
  return grouped;
}

crypto::Bytes tracking_code_prefix(std::string_view code) {
  return base32_decode_grouped(code, kCodeBytes, "tracking code");
}

}  // namespace haal::election
