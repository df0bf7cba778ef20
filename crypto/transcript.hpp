// Strong Fiat-Shamir transcripts (Bernhard, Pereira, Warinschi, "How not to prove yourself",
// ASIACRYPT 2012): every challenge hashes the proof type, the group, the election context, the
// whole statement and all commitments. The byte layout is specified in docs/crypto.md.
#pragma once

#include <string>
#include <string_view>

#include "crypto/group.hpp"

namespace haal::crypto {

class Transcript {
 public:
  // Starts a transcript: LP(tag) || LP("group") || LP(group fingerprint) ||
  // LP("context") || LP(context), where LP(x) = u32_be(|x|) || x.
  // `proof_tag` is the proof type's domain-separation tag, e.g. "HAAL-V1-SCHNORR".
  Transcript(std::string_view proof_tag, const Group& group, ByteView context);

  // Appends LP(label) || LP(data).
  Transcript& append(std::string_view label, ByteView data);
  Transcript& append(std::string_view label, std::string_view text);
  Transcript& append_u64(std::string_view label, std::uint64_t value);
  // Appends LP(label) || LP(canonical encoding).
  Transcript& append_element(std::string_view label, const Element& a);
  Transcript& append_scalar(std::string_view label, const Scalar& a);

  // Returns hash_to_scalar(transcript bytes, "<proof_tag>-CHALLENGE") in the group's field.
  Scalar challenge() const;
  const Bytes& bytes() const { return bytes_; }

 private:
  const Group& group_;
  std::string tag_;
  Bytes bytes_;
};

}  // namespace haal::crypto
