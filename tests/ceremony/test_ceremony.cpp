// Whole ceremonies: 2-of-3 and 3-of-5, through the sealed stores (run_local_ceremony) and
// step by step; every t-subset decrypts, t-1 trustees cannot; secrets never reach the disk in
// the clear.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "ceremony/local_ceremony.hpp"
#include "ceremony/polynomial.hpp"
#include "ceremony/threshold_decryption.hpp"
#include "ceremony_fixture.hpp"
#include "crypto/base/file.hpp"
#include "crypto/elgamal.hpp"

using namespace haal::ceremony;
using namespace haal::ceremony::testing;
using haal::crypto::Ciphertext;
using haal::crypto::ScryptParameters;

namespace {

constexpr const char* kPassphrase = "correct horse battery staple";
const ScryptParameters kFastScrypt{1u << 14, 8, 1};

// Every subset of {1..n} of size k, ascending.
std::vector<std::vector<std::uint32_t>> subsets(std::uint32_t n, std::uint32_t k) {
  std::vector<std::vector<std::uint32_t>> out;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    if (static_cast<std::uint32_t>(__builtin_popcount(mask)) != k) continue;
    std::vector<std::uint32_t> s;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (mask & (1u << i)) s.push_back(i + 1);
    }
    out.push_back(s);
  }
  return out;
}

std::vector<Ciphertext> encrypt_messages(const Group& group, const Element& key,
                                         const std::vector<Element>& messages) {
  haal::crypto::ElGamalEncryptor enc(group, key);
  std::vector<Ciphertext> out;
  for (const auto& m : messages) {
    out.push_back(enc.encrypt(m, group.scalars().random_secret(haal::crypto::system_random())));
  }
  return out;
}

std::vector<Element> test_messages(const Group& group, int count) {
  std::vector<Element> out;
  for (int k = 0; k < count; ++k) {
    out.push_back(group.encode_message_var(haal::crypto::to_bytes("ballot " + std::to_string(k))));
  }
  return out;
}

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// Checks that every t-subset of the trustees' shares decrypts, and no (t-1)-subset does.
void check_every_subset_decrypts(const CeremonyParameters& params, const CeremonyResult& result,
                                 const std::vector<TrusteeSecrets>& secrets) {
  const Group& group = *params.group;
  const Bytes context_hash(32, 0x5c);
  const auto messages = test_messages(group, 3);
  const auto ciphertexts = encrypt_messages(group, result.joint_public_key, messages);
  std::vector<Element> alphas;
  for (const auto& c : ciphertexts) alphas.push_back(c.alpha);

  std::vector<PartialDecryptionSet> sets;
  for (const std::uint32_t i : result.qualified) {
    const TrusteeSecrets& s = secrets.at(i - 1);
    REQUIRE(s.share.has_value());
    sets.push_back(compute_partial_decryptions(group, params.election_id, context_hash, s,
                                               *result.find(i), alphas));
    REQUIRE_FALSE(check_partial_decryptions_var(result, context_hash, alphas, sets.back()));
  }
  auto set_of = [&](std::uint32_t i) {
    for (const auto& s : sets) {
      if (s.trustee == i) return &s;
    }
    FAIL("no set for trustee " << i);
    return static_cast<const PartialDecryptionSet*>(nullptr);
  };

  std::size_t tried = 0;
  for (const auto& subset : subsets(params.trustee_count, params.threshold)) {
    bool all_qualified = true;
    for (auto i : subset) all_qualified = all_qualified && result.find(i) != nullptr;
    if (!all_qualified) continue;
    std::vector<const PartialDecryptionSet*> chosen;
    for (auto i : subset) chosen.push_back(set_of(i));
    const auto plaintexts = combine_partial_decryptions_var(result, ciphertexts, chosen);
    for (std::size_t k = 0; k < messages.size(); ++k) {
      CHECK(group.equal(plaintexts[k], messages[k]));
    }
    // The shares themselves interpolate to the joint secret key.
    const auto lambdas = lagrange_coefficients_at_zero(group.scalars(), subset);
    Scalar x = group.scalars().from_u64(0);
    for (std::size_t k = 0; k < subset.size(); ++k) {
      x = group.scalars().add(x, group.scalars().mul(lambdas[k], *secrets[subset[k] - 1].share));
    }
    CHECK(group.equal(group.exp_generator(haal::crypto::SecretScalar(x)), result.joint_public_key));
    ++tried;
  }
  CHECK(tried > 0);

  // t-1 trustees: combination refuses, and interpolating their shares gives a wrong key.
  if (params.threshold > 1) {
    for (const auto& subset : subsets(params.trustee_count, params.threshold - 1)) {
      bool all_qualified = true;
      for (auto i : subset) all_qualified = all_qualified && result.find(i) != nullptr;
      if (!all_qualified) continue;
      std::vector<PartialDecryptionSet> few;
      std::vector<const PartialDecryptionSet*> few_ptrs;
      for (auto i : subset) {
        few.push_back(*set_of(i));
        few_ptrs.push_back(set_of(i));
      }
      CHECK_THROWS_AS(threshold_decrypt_var(result, context_hash, ciphertexts, few), CeremonyError);
      CHECK_THROWS_AS(combine_partial_decryptions_var(result, ciphertexts, few_ptrs),
                      std::invalid_argument);
      const auto lambdas = lagrange_coefficients_at_zero(group.scalars(), subset);
      Scalar x = group.scalars().from_u64(0);
      Element combined = group.identity();
      for (std::size_t k = 0; k < subset.size(); ++k) {
        x = group.scalars().add(x, group.scalars().mul(lambdas[k], *secrets[subset[k] - 1].share));
        combined = group.mul(combined, group.exp_var(set_of(subset[k])->values[0], lambdas[k]));
      }
      CHECK_FALSE(
          group.equal(group.exp_generator(haal::crypto::SecretScalar(x)), result.joint_public_key));
      CHECK_FALSE(group.equal(group.div(ciphertexts[0].beta, combined), messages[0]));
    }
  }
}

}  // namespace

TEST_CASE("2-of-3 ceremony through sealed stores: every pair decrypts, no single trustee can",
          "[ceremony]") {
  TempDir temp;
  const auto election = write_election(temp.path(), 3, 2);
  const auto root = temp.path() / "trustees";
  std::ostringstream log;
  const CeremonyResult result = run_local_ceremony(election, root, kPassphrase, log, kFastScrypt);
  INFO(log.str());
  CHECK(result.qualified == std::vector<std::uint32_t>{1, 2, 3});
  CHECK(result.disqualified.empty());

  const CeremonyParameters params = load_ceremony_parameters(election);
  // result.json on disk equals the returned result and every message is listed.
  const CeremonyResult loaded = load_ceremony_result(election);
  CHECK(ceremony_result_to_json(loaded) == ceremony_result_to_json(result));
  CHECK(result.messages.size() == 3 * 6);
  // A result.json from another election is refused.
  {
    TempDir other;
    const auto other_election = write_election(other.path(), 3, 2);
    std::filesystem::create_directories(other_election / "ceremony");
    std::filesystem::copy_file(election / "ceremony" / "result.json",
                               other_election / "ceremony" / "result.json");
    auto manifest = minimal_manifest(3, 2, "P-256");
    manifest["election_id"] = "someone else's";
    write_file_atomically(other_election / "manifest.json",
                          haal::crypto::canonical_json_bytes(manifest), 0644);
    CHECK_THROWS_WITH(load_ceremony_result(other_election),
                      Catch::Contains("belongs to another election"));
    CHECK_THROWS_WITH(load_ceremony_result(other.path()), Catch::Contains("manifest.json"));
  }

  std::vector<TrusteeSecrets> secrets;
  for (std::uint32_t i = 1; i <= 3; ++i) {
    const TrusteeStore store(local_trustee_dir(root, i));
    secrets.push_back(store.load(params, kPassphrase));
    CHECK(secrets.back().coefficients.empty());  // dropped after finalize
    // Stores are private: file 0600, folder 0700.
    struct stat st {};
    REQUIRE(::stat(store.file().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(local_trustee_dir(root, i).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
  }
  check_every_subset_decrypts(params, result, secrets);

  // The plaintext shares (hex or raw bytes) and identity keys appear in no file on disk.
  std::vector<Bytes> needles;
  for (const auto& s : secrets) {
    const Bytes raw = params.group->scalars().encode(*s.share);
    needles.push_back(raw);
    needles.push_back(haal::crypto::to_bytes(haal::crypto::to_hex(raw)));
    needles.push_back(s.signing_seed);
    needles.push_back(haal::crypto::to_bytes(haal::crypto::to_hex(s.encryption_key)));
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(temp.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const Bytes content = haal::base::read_file_bytes(entry.path());
    for (const auto& needle : needles) {
      INFO(entry.path().string());
      CHECK_FALSE(contains(content, needle));
    }
  }
  CHECK(files >= 3 * 6 + 1 + 3 + 1);
}

TEST_CASE("3-of-5 ceremony step by step: every 3-subset decrypts, no 2-subset can", "[ceremony]") {
  SteppedCeremony c(5, 3);
  c.through_shares();
  c.verify();
  c.answer();
  const CeremonyResult result = c.finalize();
  INFO(c.log.str());
  CHECK(result.qualified == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
  // The joint key is the product of the constant-term commitments: g^{sum a_i0}.
  check_every_subset_decrypts(c.params, result, c.secrets);
  CHECK(c.log.str().find("share verified") != std::string::npos);
}

TEST_CASE("2-of-3 ceremony over modp-2048", "[ceremony][modp]") {
  SteppedCeremony c(3, 2, "modp-2048");
  c.through_shares();
  c.verify();
  c.answer();
  const CeremonyResult result = c.finalize();
  check_every_subset_decrypts(c.params, result, c.secrets);
}

TEST_CASE("Trustee stores: wrong passphrase fails cleanly, other election is refused",
          "[ceremony][store]") {
  TempDir temp;
  const auto election = write_election(temp.path(), 3, 2);
  const CeremonyParameters params = load_ceremony_parameters(election);
  const TrusteeStore store(temp.path() / "t1");
  TrusteeSecrets secrets = new_trustee_secrets(1);
  secrets.coefficients =
      random_polynomial(params.group->scalars(), 2, haal::crypto::system_random());
  store.save(params, secrets, kPassphrase, kFastScrypt);
  CHECK(store.trustee_index(params) == 1);
  // The sealed file holds no coefficient and no key, neither raw nor in hex.
  const Bytes sealed = haal::base::read_file_bytes(store.file());
  for (const Scalar& a : secrets.coefficients) {
    const Bytes raw = params.group->scalars().encode(a);
    CHECK_FALSE(contains(sealed, raw));
    CHECK_FALSE(contains(sealed, haal::crypto::to_bytes(haal::crypto::to_hex(raw))));
  }
  CHECK_FALSE(contains(sealed, secrets.signing_seed));
  CHECK_FALSE(contains(sealed, haal::crypto::to_bytes(haal::crypto::to_hex(secrets.signing_seed))));
  // A wrong passphrase fails cleanly and leaves the store untouched.
  CHECK_THROWS_WITH(store.load(params, "wrong passphrase"), "wrong passphrase or corrupted box");
  CHECK(haal::base::read_file_bytes(store.file()) == sealed);
  const TrusteeSecrets back = store.load(params, kPassphrase);
  CHECK(back.signing_seed == secrets.signing_seed);
  CHECK(back.encryption_key == secrets.encryption_key);
  CHECK(back.coefficients == secrets.coefficients);
  CHECK_FALSE(back.share.has_value());

  // The same folder opened for another election is refused before any decryption.
  const auto other_dir = temp.path() / "other";
  std::filesystem::create_directories(other_dir);
  auto manifest = minimal_manifest(3, 2, "P-256");
  manifest["election_id"] = "another";
  write_file_atomically(other_dir / "manifest.json", haal::crypto::canonical_json_bytes(manifest),
                        0644);
  CHECK_THROWS_AS(store.load(load_ceremony_parameters(other_dir), kPassphrase), CeremonyError);

  // A missing store says what to do.
  CHECK_THROWS_WITH(TrusteeStore(temp.path() / "nobody").trustee_index(params),
                    Catch::Contains("haal trustee init"));
}

TEST_CASE("Manifest parameters are checked", "[ceremony]") {
  auto m = minimal_manifest(3, 2, "P-256");
  CHECK(ceremony_parameters_from_manifest(m).threshold == 2);
  m["trustees"]["threshold"] = 4u;
  CHECK_THROWS_WITH(ceremony_parameters_from_manifest(m), Catch::Contains("threshold"));
  m = minimal_manifest(3, 2, "P-256");
  m["trustees"]["threshold"] = 0u;
  CHECK_THROWS_AS(ceremony_parameters_from_manifest(m), CeremonyError);
  // The manifest's limit (docs/ballots.md section 2): 255 trustees, as the verifier enforces.
  m = minimal_manifest(3, 2, "P-256");
  m["trustees"] = {{"count", 255u}, {"threshold", 2u}};
  CHECK(ceremony_parameters_from_manifest(m).trustee_count == 255);
  m["trustees"]["count"] = 256u;
  CHECK_THROWS_WITH(ceremony_parameters_from_manifest(m),
                    "manifest.trustees.count: must be in 1..255");
  m = minimal_manifest(3, 2, "curve-9");
  CHECK_THROWS_WITH(ceremony_parameters_from_manifest(m), Catch::StartsWith("manifest.group"));
  m = minimal_manifest(3, 2, "P-256");
  m.erase("election_id");
  CHECK_THROWS_WITH(ceremony_parameters_from_manifest(m), "manifest.election_id: missing");
}

TEST_CASE("Rounds refuse to run before their inputs exist and name what is missing", "[ceremony]") {
  SteppedCeremony c(3, 2);
  publish_identity(c.params, c.board, c.trustee(1), c.log);
  CHECK_THROWS_WITH(
      commit_round(c.params, c.board, c.trustee(1), haal::crypto::system_random(), c.log),
      Catch::Contains("round0-identity-trustee-2.json") &&
          Catch::Contains("round0-identity-trustee-3.json"));
  publish_identity(c.params, c.board, c.trustee(2), c.log);
  publish_identity(c.params, c.board, c.trustee(3), c.log);
  commit_round(c.params, c.board, c.trustee(1), haal::crypto::system_random(), c.log);
  // Nobody reveals before everyone has committed, even with the deadline passed.
  CHECK_THROWS_WITH(
      reveal_round(c.params, c.board, c.trustee(1), haal::crypto::system_random(), c.log),
      Catch::Contains("round1-commitment-trustee-2.json"));
  commit_round(c.params, c.board, c.trustee(2), haal::crypto::system_random(), c.log);
  commit_round(c.params, c.board, c.trustee(3), haal::crypto::system_random(), c.log);
  c.reveal();
  c.shares();
  // Round 3 without trustee 3's complaint statement: the finalizer waits, naming the file.
  verify_shares_round(c.params, c.board, c.trustee(1), false, c.log);
  verify_shares_round(c.params, c.board, c.trustee(2), false, c.log);
  CHECK_THROWS_WITH(
      answer_round(c.params, c.board, c.trustee(1), false, c.log),
      Catch::Contains("round3-complaints-trustee-3.json") && Catch::Contains("--allow-missing"));
  // A message already published cannot be replaced by a different one.
  auto forged = *c.board.load(commitment_file(1));
  forged["commitment_hash"] = std::string(64, '0');
  CHECK_THROWS_WITH(c.board.publish(commitment_file(1), forged),
                    Catch::Contains("must not change"));
}
