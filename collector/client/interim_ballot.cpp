#include "collector/client/interim_ballot.hpp"

#include <algorithm>
#include <cstdio>

#include "crypto/canonical_json.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"

namespace haal::collector {

namespace {

using crypto::Bytes;
using crypto::FormatError;

constexpr std::size_t kMaxVoterIdLength = 128;

crypto::ProofContext proof_context(const ElectionView& election, const std::string& voter_id) {
  crypto::ProofContext ctx;
  ctx.election_hash.assign(election.context_hash.begin(), election.context_hash.end());
  ctx.binding = crypto::to_bytes("interim-ballot/voter:" + voter_id);
  return ctx;
}

std::string fingerprint_of(const Bytes& alpha, const Bytes& beta) {
  Bytes both = alpha;
  both.insert(both.end(), beta.begin(), beta.end());
  return crypto::to_hex(crypto::sha256(both));
}

// Throws FormatError unless j[key] is a canonical lowercase hex string of `length` bytes.
Bytes hex_field(const Json& j, std::string_view key, const std::string& path, std::size_t length) {
  return crypto::bytes_from_json(crypto::require_field(j, key, path), path + "." + std::string(key),
                                 length);
}

Rejection shape_error(const std::exception& e) { return Rejection(400, "bad-shape", e.what()); }

}  // namespace

Bytes interim_ballot_signed_bytes(const Json& ballot) {
  Json unsigned_ballot = ballot;
  unsigned_ballot.erase("signature");
  Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes(kInterimBallotSignatureTag));
  const Bytes body = crypto::canonical_json_bytes(unsigned_ballot);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::string tracking_code_of(const std::string& ballot_hash_hex) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 section 6
  const Bytes h = crypto::from_hex(ballot_hash_hex.substr(0, 20));
  std::string code;
  std::uint64_t buffer = 0;
  int bits = 0;
  for (std::uint8_t byte : h) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      code.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return code.substr(0, 4) + "-" + code.substr(4, 4) + "-" + code.substr(8, 4) + "-" +
         code.substr(12, 4);
}

InterimBallot make_interim_ballot(const ElectionView& election,
                                  const crypto::ElGamalEncryptor& encryptor,
                                  const VoterCredential& credential,
                                  const std::vector<Bytes>& plaintexts, crypto::RandomSource& rng) {
  const crypto::Group& group = *election.group;
  std::vector<crypto::Element> messages;
  std::vector<crypto::Scalar> randomness;
  Json opening_plaintexts = Json::array();
  Json opening_randomness = Json::array();
  for (const Bytes& p : plaintexts) {
    messages.push_back(group.encode_message(p));
    randomness.push_back(group.scalars().random_nonzero(rng));
    opening_plaintexts.push_back(crypto::to_hex(p));
    opening_randomness.push_back(crypto::scalar_to_json(group, randomness.back()));
  }
  const crypto::CiphertextVector cts = encryptor.encrypt(messages, randomness);
  const auto proof = crypto::ciphertext_randomness_prove(
      group, proof_context(election, credential.voter_id), cts, randomness, rng);
  Json ciphertexts = Json::array();
  for (const auto& c : cts) {
    ciphertexts.push_back({{"alpha", crypto::element_to_json(group, c.alpha)},
                           {"beta", crypto::element_to_json(group, c.beta)}});
  }
  Json ballot = {{"election_id", election.election_id},
                 {"voter_id", credential.voter_id},
                 {"ciphertexts", ciphertexts},
                 {"proof", crypto::ciphertext_randomness_proof_to_json(group, proof)}};
  ballot["signature"] = crypto::to_hex(credential.key.sign(interim_ballot_signed_bytes(ballot)));
  return InterimBallot{ballot, {{"plaintexts", opening_plaintexts}, {"randomness", opening_randomness}}};
}

InterimBallotChecker::InterimBallotChecker(const ElectionView& election)
    : election_(election), encryptor_(*election.group, election.public_key) {}

BallotFacts InterimBallotChecker::parse_ballot_at(const Json& ballot, const std::string& path) const {
  BallotFacts facts;
  try {
    if (!ballot.is_object()) throw FormatError(path, "expected an object");
    crypto::reject_unknown_fields(
        ballot, {"election_id", "voter_id", "ciphertexts", "proof", "signature"}, path);
    const std::string& election_id = crypto::require_string(ballot, "election_id", path);
    facts.voter_id = crypto::require_string(ballot, "voter_id", path);
    if (facts.voter_id.empty() || facts.voter_id.size() > kMaxVoterIdLength) {
      throw FormatError(path + ".voter_id", "must be 1..128 characters");
    }
    const Json& cts = crypto::require_array(ballot, "ciphertexts", path);
    if (cts.empty() || cts.size() > kInterimMaxCiphertexts) {
      throw FormatError(path + ".ciphertexts", "must hold 1..64 ciphertexts");
    }
    const std::size_t length = election_.group->element_length();
    for (std::size_t i = 0; i < cts.size(); ++i) {
      const std::string at = path + ".ciphertexts[" + std::to_string(i) + "]";
      if (!cts[i].is_object()) throw FormatError(at, "expected an object");
      crypto::reject_unknown_fields(cts[i], {"alpha", "beta"}, at);
      facts.ciphertext_fingerprints.push_back(
          fingerprint_of(hex_field(cts[i], "alpha", at, length), hex_field(cts[i], "beta", at, length)));
    }
    const Json& proof = crypto::require_field(ballot, "proof", path);
    if (!proof.is_object()) throw FormatError(path + ".proof", "expected an object");
    const std::size_t scalar_length = election_.group->scalars().byte_length();
    hex_field(proof, "challenge", path + ".proof", scalar_length);
    const Json& responses = crypto::require_array(proof, "responses", path + ".proof");
    if (responses.size() != cts.size()) {
      throw FormatError(path + ".proof.responses", "must hold one response per ciphertext");
    }
    crypto::reject_unknown_fields(proof, {"challenge", "responses"}, path + ".proof");
    for (std::size_t i = 0; i < responses.size(); ++i) {
      crypto::bytes_from_json(responses[i], path + ".proof.responses[" + std::to_string(i) + "]",
                              scalar_length);
    }
    hex_field(ballot, "signature", path, crypto::kEd25519SignatureLength);
    facts.payload = crypto::canonical_json_bytes(ballot);
    if (election_id != election_.election_id) {
      throw Rejection(422, "wrong-election",
                      path + ".election_id: \"" + election_id + "\" is not this election (\"" +
                          election_.election_id + "\")");
    }
  } catch (const FormatError& e) {
    throw shape_error(e);
  }
  facts.ballot_hash = crypto::to_hex(crypto::sha256(facts.payload));
  facts.tracking_code = tracking_code_of(facts.ballot_hash);
  return facts;
}

crypto::CiphertextVector InterimBallotChecker::verify_ballot_at(const Json& ballot,
                                                                const std::string& path) const {
  const std::string& voter_id = ballot["voter_id"].get_ref<const std::string&>();
  const auto credential = election_.roll.find(voter_id);
  if (credential == election_.roll.end()) {
    throw Rejection(403, "not-on-roll", path + ".voter_id: \"" + voter_id + "\" is not on the roll");
  }
  const Bytes signature = crypto::from_hex(ballot["signature"].get_ref<const std::string&>());
  if (!crypto::ed25519_verify(credential->second, interim_ballot_signed_bytes(ballot), signature)) {
    throw Rejection(401, "bad-signature",
                    path + ".signature: not a valid signature by voter \"" + voter_id + "\"'s credential");
  }
  const crypto::Group& group = *election_.group;
  crypto::CiphertextVector cts;
  const Json& jcts = ballot["ciphertexts"];
  for (std::size_t i = 0; i < jcts.size(); ++i) {
    const std::string at = path + ".ciphertexts[" + std::to_string(i) + "]";
    try {
      cts.push_back({crypto::element_from_json(group, jcts[i]["alpha"], at + ".alpha"),
                     crypto::element_from_json(group, jcts[i]["beta"], at + ".beta")});
    } catch (const std::invalid_argument& e) {
      throw Rejection(422, "not-in-group", e.what());
    }
  }
  crypto::CiphertextRandomnessProof proof;
  try {
    proof = crypto::ciphertext_randomness_proof_from_json(group, ballot["proof"], path + ".proof");
  } catch (const std::invalid_argument& e) {
    throw Rejection(422, "bad-proof", e.what());
  }
  if (!crypto::ciphertext_randomness_verify_var(group, proof_context(election_, voter_id), cts, proof)) {
    throw Rejection(422, "bad-proof", path + ".proof: the ciphertext randomness proof does not verify");
  }
  return cts;
}

BallotFacts InterimBallotChecker::parse_ballot(const Json& ballot) const {
  return parse_ballot_at(ballot, "ballot");
}

void InterimBallotChecker::verify_ballot(const Json& ballot, const BallotFacts&) const {
  verify_ballot_at(ballot, "ballot");
}

BallotFacts InterimBallotChecker::parse_challenge(const Json& challenge) const {
  try {
    if (!challenge.is_object()) throw FormatError("challenge", "expected an object");
    crypto::reject_unknown_fields(challenge, {"ballot", "opening"}, "challenge");
    BallotFacts facts =
        parse_ballot_at(crypto::require_field(challenge, "ballot", "challenge"), "challenge.ballot");
    const Json& opening = crypto::require_field(challenge, "opening", "challenge");
    if (!opening.is_object()) throw FormatError("challenge.opening", "expected an object");
    crypto::reject_unknown_fields(opening, {"plaintexts", "randomness"}, "challenge.opening");
    const std::size_t n = facts.ciphertext_fingerprints.size();
    for (const char* key : {"plaintexts", "randomness"}) {
      const Json& a = crypto::require_array(opening, key, "challenge.opening");
      if (a.size() != n) {
        throw FormatError(std::string("challenge.opening.") + key, "must hold one item per ciphertext");
      }
      for (std::size_t i = 0; i < n; ++i) {
        crypto::bytes_from_json(a[i], std::string("challenge.opening.") + key + "[" + std::to_string(i) + "]");
      }
    }
    facts.payload = crypto::canonical_json_bytes(challenge);
    return facts;
  } catch (const FormatError& e) {
    throw shape_error(e);
  }
}

void InterimBallotChecker::verify_challenge(const Json& challenge, const BallotFacts&) const {
  const crypto::CiphertextVector cts = verify_ballot_at(challenge["ballot"], "challenge.ballot");
  const crypto::Group& group = *election_.group;
  const Json& opening = challenge["opening"];
  for (std::size_t i = 0; i < cts.size(); ++i) {
    const std::string at = "challenge.opening[" + std::to_string(i) + "]";
    try {
      const crypto::Scalar r = crypto::scalar_from_json(
          group, opening["randomness"][i], "challenge.opening.randomness[" + std::to_string(i) + "]");
      const Bytes plaintext = crypto::from_hex(opening["plaintexts"][i].get_ref<const std::string&>());
      const crypto::Ciphertext expected = encryptor_.encrypt(group.encode_message(plaintext), r);
      if (!group.equal(expected.alpha, cts[i].alpha) || !group.equal(expected.beta, cts[i].beta)) {
        throw Rejection(422, "bad-opening",
                        at + ": the plaintext and randomness do not reproduce ciphertext " +
                            std::to_string(i));
      }
    } catch (const std::invalid_argument& e) {
      throw Rejection(422, "bad-opening", e.what());
    }
  }
}

BallotFacts InterimBallotChecker::facts_of_stored(const std::string& kind,
                                                  crypto::ByteView payload) const {
  Json j;
  try {
    j = Json::parse(payload.begin(), payload.end());
  } catch (const Json::parse_error& e) {
    throw Rejection(400, "bad-json", "stored " + kind + ": " + e.what());
  }
  if (kind == "ballot") return parse_ballot(j);
  if (kind == "challenge") return parse_challenge(j);
  throw Rejection(400, "bad-kind", "stored entry of kind \"" + kind + "\" is not a ballot");
}

std::vector<VoterCredential> load_interim_credentials(const std::filesystem::path& dir) {
  std::vector<VoterCredential> out;
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error(dir.string() + ": not a directory");
  }
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    if (file.path().extension() != ".json") continue;
    const Json j = read_json_file(file.path());
    const std::string path = file.path().filename().string();
    if (!j.is_object()) throw FormatError(path, "expected an object");
    crypto::reject_unknown_fields(j, {"voter_id", "seed"}, path);
    Bytes seed = crypto::bytes_from_json(crypto::require_field(j, "seed", path), path + ".seed", 32);
    out.push_back({crypto::require_string(j, "voter_id", path), crypto::Ed25519PrivateKey::from_seed(seed)});
    std::fill(seed.begin(), seed.end(), 0);
  }
  std::sort(out.begin(), out.end(),
            [](const VoterCredential& a, const VoterCredential& b) { return a.voter_id < b.voter_id; });
  return out;
}

void write_interim_test_election(const std::filesystem::path& election_dir,
                                 const std::filesystem::path& credentials_dir,
                                 const std::string& election_id, const std::string& group_name,
                                 std::size_t voters, const VotingWindow& window) {
  std::filesystem::create_directories(election_dir);
  std::filesystem::create_directories(credentials_dir);
  const crypto::Group& group = crypto::group_by_name(group_name);
  Json manifest = {{"election_id", election_id},
                   {"group", group_name},
                   {"trustees", {{"count", 1}, {"threshold", 1}}}};
  if (window.opens_at_ms || window.closes_at_ms) {
    Json w = Json::object();
    if (window.opens_at_ms) w["opens_at_ms"] = *window.opens_at_ms;
    if (window.closes_at_ms) w["closes_at_ms"] = *window.closes_at_ms;
    manifest["voting_window"] = w;
  }
  const crypto::Element public_key =
      group.exp_generator(group.scalars().random_nonzero(crypto::system_random()));
  const Json context = {{"manifest_hash", crypto::to_hex(crypto::canonical_json_hash(manifest))},
                        {"group", group_name},
                        {"public_key", crypto::element_to_json(group, public_key)},
                        {"ceremony_hash", crypto::to_hex(crypto::sha256(std::string_view("test")))}};
  Json roll_voters = Json::array();
  for (std::size_t i = 1; i <= voters; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "voter-%06zu", i);
    const auto key = crypto::Ed25519PrivateKey::generate();
    roll_voters.push_back({{"voter_id", id}, {"public_key", crypto::to_hex(key.public_key())}});
    write_json_file(credentials_dir / (std::string(id) + ".json"),
                    {{"voter_id", id}, {"seed", crypto::to_hex(key.seed())}});
  }
  write_json_file(election_dir / "manifest.json", manifest);
  write_json_file(election_dir / "context.json", context);
  write_json_file(election_dir / "roll.json", {{"voters", roll_voters}});
}

}  // namespace haal::collector
