// Known-answer ballot vector (tests/vectors/ballot-p256.json): a fixed-seed ballot and its
// Benaloh challenge that any second implementation (the browser client) must reproduce byte
// for byte. Regenerate with HAAL_WRITE_VECTORS=1 (then review the diff: it must be intended).
#include <catch2/catch.hpp>
#include <cstdlib>

#include "crypto/canonical_json.hpp"
#include "election/benaloh.hpp"
#include "election/cast_check.hpp"
#include "election/strict_json.hpp"
#include "fixtures.hpp"

using namespace haal::election;
using haal::crypto::Bytes;

namespace {

const std::filesystem::path kVectorFile =
    std::filesystem::path(HAAL_SOURCE_DIR) / "tests" / "vectors" / "ballot-p256.json";

// The parties' keys of the vector, from fixed seeds.
ElectionParties vector_parties() {
  const auto key = [](const char* label) {
    return haal::crypto::Ed25519PrivateKey::from_seed(haal::crypto::sha256(label)).public_key();
  };
  ElectionParties p;
  p.officials_key = key("haal ballot vector: officials");
  p.collector_key = key("haal ballot vector: collector");
  p.mix_servers = {{"mix-a", key("haal ballot vector: mix server a")},
                   {"mix-b", key("haal ballot vector: mix server b")}};
  return p;
}

// The inputs of the vector; everything else is derived from them.
Json vector_inputs() {
  const haal::crypto::Group& group = haal::crypto::group_by_name("P-256");
  haal::crypto::DeterministicRandomForTests key_rng(
      haal::crypto::to_bytes("haal ballot vector: election key"));
  const haal::crypto::Scalar x = group.scalars().random_nonzero(key_rng);
  const haal::crypto::Digest seed = haal::crypto::sha256("haal ballot vector: credential");
  return Json{
      {"manifest", test::sample_manifest_json("P-256")},
      {"election_secret_key", group.scalars().to_hex(x)},
      {"ceremony_result",
       {{"public_key", group.to_hex(group.exp_generator(haal::crypto::SecretScalar(x)))}}},
      {"parties", parties_to_json(vector_parties())},
      {"voter_id", "voter-0042"},
      {"credential_seed", haal::crypto::to_hex(seed)},
      {"choices", test::sample_choices_json()},
      {"sequence", 3u},
      {"rng_seed", haal::crypto::to_hex(haal::crypto::to_bytes("haal ballot vector: ballot"))},
  };
}

// Returns the inputs together with every derived output.
Json compute_vector(const Json& inputs) {
  const Manifest manifest = manifest_from_json(inputs.at("manifest"));
  const ElectionContext context = ElectionContext::seal(
      manifest, inputs.at("ceremony_result"), parties_from_json(inputs.at("parties"), "parties"));
  const Bytes seed = haal::crypto::from_hex(inputs.at("credential_seed").get<std::string>());
  haal::crypto::Ed25519PrivateKey key = haal::crypto::Ed25519PrivateKey::from_seed(seed);
  const Bytes public_key = key.public_key();
  const Credential credential{manifest.election_id, inputs.at("voter_id"), std::move(key),
                              public_key};
  haal::crypto::DeterministicRandomForTests rng(
      haal::crypto::from_hex(inputs.at("rng_seed").get<std::string>()));
  const EncryptedBallot ballot = encrypt_ballot_var(
      context, credential, ballot_choices_from_json(manifest, inputs.at("choices")),
      inputs.at("sequence").get<std::uint64_t>(), rng);
  Json out = inputs;
  out["context"] = context.to_json();
  out["context_hash"] = haal::crypto::to_hex(context.hash());
  out["credential_public_key"] = haal::crypto::to_hex(public_key);
  Json bindings = Json::array();
  for (const Contest& c : manifest.contests) {
    const Bytes binding = contest_proof_binding(context, public_key, c.id);
    bindings.push_back(std::string(binding.begin(), binding.end()));
  }
  out["proof_bindings"] = bindings;
  const Bytes signed_part = signed_bytes(ballot.ballot);
  out["ballot_signed_bytes_sha256"] = haal::crypto::to_hex(haal::crypto::sha256(signed_part));
  out["ballot"] = ballot.ballot;
  out["ballot_hash"] = haal::crypto::to_hex(ballot.hash);
  out["ballot_seed"] = haal::crypto::to_hex(ballot.encrypted.seed);
  const Json tracking = tracking_object(manifest.election_id, haal::crypto::to_hex(context.hash()),
                                        ballot.encrypted.contests);
  out["tracking_object_sha256"] = haal::crypto::to_hex(haal::crypto::canonical_json_hash(tracking));
  out["tracking_code"] = ballot.encrypted.tracking_code;
  out["check_key"] = check_key_text(ballot.encrypted.seed);
  const Bytes check_binding = check_request_binding(context, ballot.encrypted.tracking_code);
  out["check_request_binding"] = std::string(check_binding.begin(), check_binding.end());
  // The same ciphertexts opened instead (a collector accepts one or the other, never both).
  out["challenge"] = make_challenge(context, ballot.encrypted);
  return out;
}

}  // namespace

TEST_CASE("the P-256 ballot vector regenerates byte for byte", "[vectors]") {
  const Json inputs = vector_inputs();
  const Json computed = compute_vector(inputs);
  if (std::getenv("HAAL_WRITE_VECTORS") != nullptr) {
    write_text_file(kVectorFile, computed.dump(2) + "\n");
  }
  const Json stored = read_json_file(kVectorFile);
  // Recompute from the stored inputs (not ours), so the file is self-contained.
  Json stored_inputs = Json::object();
  for (const auto& [key, value] : inputs.items()) stored_inputs[key] = stored.at(key);
  const Json recomputed = compute_vector(stored_inputs);
  for (const auto& [key, value] : stored.items()) {
    INFO(key);
    CHECK(recomputed.at(key) == value);
  }
  CHECK(recomputed.size() == stored.size());
  CHECK(stored == computed);

  // The stored ballot verifies, decrypts to the stored choices, and its challenge opens.
  const Manifest manifest = manifest_from_json(stored.at("manifest"));
  const ElectionContext context = ElectionContext::seal(
      manifest, stored.at("ceremony_result"), parties_from_json(stored.at("parties"), "parties"));
  Roll roll(manifest.election_id);
  roll.add(stored.at("voter_id"),
           haal::crypto::from_hex(stored.at("credential_public_key").get<std::string>()));
  const VerifiedBallot verified = verify_ballot_var(context, roll, stored.at("ballot"));
  CHECK(verified.tracking_code == stored.at("tracking_code"));
  const auto secret =
      context.group().scalars().from_hex(stored.at("election_secret_key").get<std::string>());
  const auto decoded = test::decrypt_ballot(context, secret, verified);
  const BallotChoices choices = ballot_choices_from_json(manifest, stored.at("choices"));
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    REQUIRE(std::holds_alternative<Selection>(decoded[i]));
    CHECK(std::get<Selection>(decoded[i]) == choices.at(manifest.contests[i].id));
  }
  const OpenedChallenge opened = verify_challenge_var(context, stored.at("challenge"));
  CHECK(opened.tracking_hash == verified.tracking_hash);
  // The check key opens the cast ballot to the same choices.
  const auto checked =
      open_cast_ballot_var(context, stored.at("ballot").at("contests"),
                           check_key_seed(stored.at("check_key").get<std::string>()));
  for (std::size_t i = 0; i < checked.size(); ++i) {
    REQUIRE(std::holds_alternative<Selection>(checked[i]));
    CHECK(std::get<Selection>(checked[i]) == choices.at(manifest.contests[i].id));
  }
}
