// Ballots: built, encrypted, proved and signed on the voter's device (encrypt_ballot), and
// checked by the collector, the tally and the verifier (verify_ballot). Every field, what is
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

inline constexpr const char* kBallotType = "haal-ballot-v1";
// Sequence numbers are in [1, 2^53 - 1] so JavaScript clients represent them exactly.
inline constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << 53) - 1;

// Why a ballot (or a challenge) is rejected, in the order verify_ballot checks.
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

// A ballot that passed verify_ballot.
struct VerifiedBallot {
  std::string voter_id;
  crypto::Bytes credential;
  std::uint64_t sequence = 0;
  crypto::Digest hash{};                           // ballot_hash
  std::string tracking_code;                       // tracking_code(hash)
  std::vector<crypto::CiphertextVector> contests;  // manifest order, width elements each
};

// Returns the verified ballot, or throws BallotRejected with the first failing check, in this
// order: JSON shape, election, voter on the roll, credential, signature, elements, proofs.
// Variable time (public data).
VerifiedBallot verify_ballot(const ElectionContext& context, const Roll& roll, const Json& ballot);

// Parses ballot text strictly (syntax and duplicate keys -> BallotRejected malformed), then
// verify_ballot.
VerifiedBallot verify_ballot_text(const ElectionContext& context, const Roll& roll,
                                  std::string_view text);

// What the voter's device keeps to open the ballot in a Benaloh challenge. SECRET.
struct ContestOpening {
  Selection selection;
  std::vector<crypto::Scalar> randomness;
};

struct EncryptedBallot {
  Json ballot;  // the signed ballot (public)
  crypto::Digest hash{};
  std::string tracking_code;
  std::vector<ContestOpening> openings;  // SECRET unless the ballot is challenged
};

// Builds, encrypts, proves and signs a ballot. `choices` must name every contest with a valid
// selection (throws std::invalid_argument naming the contest otherwise); `credential` must
// belong to this election; 1 <= sequence <= kMaxSequence. Randomness and proof nonces come
// from `rng` in the order documented in docs/ballots.md. Constant time in the randomness;
// message embedding is variable time (docs/crypto.md).
EncryptedBallot encrypt_ballot(const ElectionContext& context, const Credential& credential,
                               const BallotChoices& choices, std::uint64_t sequence,
                               crypto::RandomSource& rng);

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
