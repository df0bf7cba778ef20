#include "collector/server/election_ballot_checker.hpp"

#include "crypto/canonical_json.hpp"
#include "election/ballot.hpp"
#include "election/benaloh.hpp"
#include "election/tracking_code.hpp"

namespace haal::collector {

int status_of_ballot_error(const std::string& code) {
  if (code == "malformed") return 400;
  if (code == "bad-signature") return 401;
  if (code == "unknown-voter" || code == "credential-mismatch") return 403;
  return 422;  // wrong-election, bad-element, bad-proof, bad-opening
}

std::vector<std::string> ballot_ciphertext_fingerprints(const Json& ballot) {
  std::vector<std::string> out;
  for (const Json& contest : ballot.at("contests")) {
    for (const Json& c : contest.at("ciphertexts")) {
      crypto::Bytes both = crypto::from_hex(c.at("alpha").get<std::string>());
      const crypto::Bytes beta = crypto::from_hex(c.at("beta").get<std::string>());
      both.insert(both.end(), beta.begin(), beta.end());
      out.push_back(crypto::to_hex(crypto::sha256(both)));
    }
  }
  return out;
}

namespace {

Rejection to_rejection(const election::BallotRejected& e) {
  const std::string code = election::ballot_error_code_name(e.code());
  return Rejection(status_of_ballot_error(code), code, e.what());
}

BallotFacts facts_of(const Json& posted, const std::string& voter_id, std::uint64_t sequence,
                     const crypto::Digest& hash, const std::string& tracking_code) {
  BallotFacts f;
  f.voter_id = voter_id;
  f.sequence = sequence;
  f.ballot_hash = crypto::to_hex(hash);
  f.tracking_code = tracking_code;
  f.ciphertext_fingerprints = ballot_ciphertext_fingerprints(posted);
  f.payload = crypto::canonical_json_bytes(posted);
  return f;
}

}  // namespace

BallotFacts ElectionBallotChecker::check_ballot(const Json& ballot) const {
  try {
    const auto v = election::verify_ballot_var(*election_.context, *election_.roll, ballot);
    return facts_of(ballot, v.voter_id, v.sequence, v.hash, v.tracking_code);
  } catch (const election::BallotRejected& e) {
    throw to_rejection(e);
  }
}

BallotFacts ElectionBallotChecker::check_challenge(const Json& challenge) const {
  try {
    const auto opened = election::verify_challenge_var(*election_.context, challenge);
    return facts_of(challenge, "", 0, opened.hash, opened.tracking_code);
  } catch (const election::BallotRejected& e) {
    throw to_rejection(e);
  }
}

BallotFacts ElectionBallotChecker::facts_of_stored(const std::string& kind,
                                                   crypto::ByteView payload) const {
  const Json posted = Json::parse(payload.begin(), payload.end(), nullptr, false);
  if (posted.is_discarded() || !posted.is_object()) {
    throw std::invalid_argument("stored " + kind + " is not a JSON object");
  }
  try {
    BallotFacts f;
    if (kind != "challenge") {
      f.voter_id = posted.at("voter_id").get<std::string>();
      f.sequence = posted.at("sequence").get<std::uint64_t>();
    }
    f.ballot_hash = crypto::to_hex(crypto::sha256(payload));
    f.tracking_code = election::tracking_code(election::tracking_hash(
        posted.at("election_id").get<std::string>(), posted.at("context_hash").get<std::string>(),
        posted.at("contests")));
    f.ciphertext_fingerprints = ballot_ciphertext_fingerprints(posted);
    f.payload.assign(payload.begin(), payload.end());
    return f;
  } catch (const Json::exception& e) {
    throw std::invalid_argument("stored " + kind + ": " + e.what());
  }
}

}  // namespace haal::collector
