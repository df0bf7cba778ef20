// The base layer's one UTF-8 validator (RFC 3629). No protocol logic: the limits a format puts on
// its texts (lengths, which fields) stay with the format's code, in producers and verifier alike.
// The checks are variable time in the text (hence `_var`): a voter's write-in is checked on the
// voter's own device, where nobody else measures the time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace haal::base {

// Returns the length (1-4) of the well-formed UTF-8 sequence starting at text[i], or 0 if none
// starts there (RFC 3629 section 4: shortest form, no surrogates U+D800-U+DFFF, at most U+10FFFF;
// also 0 when i >= text.size()). Variable time.
std::size_t utf8_sequence_length_var(std::string_view text, std::size_t i);

// Returns true iff `text` is well-formed UTF-8 (RFC 3629). Variable time.
bool is_valid_utf8_var(std::string_view text);

// Where `text` first stops being plain UTF-8 text, and why.
struct TextFault {
  enum class Kind { kNone, kNotUtf8, kControlCharacter } kind = Kind::kNone;
  std::size_t offset = 0;  // byte offset of the offending sequence (0 when kind is kNone)
};

// Returns the first fault of `text` as plain text: an ill-formed UTF-8 sequence or a control
// character (U+0000-U+001F, U+007F), whichever comes first; kind kNone when there is none.
// Variable time.
TextFault first_text_fault_var(std::string_view text);

// Returns the fault as a predicate for an error message: "is not valid UTF-8 (byte N)" or
// "contains a control character (byte N)"; "" for kNone.
std::string describe(const TextFault& fault);

}  // namespace haal::base
