// Shared test fixtures: a manifest with every contest kind, a sealed context with a known
// secret key, credentials, and temporary directories.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/elgamal.hpp"
#include "crypto/random_source.hpp"
#include "election/ballot.hpp"
#include "election/context.hpp"
#include "election/credential.hpp"
#include "election/encoding.hpp"

namespace haal::election::test {

// A manifest in `group` with five contests: plurality with write-in, approval, referendum,
// ranked with write-in, ranked without write-in.
inline Json sample_manifest_json(const std::string& group = "P-256") {
  return Json::parse(R"({
    "election_id": "city-2026",
    "title": "City election 2026",
    "voting_window": {"opens": "2026-11-20T08:00:00Z", "closes": "2026-11-27T18:00:00Z"},
    "group": ")" + group +
                     R"(",
    "trustees": {"count": 5, "threshold": 3},
    "contests": [
      {"id": "mayor", "title": "Mayor", "kind": "plurality", "min": 1, "max": 1,
       "options": [{"id": "alice", "title": "Alice"}, {"id": "bob", "title": "Bob"},
                   {"id": "carol", "title": "Carol"}],
       "write_in": {"max_bytes": 40}},
      {"id": "council", "title": "Council", "kind": "approval", "min": 0, "max": 3,
       "options": [{"id": "c1", "title": "One"}, {"id": "c2", "title": "Two"},
                   {"id": "c3", "title": "Three"}, {"id": "c4", "title": "Four"},
                   {"id": "c5", "title": "Five"}]},
      {"id": "measure-a", "title": "Measure A", "kind": "referendum", "min": 0, "max": 1,
       "options": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}]},
      {"id": "board", "title": "School board", "kind": "ranked", "min": 1, "max": 3,
       "method": "instant-runoff",
       "options": [{"id": "dan", "title": "Dan"}, {"id": "eve", "title": "Eve"},
                   {"id": "fay", "title": "Fay"}, {"id": "gus", "title": "Gus"}],
       "write_in": {"max_bytes": 20}},
      {"id": "chair", "title": "Chair", "kind": "ranked", "min": 0, "max": 10,
       "method": "schulze",
       "options": [{"id": "o0", "title": "O0"}, {"id": "o1", "title": "O1"},
                   {"id": "o2", "title": "O2"}, {"id": "o3", "title": "O3"},
                   {"id": "o4", "title": "O4"}, {"id": "o5", "title": "O5"},
                   {"id": "o6", "title": "O6"}, {"id": "o7", "title": "O7"},
                   {"id": "o8", "title": "O8"}, {"id": "o9", "title": "O9"}]}
    ]
  })");
}

// Choices valid for sample_manifest_json.
inline Json sample_choices_json() {
  return Json::parse(R"({
    "mayor": [{"write_in": "Zoë Zed"}],
    "council": ["c4", "c1"],
    "measure-a": ["no"],
    "board": ["fay", {"write_in": "Hal"}, "dan"],
    "chair": ["o9", "o0", "o5"]
  })");
}

// An election key pair from a fixed seed: secret x, public g^x, in ceremony/result.json form.
struct TestKey {
  crypto::Scalar secret;
  Json ceremony_result;
};

inline TestKey test_key(const crypto::Group& group, const std::string& seed = "election-key") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes(seed));
  crypto::Scalar x = group.scalars().random_nonzero(rng);
  return TestKey{x,
                 Json{{"public_key", group.to_hex(group.exp_generator(crypto::SecretScalar(x)))}}};
}

// The parties of a test election: keys from fixed seeds, `servers` mix servers "mix-1"...
inline ElectionParties test_parties(std::size_t servers = 2) {
  const auto key = [](const std::string& label) {
    return crypto::Ed25519PrivateKey::from_seed(crypto::sha256("test party " + label)).public_key();
  };
  ElectionParties p;
  p.officials_key = key("officials");
  p.collector_key = key("collector");
  for (std::size_t i = 1; i <= servers; ++i) {
    p.mix_servers.push_back({"mix-" + std::to_string(i), key("mix " + std::to_string(i))});
  }
  return p;
}

inline ElectionContext sample_context(const std::string& group = "P-256",
                                      const std::string& key_seed = "election-key") {
  const Manifest manifest = manifest_from_json(sample_manifest_json(group));
  return ElectionContext::seal(manifest, test_key(manifest.group(), key_seed).ceremony_result,
                               test_parties());
}

inline Credential test_credential(const std::string& voter_id,
                                  const std::string& election_id = "city-2026") {
  const crypto::Digest seed = crypto::sha256("credential seed " + voter_id);
  crypto::Ed25519PrivateKey key = crypto::Ed25519PrivateKey::from_seed(seed);
  crypto::Bytes public_key = key.public_key();
  return Credential{election_id, voter_id, std::move(key), public_key};
}

// Decrypts every contest of a verified ballot with the secret key and decodes it.
inline std::vector<DecodedSelection> decrypt_ballot(const ElectionContext& context,
                                                    const crypto::Scalar& secret,
                                                    const VerifiedBallot& ballot) {
  std::vector<DecodedSelection> out;
  for (std::size_t i = 0; i < ballot.contests.size(); ++i) {
    std::vector<crypto::Element> plain;
    for (const crypto::Ciphertext& c : ballot.contests[i]) {
      plain.push_back(crypto::elgamal_decrypt(context.group(), crypto::SecretScalar(secret), c));
    }
    out.push_back(
        decode_contest_plaintexts_var(context.group(), context.manifest().contests[i], plain));
  }
  return out;
}

// A fresh temporary directory removed on destruction.
class TempDir {
 public:
  TempDir() {
    crypto::Bytes suffix(8);
    crypto::system_random().fill(suffix);
    path_ =
        std::filesystem::temp_directory_path() / ("haal-election-test-" + crypto::to_hex(suffix));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace haal::election::test
