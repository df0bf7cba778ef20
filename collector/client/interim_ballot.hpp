// INTERIM ballot format, used until the election component's verify_ballot lands (then the
// server switches to it through an adapter; this file goes). A signed ElGamal vector with a
// proof of knowledge of its randomness (signed ElGamal, Bernhard-Pereira-Warinschi 2012) and
// the voter's Ed25519 credential signature. Exact bytes: docs/api.md, "Interim ballot format".
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "collector/client/ballot_admission.hpp"
#include "collector/client/election_view.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"
#include "crypto/random_source.hpp"

namespace haal::collector {

inline constexpr std::string_view kInterimBallotSignatureTag = "HAAL-V1-INTERIM-BALLOT-SIGNATURE";
inline constexpr std::size_t kInterimMaxCiphertexts = 64;

struct VoterCredential {
  std::string voter_id;
  crypto::Ed25519PrivateKey key;
};

// A ballot together with what opens it (kept by the voter for a Benaloh challenge).
struct InterimBallot {
  Json ballot;
  Json opening;  // {"plaintexts": [hex...], "randomness": [scalar hex...]}
};

// Returns a fresh ballot encrypting each plaintext (group-embedded) under the election key,
// signed by `credential`. Constant time in the randomness except for message embedding.
// Precondition: 1 <= plaintexts.size() <= kInterimMaxCiphertexts; each fits the group.
InterimBallot make_interim_ballot(const ElectionView& election,
                                  const crypto::ElGamalEncryptor& encryptor,
                                  const VoterCredential& credential,
                                  const std::vector<crypto::Bytes>& plaintexts,
                                  crypto::RandomSource& rng);

// Returns the bytes the voter signs: lp(tag) || canonical_json_bytes(ballot minus "signature").
crypto::Bytes interim_ballot_signed_bytes(const Json& ballot);

// Returns the tracking code of a ballot hash: RFC 4648 base32 of its first 10 bytes, in four
// groups of four characters separated by '-'. Precondition: ballot_hash is 64 hex characters.
std::string tracking_code_of(const std::string& ballot_hash_hex);

// Checks interim ballots against an election (docs/api.md lists each rejection).
class InterimBallotChecker final : public BallotChecker {
 public:
  explicit InterimBallotChecker(const ElectionView& election);
  BallotFacts parse_ballot(const Json& ballot) const override;
  void verify_ballot(const Json& ballot, const BallotFacts& facts) const override;
  BallotFacts parse_challenge(const Json& challenge) const override;
  void verify_challenge(const Json& challenge, const BallotFacts& facts) const override;
  BallotFacts facts_of_stored(const std::string& kind, crypto::ByteView payload) const override;

 private:
  BallotFacts parse_ballot_at(const Json& ballot, const std::string& path) const;
  crypto::CiphertextVector verify_ballot_at(const Json& ballot, const std::string& path) const;

  const ElectionView& election_;
  crypto::ElGamalEncryptor encryptor_;
};

// Interim credential files (UNPROTECTED, test and load-generation use only): DIR/<voter_id>.json
// = {"voter_id", "seed": hex of the 32-byte Ed25519 seed}. Returns them sorted by voter id.
std::vector<VoterCredential> load_interim_credentials(const std::filesystem::path& dir);

// Creates a self-contained test election in `election_dir` (manifest.json, context.json,
// roll.json; the election secret key is discarded) with `voters` credentials written to
// `credentials_dir`, voter ids "voter-000001", ... For tests, demos and benchmarks.
void write_interim_test_election(const std::filesystem::path& election_dir,
                                 const std::filesystem::path& credentials_dir,
                                 const std::string& election_id, const std::string& group_name,
                                 std::size_t voters, const VotingWindow& window = {});

}  // namespace haal::collector
