#include "crypto/base/utf8.hpp"

namespace haal::base {

std::size_t utf8_sequence_length_var(std::string_view text, std::size_t i) {
  if (i >= text.size()) return 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  // RFC 3629 section 4: the lead byte fixes the length and the range of the second byte, which
  // excludes overlong forms (E0, F0), surrogates (ED) and values above U+10FFFF (F4).
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

bool is_valid_utf8_var(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length_var(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

TextFault first_text_fault_var(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length_var(text, i);
    if (length == 0) return {TextFault::Kind::kNotUtf8, i};
    const auto c = static_cast<unsigned char>(text[i]);
    if (length == 1 && (c < 0x20 || c == 0x7F)) return {TextFault::Kind::kControlCharacter, i};
    i += length;
  }
  return {};
}

std::string describe(const TextFault& fault) {
  const std::string byte = " (byte " + std::to_string(fault.offset) + ")";
  switch (fault.kind) {
    case TextFault::Kind::kNotUtf8:
      return "is not valid UTF-8" + byte;
    case TextFault::Kind::kControlCharacter:
      return "contains a control character" + byte;
    case TextFault::Kind::kNone:
      break;
  }
  return "";
}

}  // namespace haal::base
