#include "ceremony/messages.hpp"

#include <algorithm>

#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"

namespace haal::ceremony {

using crypto::FormatError;
using crypto::require_array;
using crypto::require_field;
using crypto::require_string;
using crypto::require_uint;

namespace {

constexpr std::string_view kSignatureDomain = "HAAL-V1-CEREMONY-MESSAGE";
constexpr std::string_view kIdentityFormat = "haal-ceremony-identity-v1";
constexpr std::string_view kCommitmentFormat = "haal-ceremony-commitment-v1";
constexpr std::string_view kRevealFormat = "haal-ceremony-reveal-v1";
constexpr std::string_view kSharesFormat = "haal-ceremony-shares-v1";
constexpr std::string_view kComplaintsFormat = "haal-ceremony-complaints-v1";
constexpr std::string_view kAnswerFormat = "haal-ceremony-answer-v1";

std::string file_name(std::string_view round, std::uint32_t trustee) {
  return std::string(round) + "-trustee-" + std::to_string(trustee) + ".json";
}

Bytes signature_input(const Json& message) {
  Json unsigned_message = message;
  unsigned_message.erase("signature");
  Bytes input;
  crypto::append_length_prefixed(input, crypto::to_bytes(kSignatureDomain));
  const Bytes body = crypto::canonical_json_bytes(unsigned_message);
  input.insert(input.end(), body.begin(), body.end());
  return input;
}

// Checks the object shape, the header fields and that no unknown field is present.
void check_header(const CeremonyParameters& params, const Json& j, std::string_view format,
                  std::uint32_t expected_trustee, std::initializer_list<std::string_view> body,
                  const std::string& path) {
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  static constexpr std::string_view kHeader[] = {"format", "election_id", "manifest_hash",
                                                 "trustee", "signature"};
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(kHeader), std::end(kHeader), key) == std::end(kHeader) &&
        std::find(body.begin(), body.end(), key) == body.end()) {
      std::string field = path;
      field.append(".").append(key);
      throw FormatError(field, "unknown field");
    }
  }
  if (require_string(j, "format", path) != format) {
    throw FormatError(path + ".format", "must be \"" + std::string(format) + "\"");
  }
  if (require_string(j, "election_id", path) != params.election_id) {
    throw FormatError(path + ".election_id", "is for another election");
  }
  if (require_string(j, "manifest_hash", path) != params.manifest_hash_hex()) {
    throw FormatError(path + ".manifest_hash", "does not match this election's manifest");
  }
  if (require_uint(j, "trustee", path) != expected_trustee) {
    throw FormatError(path + ".trustee", "must be " + std::to_string(expected_trustee));
  }
}

void check_signature(const Json& j, ByteView signing_key, std::uint32_t trustee,
                     const std::string& path) {
  crypto::bytes_from_json(require_field(j, "signature", path), path + ".signature",
                          crypto::kEd25519SignatureLength);
  if (!ceremony_signature_valid(j, signing_key)) {
    throw FormatError(path + ".signature",
                      "not a valid signature by trustee " + std::to_string(trustee));
  }
}

std::uint32_t parse_index(const CeremonyParameters& params, const Json& j, std::string_view key,
                          const std::string& path) {
  const std::uint64_t v = require_uint(j, key, path);
  if (v < 1 || v > params.trustee_count) {
    throw FormatError(path + "." + std::string(key),
                      "must be a trustee index in 1.." + std::to_string(params.trustee_count));
  }
  return static_cast<std::uint32_t>(v);
}

Digest digest_from_json(const Json& j, const std::string& path) {
  const Bytes b = crypto::bytes_from_json(j, path, 32);
  Digest d{};
  std::copy(b.begin(), b.end(), d.begin());
  return d;
}

}  // namespace

std::string identity_file(std::uint32_t t) {
  return file_name("round0-identity", t);
}
std::string commitment_file(std::uint32_t t) {
  return file_name("round1-commitment", t);
}
std::string reveal_file(std::uint32_t t) {
  return file_name("round1-reveal", t);
}
std::string shares_file(std::uint32_t t) {
  return file_name("round2-shares", t);
}
std::string complaints_file(std::uint32_t t) {
  return file_name("round3-complaints", t);
}
std::string answer_file(std::uint32_t t) {
  return file_name("round3-answer", t);
}

Json sign_ceremony_message(Json message, ByteView signing_seed) {
  message.erase("signature");
  const auto key = crypto::Ed25519PrivateKey::from_seed(signing_seed);
  message["signature"] = crypto::to_hex(key.sign(signature_input(message)));
  return message;
}

bool ceremony_signature_valid(const Json& message, ByteView signing_key) {
  if (!message.is_object()) return false;
  const auto it = message.find("signature");
  if (it == message.end() || !it->is_string()) return false;
  Bytes signature;
  try {
    signature = crypto::from_hex(it->get_ref<const std::string&>());
  } catch (const std::invalid_argument&) {
    return false;
  }
  return crypto::ed25519_verify(signing_key, signature_input(message), signature);
}

Json message_header(const CeremonyParameters& params, std::string_view format,
                    std::uint32_t trustee) {
  return Json{{"format", format},
              {"election_id", params.election_id},
              {"manifest_hash", params.manifest_hash_hex()},
              {"trustee", trustee}};
}

// ---- Round 0 ----

Json identity_message(const CeremonyParameters& params, const Identity& identity,
                      ByteView signing_seed) {
  Json j = message_header(params, kIdentityFormat, identity.trustee);
  j["signing_key"] = crypto::to_hex(identity.signing_key);
  j["encryption_key"] = crypto::to_hex(identity.encryption_key);
  return sign_ceremony_message(std::move(j), signing_seed);
}

Identity parse_identity(const CeremonyParameters& params, const Json& j,
                        std::uint32_t expected_trustee, const std::string& path) {
  check_header(params, j, kIdentityFormat, expected_trustee, {"signing_key", "encryption_key"},
               path);
  Identity id;
  id.trustee = expected_trustee;
  id.signing_key = crypto::bytes_from_json(require_field(j, "signing_key", path),
                                           path + ".signing_key", crypto::kEd25519PublicKeyLength);
  crypto::require_ed25519_public_key(id.signing_key, path + ".signing_key");
  id.encryption_key = crypto::bytes_from_json(require_field(j, "encryption_key", path),
                                              path + ".encryption_key", crypto::kX25519KeyLength);
  crypto::require_x25519_public_key(id.encryption_key, path + ".encryption_key");
  check_signature(j, id.signing_key, expected_trustee, path);
  return id;
}

// ---- Round 1 ----

Digest coefficient_commitments_hash(const CeremonyParameters& params, std::uint32_t trustee,
                                    std::span<const Element> commitments) {
  Bytes input;
  crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-CEREMONY-COMMITMENT"));
  crypto::append_length_prefixed(input, params.manifest_hash);
  crypto::append_u32_be(input, trustee);
  crypto::append_u32_be(input, static_cast<std::uint32_t>(commitments.size()));
  for (const Element& c : commitments) {
    const Bytes e = params.group->encode(c);
    input.insert(input.end(), e.begin(), e.end());
  }
  return crypto::sha256(input);
}

Json commitment_message(const CeremonyParameters& params, const Commitment& c,
                        ByteView signing_seed) {
  Json j = message_header(params, kCommitmentFormat, c.trustee);
  j["commitment_hash"] = crypto::to_hex(c.commitment_hash);
  return sign_ceremony_message(std::move(j), signing_seed);
}

Commitment parse_commitment(const CeremonyParameters& params, const Json& j,
                            std::uint32_t expected_trustee, ByteView signing_key,
                            const std::string& path) {
  check_header(params, j, kCommitmentFormat, expected_trustee, {"commitment_hash"}, path);
  Commitment c;
  c.trustee = expected_trustee;
  c.commitment_hash =
      digest_from_json(require_field(j, "commitment_hash", path), path + ".commitment_hash");
  check_signature(j, signing_key, expected_trustee, path);
  return c;
}

std::string coefficient_binding(std::uint32_t trustee, std::size_t k) {
  return "ceremony/trustee:" + std::to_string(trustee) + "/coefficient:" + std::to_string(k);
}

Json reveal_message(const CeremonyParameters& params, const Reveal& r, ByteView signing_seed) {
  Json j = message_header(params, kRevealFormat, r.trustee);
  Json commitments = Json::array();
  Json proofs = Json::array();
  for (const Element& c : r.commitments) commitments.push_back(params.group->to_hex(c));
  for (const auto& p : r.proofs) proofs.push_back(crypto::schnorr_proof_to_json(*params.group, p));
  j["coefficient_commitments"] = std::move(commitments);
  j["proofs"] = std::move(proofs);
  return sign_ceremony_message(std::move(j), signing_seed);
}

Reveal parse_reveal(const CeremonyParameters& params, const Json& j, std::uint32_t expected_trustee,
                    ByteView signing_key, const std::string& path) {
  check_header(params, j, kRevealFormat, expected_trustee, {"coefficient_commitments", "proofs"},
               path);
  Reveal r;
  r.trustee = expected_trustee;
  const Json& commitments = require_array(j, "coefficient_commitments", path);
  const Json& proofs = require_array(j, "proofs", path);
  if (commitments.size() != params.threshold) {
    throw FormatError(path + ".coefficient_commitments",
                      "must have threshold = " + std::to_string(params.threshold) + " entries");
  }
  if (proofs.size() != params.threshold) {
    throw FormatError(path + ".proofs",
                      "must have threshold = " + std::to_string(params.threshold) + " entries");
  }
  for (std::size_t k = 0; k < commitments.size(); ++k) {
    r.commitments.push_back(
        crypto::element_from_json(*params.group, commitments[k],
                                  path + ".coefficient_commitments[" + std::to_string(k) + "]"));
    r.proofs.push_back(crypto::schnorr_proof_from_json(
        *params.group, proofs[k], path + ".proofs[" + std::to_string(k) + "]"));
  }
  check_signature(j, signing_key, expected_trustee, path);
  return r;
}

std::optional<Fault> check_reveal_var(const CeremonyParameters& params, const Reveal& reveal,
                                      const Commitment& commitment) {
  const Digest actual = coefficient_commitments_hash(params, reveal.trustee, reveal.commitments);
  if (actual != commitment.commitment_hash) {
    return Fault{"commitment-mismatch",
                 "trustee " + std::to_string(reveal.trustee) +
                     " revealed coefficient commitments that differ from its round-1 hash "
                     "commitment"};
  }
  const Element& g = params.group->generator();
  for (std::size_t k = 0; k < reveal.commitments.size(); ++k) {
    if (!crypto::schnorr_verify_var(*params.group,
                                    params.proof_context(coefficient_binding(reveal.trustee, k)), g,
                                    reveal.commitments[k], reveal.proofs[k])) {
      return Fault{"invalid-proof", "trustee " + std::to_string(reveal.trustee) +
                                        ": proof of knowledge for coefficient " +
                                        std::to_string(k) + " does not verify"};
    }
  }
  return std::nullopt;
}

// ---- Round 2 ----

crypto::EciesBinding share_binding(const CeremonyParameters& params, std::uint32_t sender,
                                   std::uint32_t recipient) {
  return crypto::EciesBinding{"trustee-" + std::to_string(sender),
                              "trustee-" + std::to_string(recipient), params.manifest_hash_bytes()};
}

Json shares_message(const CeremonyParameters& params, const Shares& s, ByteView signing_seed) {
  Json j = message_header(params, kSharesFormat, s.trustee);
  Json list = Json::array();
  for (const EncryptedShare& e : s.shares) {
    list.push_back(Json{{"recipient", e.recipient},
                        {"encrypted_share", crypto::ecies_ciphertext_to_json(e.ciphertext)}});
  }
  j["shares"] = std::move(list);
  return sign_ceremony_message(std::move(j), signing_seed);
}

Shares parse_shares(const CeremonyParameters& params, const Json& j, std::uint32_t expected_trustee,
                    ByteView signing_key, const std::string& path) {
  check_header(params, j, kSharesFormat, expected_trustee, {"shares"}, path);
  Shares s;
  s.trustee = expected_trustee;
  const Json& list = require_array(j, "shares", path);
  if (list.size() != params.trustee_count - 1) {
    throw FormatError(path + ".shares", "must have one entry per other trustee (" +
                                            std::to_string(params.trustee_count - 1) + ")");
  }
  std::uint32_t expected_recipient = 1;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string p = path + ".shares[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(list[k], {"recipient", "encrypted_share"}, p);
    if (expected_recipient == expected_trustee) ++expected_recipient;
    const std::uint32_t recipient = parse_index(params, list[k], "recipient", p);
    if (recipient != expected_recipient) {
      throw FormatError(p + ".recipient", "must be " + std::to_string(expected_recipient) +
                                              " (every other trustee, ascending)");
    }
    s.shares.push_back(EncryptedShare{
        recipient, crypto::ecies_ciphertext_from_json(require_field(list[k], "encrypted_share", p),
                                                      p + ".encrypted_share")});
    ++expected_recipient;
  }
  check_signature(j, signing_key, expected_trustee, path);
  return s;
}

const EncryptedShare* find_share(const Shares& shares, std::uint32_t recipient) {
  for (const EncryptedShare& e : shares.shares) {
    if (e.recipient == recipient) return &e;
  }
  return nullptr;
}

// ---- Round 3 ----

Json complaints_message(const CeremonyParameters& params, const Complaints& c,
                        ByteView signing_seed) {
  Json j = message_header(params, kComplaintsFormat, c.trustee);
  Json complaints = Json::array();
  for (const Complaint& x : c.complaints) {
    complaints.push_back(Json{{"accused", x.accused}, {"reason", x.reason}});
  }
  Json verified = Json::array();
  for (const FileHash& f : c.verified) {
    verified.push_back(Json{{"file", f.file}, {"sha256", crypto::to_hex(f.sha256)}});
  }
  j["complaints"] = std::move(complaints);
  j["verified"] = std::move(verified);
  return sign_ceremony_message(std::move(j), signing_seed);
}

Complaints parse_complaints(const CeremonyParameters& params, const Json& j,
                            std::uint32_t expected_trustee, ByteView signing_key,
                            const std::string& path) {
  check_header(params, j, kComplaintsFormat, expected_trustee, {"complaints", "verified"}, path);
  Complaints c;
  c.trustee = expected_trustee;
  const Json& complaints = require_array(j, "complaints", path);
  for (std::size_t k = 0; k < complaints.size(); ++k) {
    const std::string p = path + ".complaints[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(complaints[k], {"accused", "reason"}, p);
    Complaint x{parse_index(params, complaints[k], "accused", p),
                require_string(complaints[k], "reason", p)};
    if (x.accused == expected_trustee) throw FormatError(p + ".accused", "accuses its sender");
    if (!c.complaints.empty() && x.accused <= c.complaints.back().accused) {
      throw FormatError(p + ".accused", "must be ascending without repeats");
    }
    if (x.reason != "undecryptable-share" && x.reason != "share-mismatch") {
      throw FormatError(p + ".reason", "must be \"undecryptable-share\" or \"share-mismatch\"");
    }
    c.complaints.push_back(std::move(x));
  }
  const Json& verified = require_array(j, "verified", path);
  for (std::size_t k = 0; k < verified.size(); ++k) {
    const std::string p = path + ".verified[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(verified[k], {"file", "sha256"}, p);
    FileHash f{require_string(verified[k], "file", p),
               digest_from_json(require_field(verified[k], "sha256", p), p + ".sha256")};
    if (!c.verified.empty() && f.file <= c.verified.back().file) {
      throw FormatError(p + ".file", "must be ascending without repeats");
    }
    c.verified.push_back(std::move(f));
  }
  check_signature(j, signing_key, expected_trustee, path);
  return c;
}

Json answer_message(const CeremonyParameters& params, const Answer& a, ByteView signing_seed) {
  Json j = message_header(params, kAnswerFormat, a.trustee);
  Json revealed = Json::array();
  for (const RevealedShare& r : a.revealed) {
    revealed.push_back(Json{{"complainer", r.complainer},
                            {"share", crypto::scalar_to_json(*params.group, r.share)}});
  }
  j["revealed_shares"] = std::move(revealed);
  return sign_ceremony_message(std::move(j), signing_seed);
}

Answer parse_answer(const CeremonyParameters& params, const Json& j, std::uint32_t expected_trustee,
                    ByteView signing_key, const std::string& path) {
  check_header(params, j, kAnswerFormat, expected_trustee, {"revealed_shares"}, path);
  Answer a;
  a.trustee = expected_trustee;
  const Json& revealed = require_array(j, "revealed_shares", path);
  for (std::size_t k = 0; k < revealed.size(); ++k) {
    const std::string p = path + ".revealed_shares[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(revealed[k], {"complainer", "share"}, p);
    RevealedShare r{parse_index(params, revealed[k], "complainer", p),
                    crypto::scalar_from_json(*params.group, require_field(revealed[k], "share", p),
                                             p + ".share")};
    if (r.complainer == expected_trustee) throw FormatError(p + ".complainer", "is the sender");
    if (!a.revealed.empty() && r.complainer <= a.revealed.back().complainer) {
      throw FormatError(p + ".complainer", "must be ascending without repeats");
    }
    a.revealed.push_back(std::move(r));
  }
  check_signature(j, signing_key, expected_trustee, path);
  return a;
}

}  // namespace haal::ceremony
