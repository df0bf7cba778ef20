#include "election/benaloh.hpp"

#include "crypto/canonical_json.hpp"
#include "election/ciphertext_shape.hpp"
#include "election/encoding.hpp"
#include "election/tracking_code.hpp"

namespace haal::election {

using crypto::FormatError;

namespace {

std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// One contest of a challenge record with its hex fields decoded, before any group check.
struct RawOpening {
  CiphertextEncodings ciphertexts;
  std::vector<crypto::Scalar> randomness;
};

// Step 1: the exact shape. Throws FormatError.
std::vector<RawOpening> parse_challenge_shape(const ElectionContext& context, const Json& j) {
  if (!j.is_object()) throw FormatError("(top)", "the challenge must be a JSON object");
  crypto::reject_unknown_fields(j, {"type", "election_id", "context_hash", "contests"}, "");
  if (crypto::require_string(j, "type", "") != kChallengeType) {
    throw FormatError("type", std::string("expected \"") + kChallengeType + "\"");
  }
  crypto::require_string(j, "election_id", "");
  crypto::bytes_from_json(crypto::require_field(j, "context_hash", ""), "context_hash", 32);
  const Json& contests = crypto::require_array(j, "contests", "");
  const Manifest& manifest = context.manifest();
  if (contests.size() != manifest.contests.size()) {
    throw FormatError("contests", "expected " + std::to_string(manifest.contests.size()) +
                                      " contests, found " + std::to_string(contests.size()));
  }
  const crypto::Group& group = context.group();
  std::vector<RawOpening> out;
  for (std::size_t i = 0; i < contests.size(); ++i) {
    const std::string path = at("contests", i);
    const Json& c = contests[i];
    const std::size_t width = context.width(i);
    if (!c.is_object()) throw FormatError(path, "must be a JSON object");
    crypto::reject_unknown_fields(c, {"contest_id", "ciphertexts", "choices", "randomness"}, path);
    if (crypto::require_string(c, "contest_id", path) != manifest.contests[i].id) {
      throw FormatError(path + ".contest_id",
                        "expected \"" + manifest.contests[i].id + "\" (manifest order)");
    }
    RawOpening raw;
    raw.ciphertexts = parse_ciphertext_encodings_var(group, c, path, width);
    crypto::require_field(c, "choices", path);
    const Json& r = crypto::require_array(c, "randomness", path);
    if (r.size() != width) {
      throw FormatError(path + ".randomness", "expected " + std::to_string(width) +
                                                  " scalars, found " + std::to_string(r.size()));
    }
    for (std::size_t k = 0; k < width; ++k) {
      raw.randomness.push_back(crypto::scalar_from_json(group, r[k], at(path + ".randomness", k)));
    }
    out.push_back(std::move(raw));
  }
  return out;
}

}  // namespace

Json make_challenge(const ElectionContext& context, const EncryptedChoices& encrypted) {
  const Manifest& manifest = context.manifest();
  if (encrypted.openings.size() != manifest.contests.size() ||
      encrypted.contests.size() != manifest.contests.size()) {
    throw std::invalid_argument("the encrypted choices do not match the manifest's contests");
  }
  Json contests = Json::array();
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    Json randomness = Json::array();
    for (const crypto::Scalar& r : encrypted.openings[i].randomness) {
      randomness.push_back(crypto::scalar_to_json(context.group(), r));
    }
    contests.push_back(
        {{"contest_id", manifest.contests[i].id},
         {"ciphertexts", encrypted.contests[i].at("ciphertexts")},
         {"choices", selection_to_json(manifest.contests[i], encrypted.openings[i].selection)},
         {"randomness", std::move(randomness)}});
  }
  return Json{{"type", kChallengeType},
              {"election_id", manifest.election_id},
              {"context_hash", crypto::to_hex(context.hash())},
              {"contests", std::move(contests)}};
}

OpenedChallenge verify_challenge_var(const ElectionContext& context, const Json& challenge) {
  // 1. Shape.
  std::vector<RawOpening> raw;
  try {
    raw = parse_challenge_shape(context, challenge);
  } catch (const FormatError& e) {
    throw BallotRejected(BallotErrorCode::malformed, e.what());
  }
  // 2. Election.
  const std::string election_id = challenge.at("election_id").get<std::string>();
  if (election_id != context.election_id()) {
    throw BallotRejected(BallotErrorCode::wrong_election, "election_id \"" + election_id +
                                                              "\" is not this election (\"" +
                                                              context.election_id() + "\")");
  }
  const std::string context_hash = challenge.at("context_hash").get<std::string>();
  if (context_hash != crypto::to_hex(context.hash())) {
    throw BallotRejected(BallotErrorCode::wrong_election,
                         "context_hash is not this election's context hash");
  }
  // 3. Elements.
  const crypto::Group& group = context.group();
  OpenedChallenge out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    out.contests.push_back(decode_ciphertexts_var(group, raw[i].ciphertexts, at("contests", i)));
  }
  // 4-5. Every opening: valid choices that re-encrypt to the ciphertexts.
  const Manifest& manifest = context.manifest();
  const Json& contests = challenge.at("contests");
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    const Contest& contest = manifest.contests[i];
    const std::string path = at("contests", i);
    Selection selection;
    try {
      selection = selection_from_json(contest, contests[i].at("choices"), path + ".choices");
    } catch (const FormatError& e) {
      throw BallotRejected(BallotErrorCode::bad_opening, e.what());
    }
    const std::vector<crypto::Element> messages =
        encode_contest_selection_var(group, contest, selection);
    const crypto::CiphertextVector expected =
        context.encryptor().encrypt_var(messages, raw[i].randomness);
    for (std::size_t k = 0; k < expected.size(); ++k) {
      const crypto::Ciphertext& actual = out.contests[i][k];
      if (!group.equal(expected[k].alpha, actual.alpha)) {
        throw BallotRejected(
            BallotErrorCode::bad_opening,
            at(path + ".randomness", k) + ": does not produce the ciphertext's alpha");
      }
      if (!group.equal(expected[k].beta, actual.beta)) {
        throw BallotRejected(BallotErrorCode::bad_opening,
                             path + ".choices: element " + std::to_string(k) +
                                 " does not encrypt the claimed choices");
      }
    }
    out.choices[contest.id] = std::move(selection);
  }
  out.hash = crypto::canonical_json_hash(challenge);
  out.tracking_hash = tracking_hash(election_id, context_hash, contests);
  out.tracking_code = tracking_code(out.tracking_hash);
  return out;
}

}  // namespace haal::election
