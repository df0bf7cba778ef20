#include "election/ballot.hpp"

#include "crypto/canonical_json.hpp"
#include "crypto/passphrase_box.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "election/ciphertext_shape.hpp"
#include "election/encoding.hpp"
#include "election/strict_json.hpp"
#include "election/tracking_code.hpp"

namespace haal::election {

using crypto::Bytes;
using crypto::FormatError;

namespace {

std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// The ballot with its hex fields decoded to bytes, before any cryptographic check.
struct RawContest {
  CiphertextEncodings ciphertexts;
  Bytes challenge;
  std::vector<Bytes> responses;
};

struct RawBallot {
  std::string election_id;
  Bytes context_hash;
  std::string voter_id;
  Bytes credential;
  std::uint64_t sequence = 0;
  std::vector<RawContest> contests;
  Bytes signature;
};

RawContest parse_contest_shape(const crypto::Group& group, const Contest& contest,
                               std::size_t width, const Json& j, const std::string& path) {
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(j, {"contest_id", "ciphertexts", "proof"}, path);
  const std::string& id = crypto::require_string(j, "contest_id", path);
  if (id != contest.id) {
    throw FormatError(path + ".contest_id", "expected \"" + contest.id + "\" (manifest order)");
  }
  RawContest raw;
  raw.ciphertexts = parse_ciphertext_encodings_var(group, j, path, width);
  const std::string p_path = path + ".proof";
  const Json& proof = crypto::require_field(j, "proof", path);
  if (!proof.is_object()) throw FormatError(p_path, "must be a JSON object");
  crypto::reject_unknown_fields(proof, {"challenge", "responses"}, p_path);
  const std::size_t scalar_length = group.scalars().byte_length();
  raw.challenge = crypto::bytes_from_json(crypto::require_field(proof, "challenge", p_path),
                                          p_path + ".challenge", scalar_length);
  const Json& responses = crypto::require_array(proof, "responses", p_path);
  if (responses.size() != width) {
    throw FormatError(p_path + ".responses", "expected " + std::to_string(width) +
                                                 " responses, found " +
                                                 std::to_string(responses.size()));
  }
  for (std::size_t i = 0; i < width; ++i) {
    raw.responses.push_back(
        crypto::bytes_from_json(responses[i], at(p_path + ".responses", i), scalar_length));
  }
  return raw;
}

RawBallot parse_ballot_shape(const ElectionContext& context, const Json& j) {
  const std::string root;
  if (!j.is_object()) throw FormatError("(top)", "the ballot must be a JSON object");
  crypto::reject_unknown_fields(j,
                                {"type", "election_id", "context_hash", "voter_id", "credential",
                                 "sequence", "contests", "signature"},
                                root);
  if (crypto::require_string(j, "type", root) != kBallotType) {
    throw FormatError("type", std::string("expected \"") + kBallotType + "\"");
  }
  RawBallot raw;
  raw.election_id = crypto::require_string(j, "election_id", root);
  raw.context_hash =
      crypto::bytes_from_json(crypto::require_field(j, "context_hash", root), "context_hash", 32);
  raw.voter_id = crypto::require_string(j, "voter_id", root);
  if (!is_valid_identifier(raw.voter_id)) throw FormatError("voter_id", "invalid voter id");
  raw.credential = crypto::bytes_from_json(crypto::require_field(j, "credential", root),
                                           "credential", crypto::kEd25519PublicKeyLength);
  raw.sequence = crypto::require_uint(j, "sequence", root);
  if (raw.sequence < 1 || raw.sequence > kMaxSequence) {
    throw FormatError("sequence", "must be between 1 and 2^53 - 1");
  }
  raw.signature = crypto::bytes_from_json(crypto::require_field(j, "signature", root), "signature",
                                          crypto::kEd25519SignatureLength);
  const Json& contests = crypto::require_array(j, "contests", root);
  const Manifest& manifest = context.manifest();
  if (contests.size() != manifest.contests.size()) {
    throw FormatError("contests", "expected " + std::to_string(manifest.contests.size()) +
                                      " contests, found " + std::to_string(contests.size()));
  }
  for (std::size_t i = 0; i < contests.size(); ++i) {
    raw.contests.push_back(parse_contest_shape(context.group(), manifest.contests[i],
                                               context.width(i), contests[i], at("contests", i)));
  }
  return raw;
}

Json ciphertexts_to_json(const crypto::Group& group, const crypto::CiphertextVector& cts) {
  Json out = Json::array();
  for (const crypto::Ciphertext& c : cts) {
    out.push_back({{"alpha", group.to_hex(c.alpha)}, {"beta", group.to_hex(c.beta)}});
  }
  return out;
}

}  // namespace

std::string ballot_error_code_name(BallotErrorCode code) {
  switch (code) {
    case BallotErrorCode::malformed:
      return "malformed";
    case BallotErrorCode::wrong_election:
      return "wrong-election";
    case BallotErrorCode::unknown_voter:
      return "unknown-voter";
    case BallotErrorCode::credential_mismatch:
      return "credential-mismatch";
    case BallotErrorCode::bad_signature:
      return "bad-signature";
    case BallotErrorCode::bad_element:
      return "bad-element";
    case BallotErrorCode::bad_proof:
      return "bad-proof";
    case BallotErrorCode::bad_opening:
      return "bad-opening";
  }
  return "?";
}

crypto::Bytes contest_proof_binding(const ElectionContext& context, crypto::ByteView credential,
                                    const std::string& contest_id) {
  return crypto::canonical_json_bytes(Json{{"type", "haal-ballot-contest-v1"},
                                           {"context_hash", crypto::to_hex(context.hash())},
                                           {"credential", crypto::to_hex(credential)},
                                           {"contest_id", contest_id}});
}

crypto::Bytes signed_bytes(const Json& signed_object) {
  Json copy = signed_object;
  copy.erase("signature");
  return crypto::canonical_json_bytes(copy);
}

crypto::Digest ballot_hash(const Json& ballot) {
  return crypto::canonical_json_hash(ballot);
}

VerifiedBallot verify_ballot_var(const ElectionContext& context, const Roll& roll,
                                 const Json& ballot) {
  // 1. Shape.
  RawBallot raw;
  try {
    raw = parse_ballot_shape(context, ballot);
  } catch (const FormatError& e) {
    throw BallotRejected(BallotErrorCode::malformed, e.what());
  }
  // 2. Election.
  if (raw.election_id != context.election_id()) {
    throw BallotRejected(BallotErrorCode::wrong_election, "election_id \"" + raw.election_id +
                                                              "\" is not this election (\"" +
                                                              context.election_id() + "\")");
  }
  if (!std::equal(raw.context_hash.begin(), raw.context_hash.end(), context.hash().begin())) {
    throw BallotRejected(BallotErrorCode::wrong_election,
                         "context_hash is not this election's context hash");
  }
  // 3. Roll.
  const Bytes* key = roll.find(raw.voter_id);
  if (!key) {
    throw BallotRejected(BallotErrorCode::unknown_voter,
                         "voter \"" + raw.voter_id + "\" is not on the roll");
  }
  if (*key != raw.credential) {
    throw BallotRejected(BallotErrorCode::credential_mismatch,
                         "credential is not the roll's key for voter \"" + raw.voter_id + "\"");
  }
  // 4. Signature.
  if (!crypto::ed25519_verify(raw.credential, signed_bytes(ballot), raw.signature)) {
    throw BallotRejected(BallotErrorCode::bad_signature,
                         "signature does not verify under the voter's credential");
  }
  // 5. Elements.
  const crypto::Group& group = context.group();
  VerifiedBallot out;
  for (std::size_t i = 0; i < raw.contests.size(); ++i) {
    out.contests.push_back(
        decode_ciphertexts_var(group, raw.contests[i].ciphertexts, at("contests", i)));
  }
  // 6. Proofs.
  for (std::size_t i = 0; i < raw.contests.size(); ++i) {
    const std::string& contest_id = context.manifest().contests[i].id;
    const std::string path = at("contests", i) + ".proof";
    crypto::CiphertextRandomnessProof proof;
    try {
      proof.challenge = group.scalars().decode(raw.contests[i].challenge);
      for (std::size_t k = 0; k < raw.contests[i].responses.size(); ++k) {
        proof.responses.push_back(group.scalars().decode(raw.contests[i].responses[k]));
      }
    } catch (const std::invalid_argument& e) {
      throw BallotRejected(BallotErrorCode::bad_proof, path + ": scalar out of range: " + e.what());
    }
    const crypto::ProofContext proof_context{
        context.hash_bytes(), contest_proof_binding(context, raw.credential, contest_id)};
    if (!crypto::ciphertext_randomness_verify_var(group, proof_context, out.contests[i], proof)) {
      throw BallotRejected(
          BallotErrorCode::bad_proof,
          path + ": proof of randomness for contest \"" + contest_id + "\" does not verify");
    }
  }
  out.voter_id = raw.voter_id;
  out.credential = raw.credential;
  out.sequence = raw.sequence;
  out.hash = ballot_hash(ballot);
  out.tracking_hash = tracking_hash(raw.election_id, ballot.at("context_hash").get<std::string>(),
                                    ballot.at("contests"));
  out.tracking_code = tracking_code(out.tracking_hash);
  return out;
}

VerifiedBallot verify_ballot_text_var(const ElectionContext& context, const Roll& roll,
                                      std::string_view text) {
  Json ballot;
  try {
    ballot = parse_json_strict(text, "ballot");
  } catch (const FormatError& e) {
    throw BallotRejected(BallotErrorCode::malformed, e.what());
  }
  return verify_ballot_var(context, roll, ballot);
}

Json tracking_object(const std::string& election_id, const std::string& context_hash_hex,
                     const Json& contests) {
  Json kept = Json::array();
  for (const Json& contest : contests) {
    kept.push_back(
        {{"contest_id", contest.at("contest_id")}, {"ciphertexts", contest.at("ciphertexts")}});
  }
  return Json{{"type", kTrackingType},
              {"election_id", election_id},
              {"context_hash", context_hash_hex},
              {"contests", std::move(kept)}};
}

crypto::Digest tracking_hash(const std::string& election_id, const std::string& context_hash_hex,
                             const Json& contests) {
  return crypto::canonical_json_hash(tracking_object(election_id, context_hash_hex, contests));
}

crypto::Scalar ballot_randomness(const ElectionContext& context, crypto::ByteView seed,
                                 std::size_t contest_index, std::size_t j) {
  if (seed.size() != kBallotSeedLength) {
    throw std::invalid_argument("a ballot seed has " + std::to_string(kBallotSeedLength) +
                                " bytes");
  }
  crypto::Bytes message = context.hash_bytes();
  message.insert(message.end(), seed.begin(), seed.end());
  crypto::append_u32_be(message, static_cast<std::uint32_t>(contest_index));
  crypto::append_u32_be(message, static_cast<std::uint32_t>(j));
  crypto::Scalar r = context.group().scalars().hash_to_scalar(message, "HAAL-V2-BALLOT-RANDOMNESS");
  crypto::wipe(message);
  if (r.is_zero()) throw std::invalid_argument("the ballot seed derives a zero randomness");
  return r;
}

EncryptedChoices encrypt_choices_from_seed_var(const ElectionContext& context,
                                               const BallotChoices& choices,
                                               crypto::ByteView seed) {
  const Manifest& manifest = context.manifest();
  for (const auto& [contest_id, selection] : choices) {
    if (!manifest.find_contest(contest_id)) {
      throw std::invalid_argument("choices name unknown contest \"" + contest_id + "\"");
    }
  }
  const crypto::Group& group = context.group();
  EncryptedChoices out;
  out.seed.assign(seed.begin(), seed.end());
  out.contests = Json::array();
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    const Contest& contest = manifest.contests[i];
    const auto it = choices.find(contest.id);
    if (it == choices.end()) {
      throw std::invalid_argument("choices miss contest \"" + contest.id + "\"");
    }
    const std::vector<crypto::Element> messages =
        encode_contest_selection_var(group, contest, it->second);
    ContestOpening opening{it->second, {}};
    for (std::size_t k = 0; k < messages.size(); ++k) {
      opening.randomness.push_back(ballot_randomness(context, seed, i, k));
    }
    const std::vector<crypto::SecretScalar> randomness(opening.randomness.begin(),
                                                       opening.randomness.end());
    crypto::CiphertextVector cts = context.encryptor().encrypt(messages, randomness);
    out.contests.push_back(
        {{"contest_id", contest.id}, {"ciphertexts", ciphertexts_to_json(group, cts)}});
    out.ciphertexts.push_back(std::move(cts));
    out.openings.push_back(std::move(opening));
  }
  out.tracking_hash =
      tracking_hash(manifest.election_id, crypto::to_hex(context.hash()), out.contests);
  out.tracking_code = tracking_code(out.tracking_hash);
  return out;
}

EncryptedChoices encrypt_choices_var(const ElectionContext& context, const BallotChoices& choices,
                                     crypto::RandomSource& rng) {
  crypto::Bytes seed(kBallotSeedLength);
  rng.fill(seed);
  EncryptedChoices out = encrypt_choices_from_seed_var(context, choices, seed);
  crypto::wipe(seed);
  return out;
}

Json cast_ballot(const ElectionContext& context, const Credential& credential,
                 const EncryptedChoices& encrypted, std::uint64_t sequence,
                 crypto::RandomSource& rng) {
  const Manifest& manifest = context.manifest();
  if (credential.election_id != manifest.election_id) {
    throw std::invalid_argument("the credential is for election \"" + credential.election_id +
                                "\", not \"" + manifest.election_id + "\"");
  }
  if (sequence < 1 || sequence > kMaxSequence) {
    throw std::invalid_argument("sequence must be between 1 and 2^53 - 1");
  }
  if (encrypted.ciphertexts.size() != manifest.contests.size() ||
      encrypted.openings.size() != manifest.contests.size()) {
    throw std::invalid_argument("the encrypted choices do not match the manifest's contests");
  }
  const crypto::Group& group = context.group();
  Json contests = Json::array();
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    const Contest& contest = manifest.contests[i];
    const crypto::ProofContext proof_context{
        context.hash_bytes(), contest_proof_binding(context, credential.public_key, contest.id)};
    const crypto::CiphertextRandomnessProof proof = crypto::ciphertext_randomness_prove(
        group, proof_context, encrypted.ciphertexts[i], encrypted.openings[i].randomness, rng);
    contests.push_back({{"contest_id", contest.id},
                        {"ciphertexts", encrypted.contests[i].at("ciphertexts")},
                        {"proof", crypto::ciphertext_randomness_proof_to_json(group, proof)}});
  }
  Json ballot{{"type", kBallotType},
              {"election_id", manifest.election_id},
              {"context_hash", crypto::to_hex(context.hash())},
              {"voter_id", credential.voter_id},
              {"credential", crypto::to_hex(credential.public_key)},
              {"sequence", sequence},
              {"contests", std::move(contests)}};
  ballot["signature"] = crypto::to_hex(credential.key.sign(signed_bytes(ballot)));
  return ballot;
}

EncryptedBallot encrypt_ballot_var(const ElectionContext& context, const Credential& credential,
                                   const BallotChoices& choices, std::uint64_t sequence,
                                   crypto::RandomSource& rng) {
  EncryptedBallot out;
  out.encrypted = encrypt_choices_var(context, choices, rng);
  out.ballot = cast_ballot(context, credential, out.encrypted, sequence, rng);
  out.hash = ballot_hash(out.ballot);
  return out;
}

}  // namespace haal::election
