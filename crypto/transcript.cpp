#include "crypto/transcript.hpp"

namespace haal::crypto {

Transcript::Transcript(std::string_view proof_tag, const Group& group, ByteView context)
    : group_(group), tag_(proof_tag) {
  append_length_prefixed(bytes_, to_bytes(proof_tag));
  append("group", ByteView(group.fingerprint()));
  append("context", context);
}

Transcript& Transcript::append(std::string_view label, ByteView data) {
  append_length_prefixed(bytes_, to_bytes(label));
  append_length_prefixed(bytes_, data);
  return *this;
}

Transcript& Transcript::append(std::string_view label, std::string_view text) {
  return append(label, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Transcript& Transcript::append_u64(std::string_view label, std::uint64_t value) {
  Bytes b;
  append_u64_be(b, value);
  return append(label, b);
}

Transcript& Transcript::append_element(std::string_view label, const Element& a) {
  return append(label, group_.encode(a));
}

Transcript& Transcript::append_scalar(std::string_view label, const Scalar& a) {
  return append(label, group_.scalars().encode(a));
}

Scalar Transcript::challenge() const {
  return group_.scalars().hash_to_scalar(bytes_, tag_ + "-CHALLENGE");
}

}  // namespace haal::crypto
