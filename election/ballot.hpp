// Ballots: built, encrypted, proved and signed on the voter's device (encrypt_ballot_var), and
// checked by the collector, the tally and the verifier (verify_ballot_var). Every field, what is
// signed and what is hashed: docs/ballots.md ("Ballot").
#pragma once

#include <stdexcept>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/random_source.hpp"
#include "election/context.hpp"
#include "election/credential.hpp"
#include "election/roll.hpp"
#include "election/selection.hpp"

namespace haal::election {

inline constexpr const char* kBallotType = "haal-ballot-v2";
inline constexpr const char* kTrackingType = "haal-tracking-v1";
// A ballot seed: 32 uniform bytes from which every encryption randomness of a ballot is derived
// (ballot_randomness); the cast-ballot check on a second device carries it.
inline constexpr std::size_t kBallotSeedLength = 32;
// Sequence numbers are in [1, 2^53 - 1] so JavaScript clients represent them exactly.
inline constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << 53) - 1;

// Why a ballot (or a challenge) is rejected, in the order verify_ballot_var checks.
enum class BallotErrorCode {
  malformed,            // JSON shape: fields, types, hex lengths, contests and widths
  wrong_election,       // election_id or context_hash is not this election's
  unknown_voter,        // voter_id is not on the roll
  credential_mismatch,  // credential is not the roll's key for voter_id
  bad_signature,        // Ed25519 signature does not verify
  bad_element,          // an alpha or beta is not an element of the group
  bad_proof,            // a ciphertext-randomness proof does not verify
  bad_opening,          // (challenges only) the opening does not match the ciphertexts
};

// Returns the code's stable name: "malformed", "wrong-election", "unknown-voter",
// "credential-mismatch", "bad-signature", "bad-element", "bad-proof", "bad-opening".
std::string ballot_error_code_name(BallotErrorCode code);

class BallotRejected : public std::runtime_error {
 public:
  BallotRejected(BallotErrorCode code, const std::string& message)
      : std::runtime_error(ballot_error_code_name(code) + ": " + message), code_(code) {}
  BallotErrorCode code() const { return code_; }

 private:
  BallotErrorCode code_;
};

// A ballot that passed verify_ballot_var.
struct VerifiedBallot {
  std::string voter_id;
  crypto::Bytes credential;
  std::uint64_t sequence = 0;
  crypto::Digest hash{};                           // ballot_hash
  crypto::Digest tracking_hash{};                  // over the ciphertexts (tracking_hash)
  std::string tracking_code;                       // tracking_code(tracking_hash)
  std::vector<crypto::CiphertextVector> contests;  // manifest order, width elements each
};

// Returns the verified ballot, or throws BallotRejected with the first failing check, in this
// order: JSON shape, election, voter on the roll, credential, signature, elements, proofs.
// Variable time (public data).
VerifiedBallot verify_ballot_var(const ElectionContext& context, const Roll& roll,
                                 const Json& ballot);

// Parses ballot text strictly (syntax and duplicate keys -> BallotRejected malformed), then
// verify_ballot_var.
VerifiedBallot verify_ballot_text_var(const ElectionContext& context, const Roll& roll,
                                      std::string_view text);

// What the voter's device keeps to open the ballot in a Benaloh challenge. SECRET.
struct ContestOpening {
  Selection selection;
  std::vector<crypto::Scalar> randomness;
};

// The voter's choices encrypted, before the voter decides to cast or challenge: the
// ciphertexts and the tracking code that commits to them and to the election alone (no voter
// identity, no proof, no signature yet).
struct EncryptedChoices {
  Json contests;  // [{"contest_id", "ciphertexts"}] in manifest order (public)
  crypto::Digest tracking_hash{};
  std::string tracking_code;
  std::vector<crypto::CiphertextVector> ciphertexts;  // manifest order
  crypto::Bytes seed;                                 // SECRET: derives every randomness
  std::vector<ContestOpening> openings;               // SECRET unless challenged
};

// A cast ballot: the signed ballot and the encryption it was made from.
struct EncryptedBallot {
  Json ballot;            // the signed ballot (public)
  crypto::Digest hash{};  // ballot_hash
  EncryptedChoices encrypted;
};

// Returns the encryption randomness r of ciphertext j of contest i:
// hash_to_scalar(context_hash || seed || u32(i) || u32(j), "HAAL-V2-BALLOT-RANDOMNESS")
// (docs/ballots.md section 7). Precondition: seed.size() == kBallotSeedLength. Throws
// std::invalid_argument in the negligible case r = 0. Constant time in the seed up to GMP's
// reduction (docs/crypto.md).
crypto::Scalar ballot_randomness(const ElectionContext& context, crypto::ByteView seed,
                                 std::size_t contest_index, std::size_t j);

// Encrypts `choices` (every contest, each a valid selection; throws std::invalid_argument
// naming the contest otherwise) with the randomness derived from `seed`. Constant time in the
// randomness; message embedding is variable time (docs/crypto.md).
EncryptedChoices encrypt_choices_from_seed_var(const ElectionContext& context,
                                               const BallotChoices& choices, crypto::ByteView seed);

// Same, with a fresh seed of kBallotSeedLength bytes from `rng`.
EncryptedChoices encrypt_choices_var(const ElectionContext& context, const BallotChoices& choices,
                                     crypto::RandomSource& rng);

// Returns the signed ballot casting `encrypted` under `credential`: the proofs of knowledge of
// the randomness, bound to the credential (nonces from `rng`), and the Ed25519 signature. The
// credential must belong to this election; 1 <= sequence <= kMaxSequence (throws
// std::invalid_argument otherwise). Constant time in the randomness and the key.
Json cast_ballot(const ElectionContext& context, const Credential& credential,
                 const EncryptedChoices& encrypted, std::uint64_t sequence,
                 crypto::RandomSource& rng);

// encrypt_choices_var then cast_ballot, drawing from `rng` in the order docs/ballots.md gives.
// Constant time in the randomness and the key; variable time in the choices (message embedding).
EncryptedBallot encrypt_ballot_var(const ElectionContext& context, const Credential& credential,
                                   const BallotChoices& choices, std::uint64_t sequence,
                                   crypto::RandomSource& rng);

// Returns the tracking object of a ballot's or a challenge's contests: canonical JSON input
// {"type":"haal-tracking-v1","election_id","context_hash","contests":[{"contest_id",
// "ciphertexts"}]} keeping only those two members of each contest. Precondition: `contests` is
// an array of objects holding both (shape-checked).
Json tracking_object(const std::string& election_id, const std::string& context_hash_hex,
                     const Json& contests);

// Returns tracking_hash = SHA-256(canonical JSON of tracking_object(...)).
crypto::Digest tracking_hash(const std::string& election_id, const std::string& context_hash_hex,
                             const Json& contests);

// Returns the proof binding of one contest: canonical JSON bytes of
// {"type":"haal-ballot-contest-v1","context_hash":hex,"credential":hex,"contest_id":id}.
crypto::Bytes contest_proof_binding(const ElectionContext& context, crypto::ByteView credential,
                                    const std::string& contest_id);

// Returns the bytes the voter signs: canonical JSON of the object without its "signature".
// Precondition: `signed_object` is a JSON object.
crypto::Bytes signed_bytes(const Json& signed_object);

// Returns ballot_hash = SHA-256(canonical JSON bytes of the whole signed ballot).
crypto::Digest ballot_hash(const Json& ballot);

}  // namespace haal::election
