// The key ceremony's public messages: their file names, JSON layout, signatures and strict
// parsing. Every message is a JSON object with the header fields
//   "format", "election_id", "manifest_hash", "trustee"
// plus its body, and "signature": Ed25519 (RFC 8032) by the sending trustee's identity key over
//   LP("HAAL-V1-CEREMONY-MESSAGE") || canonical_json_bytes(message without "signature").
// The exact layout of each message is in docs/ceremony.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ceremony/parameters.hpp"
#include "crypto/ecies.hpp"
#include "crypto/proof_schnorr.hpp"

namespace haal::ceremony {

using crypto::Digest;
using crypto::Element;
using crypto::Scalar;

// File names under ELECTION_DIR/ceremony/.
std::string identity_file(std::uint32_t trustee);    // round0-identity-trustee-<i>.json
std::string commitment_file(std::uint32_t trustee);  // round1-commitment-trustee-<i>.json
std::string reveal_file(std::uint32_t trustee);      // round1-reveal-trustee-<i>.json
std::string shares_file(std::uint32_t trustee);      // round2-shares-trustee-<i>.json
std::string complaints_file(std::uint32_t trustee);  // round3-complaints-trustee-<i>.json
std::string answer_file(std::uint32_t trustee);      // round3-answer-trustee-<i>.json
inline constexpr const char* kResultFile = "result.json";

// Returns `message` with "signature" added (replacing any). Precondition: 32-byte seed.
Json sign_ceremony_message(Json message, ByteView signing_seed);
// Returns true iff message["signature"] is a valid signature by `signing_key`.
bool ceremony_signature_valid(const Json& message, ByteView signing_key);

// Returns the header {"format", "election_id", "manifest_hash", "trustee"}.
Json message_header(const CeremonyParameters& params, std::string_view format,
                    std::uint32_t trustee);

// Round 0. The identity message is self-signed (proof of possession of the signing key); its
// authenticity comes from comparing its hash out of band (docs/ceremony.md, runbook).
struct Identity {
  std::uint32_t trustee = 0;
  Bytes signing_key;     // Ed25519, 32 bytes
  Bytes encryption_key;  // X25519, 32 bytes
};
// Returns the signed round-0 message. Precondition: signing_seed is the seed of
// identity.signing_key.
Json identity_message(const CeremonyParameters& params, const Identity& identity,
                      ByteView signing_seed);
// Parses and checks header, fields and self-signature. Throws FormatError naming `path`.
Identity parse_identity(const CeremonyParameters& params, const Json& j,
                        std::uint32_t expected_trustee, const std::string& path);

// Round 1a: a hash commitment to the coefficient commitments.
// commitment_hash = SHA-256(LP("HAAL-V1-CEREMONY-COMMITMENT") || LP(manifest_hash) ||
//                           u32_be(trustee) || u32_be(t) || encode(C_0) || ... || encode(C_{t-1}))
// Returns that hash (public inputs).
Digest coefficient_commitments_hash(const CeremonyParameters& params, std::uint32_t trustee,
                                    std::span<const Element> commitments);
struct Commitment {
  std::uint32_t trustee = 0;
  Digest commitment_hash{};
};
// Returns the signed round-1a message.
Json commitment_message(const CeremonyParameters& params, const Commitment& c,
                        ByteView signing_seed);
// Parses and checks header, fields and signature under `signing_key`. Throws FormatError
// naming `path` and the field. (Same contract for every parse_* below.)
Commitment parse_commitment(const CeremonyParameters& params, const Json& j,
                            std::uint32_t expected_trustee, ByteView signing_key,
                            const std::string& path);

// Round 1b: the Feldman commitments C_k = g^{a_k} and a Schnorr proof of knowledge of each a_k.
struct Reveal {
  std::uint32_t trustee = 0;
  std::vector<Element> commitments;  // t elements
  std::vector<crypto::SchnorrProof> proofs;
};
// The proof binding for coefficient k of `trustee`: "ceremony/trustee:<i>/coefficient:<k>".
std::string coefficient_binding(std::uint32_t trustee, std::size_t k);
// Returns the signed round-1b message.
Json reveal_message(const CeremonyParameters& params, const Reveal& r, ByteView signing_seed);
// Checks format and signature (not the proofs: see check_reveal_var).
Reveal parse_reveal(const CeremonyParameters& params, const Json& j, std::uint32_t expected_trustee,
                    ByteView signing_key, const std::string& path);
// Returns nullopt when the reveal matches the hash commitment and every proof verifies;
// otherwise the reason code ("commitment-mismatch" or "invalid-proof") and a detail line.
struct Fault {
  std::string code;
  std::string detail;
};
std::optional<Fault> check_reveal_var(const CeremonyParameters& params, const Reveal& reveal,
                                      const Commitment& commitment);

// Round 2: f_i(j) for every other trustee j, encrypted to j (crypto/ecies.hpp) with
// sender "trustee-<i>", recipient "trustee-<j>", context manifest_hash. The plaintext is the
// share's fixed-length big-endian encoding.
// Returns {"trustee-<sender>", "trustee-<recipient>", manifest_hash}.
crypto::EciesBinding share_binding(const CeremonyParameters& params, std::uint32_t sender,
                                   std::uint32_t recipient);
struct EncryptedShare {
  std::uint32_t recipient = 0;
  crypto::EciesCiphertext ciphertext;
};
struct Shares {
  std::uint32_t trustee = 0;
  std::vector<EncryptedShare> shares;  // one per other trustee, recipients ascending
};
// Returns the signed round-2 message.
Json shares_message(const CeremonyParameters& params, const Shares& s, ByteView signing_seed);
Shares parse_shares(const CeremonyParameters& params, const Json& j, std::uint32_t expected_trustee,
                    ByteView signing_key, const std::string& path);
// Returns the share's ciphertext for `recipient`, or nullptr.
const EncryptedShare* find_share(const Shares& shares, std::uint32_t recipient);

// Round 3a: what a trustee verified and whom it accuses. Published by every trustee, with an
// empty list when all shares were good; "verified" lists the SHA-256 of every message file the
// trustee checked, so every trustee is shown to have seen the same messages.
struct Complaint {
  std::uint32_t accused = 0;
  std::string reason;  // "undecryptable-share" | "share-mismatch"
};
struct FileHash {
  std::string file;
  Digest sha256{};
};
struct Complaints {
  std::uint32_t trustee = 0;
  std::vector<Complaint> complaints;  // accused ascending, at most one each
  std::vector<FileHash> verified;     // file names ascending
};
// Returns the signed round-3a message.
Json complaints_message(const CeremonyParameters& params, const Complaints& c,
                        ByteView signing_seed);
Complaints parse_complaints(const CeremonyParameters& params, const Json& j,
                            std::uint32_t expected_trustee, ByteView signing_key,
                            const std::string& path);

// Round 3b: an accused trustee reveals, in the clear, the share it sent each complainer, so
// anyone can check it against its commitments. Published by every trustee (empty list when
// nobody accused it).
struct RevealedShare {
  std::uint32_t complainer = 0;
  Scalar share;
};
struct Answer {
  std::uint32_t trustee = 0;
  std::vector<RevealedShare> revealed;  // complainers ascending
};
// Returns the signed round-3b message.
Json answer_message(const CeremonyParameters& params, const Answer& a, ByteView signing_seed);
Answer parse_answer(const CeremonyParameters& params, const Json& j, std::uint32_t expected_trustee,
                    ByteView signing_key, const std::string& path);

}  // namespace haal::ceremony
