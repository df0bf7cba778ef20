#include "election/benaloh.hpp"

#include "election/encoding.hpp"

namespace haal::election {

using crypto::FormatError;

Json make_challenge(const ElectionContext& context, const Credential& credential,
                    const EncryptedBallot& ballot) {
  const Manifest& manifest = context.manifest();
  if (ballot.openings.size() != manifest.contests.size()) {
    throw std::invalid_argument("the ballot's openings do not match the manifest's contests");
  }
  Json openings = Json::array();
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    Json randomness = Json::array();
    for (const crypto::Scalar& r : ballot.openings[i].randomness) {
      randomness.push_back(crypto::scalar_to_json(context.group(), r));
    }
    openings.push_back(
        {{"contest_id", manifest.contests[i].id},
         {"choices", selection_to_json(manifest.contests[i], ballot.openings[i].selection)},
         {"randomness", std::move(randomness)}});
  }
  Json challenge = {{"type", kChallengeType}, {"ballot", ballot.ballot}, {"openings", openings}};
  challenge["signature"] = crypto::to_hex(credential.key.sign(signed_bytes(challenge)));
  return challenge;
}

OpenedBallot verify_challenge(const ElectionContext& context, const Roll& roll,
                              const Json& challenge) {
  const auto malformed = [](const std::string& message) {
    return BallotRejected(BallotErrorCode::malformed, message);
  };
  if (!challenge.is_object()) throw malformed("(top): the challenge must be a JSON object");
  crypto::Bytes signature;
  try {
    crypto::reject_unknown_fields(challenge, {"type", "ballot", "openings", "signature"}, "");
    if (crypto::require_string(challenge, "type", "") != kChallengeType) {
      throw FormatError("type", std::string("expected \"") + kChallengeType + "\"");
    }
    crypto::require_field(challenge, "ballot", "");
    crypto::require_array(challenge, "openings", "");
    signature = crypto::bytes_from_json(crypto::require_field(challenge, "signature", ""),
                                        "signature", crypto::kEd25519SignatureLength);
  } catch (const FormatError& e) {
    throw malformed(e.what());
  }
  OpenedBallot out;
  try {
    out.ballot = verify_ballot(context, roll, challenge.at("ballot"));
  } catch (const BallotRejected& e) {
    throw BallotRejected(
        e.code(), std::string("ballot.") +
                      (std::string(e.what()).substr(ballot_error_code_name(e.code()).size() + 2)));
  }
  if (!crypto::ed25519_verify(out.ballot.credential, signed_bytes(challenge), signature)) {
    throw BallotRejected(BallotErrorCode::bad_signature,
                         "challenge signature does not verify under the ballot's credential");
  }
  const Manifest& manifest = context.manifest();
  const crypto::Group& group = context.group();
  const Json& openings = challenge.at("openings");
  if (openings.size() != manifest.contests.size()) {
    throw malformed("openings: expected " + std::to_string(manifest.contests.size()) +
                    " openings, found " + std::to_string(openings.size()));
  }
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    const Contest& contest = manifest.contests[i];
    const std::string path = "openings[" + std::to_string(i) + "]";
    const Json& opening = openings[i];
    Selection selection;
    std::vector<crypto::Scalar> randomness;
    try {
      if (!opening.is_object()) throw FormatError(path, "must be a JSON object");
      crypto::reject_unknown_fields(opening, {"contest_id", "choices", "randomness"}, path);
      if (crypto::require_string(opening, "contest_id", path) != contest.id) {
        throw FormatError(path + ".contest_id", "expected \"" + contest.id + "\"");
      }
      const Json& r = crypto::require_array(opening, "randomness", path);
      if (r.size() != context.width(i)) {
        throw FormatError(path + ".randomness", "expected " + std::to_string(context.width(i)) +
                                                    " scalars, found " + std::to_string(r.size()));
      }
      for (std::size_t k = 0; k < r.size(); ++k) {
        randomness.push_back(
            crypto::scalar_from_json(group, r[k], path + ".randomness[" + std::to_string(k) + "]"));
      }
    } catch (const FormatError& e) {
      throw malformed(e.what());
    }
    try {
      selection = selection_from_json(contest, crypto::require_field(opening, "choices", path),
                                      path + ".choices");
    } catch (const FormatError& e) {
      throw BallotRejected(BallotErrorCode::bad_opening, e.what());
    }
    // Re-encrypt the claimed choices with the revealed randomness and compare.
    const std::vector<crypto::Element> messages =
        encode_contest_selection(group, contest, selection);
    const crypto::CiphertextVector expected = context.encryptor().encrypt(messages, randomness);
    for (std::size_t k = 0; k < expected.size(); ++k) {
      const crypto::Ciphertext& actual = out.ballot.contests[i][k];
      if (!group.equal(expected[k].alpha, actual.alpha)) {
        throw BallotRejected(
            BallotErrorCode::bad_opening,
            path + ".randomness[" + std::to_string(k) + "]: does not produce the ballot's alpha");
      }
      if (!group.equal(expected[k].beta, actual.beta)) {
        throw BallotRejected(BallotErrorCode::bad_opening,
                             path + ".choices: element " + std::to_string(k) +
                                 " does not encrypt the claimed choices");
      }
    }
    out.choices[contest.id] = std::move(selection);
  }
  return out;
}

}  // namespace haal::election
