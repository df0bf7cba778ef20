// One trustee's side of the key ceremony (Pedersen's DKG / joint-Feldman, as in the
// ElectionGuard 2.x key ceremony; R. Gennaro, S. Jarecki, H. Krawczyk, T. Rabin, "Secure
// distributed key generation for discrete-log based cryptosystems", J. Cryptology 20, 2007,
// section 4). Each step reads the public messages it needs from the board, checks them, and
// publishes the trustee's next message. Steps say on `log` what they received, verified and
// still miss. The order of the rounds and every message layout: docs/ceremony.md.
#pragma once

#include <ostream>

#include "ceremony/board.hpp"
#include "ceremony/result.hpp"
#include "ceremony/trustee_store.hpp"

namespace haal::ceremony {

// Round 0: publishes the trustee's identity (Ed25519 signing key, X25519 encryption key).
void publish_identity(const CeremonyParameters& params, const CeremonyBoard& board,
                      const TrusteeSecrets& secrets, std::ostream& log);

// Round 1a: once every identity is published, draws the polynomial (kept in `secrets`; the
// caller must save them) and publishes the hash commitment to its coefficient commitments.
// Re-running after a successful commit republishes the same message.
void commit_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  TrusteeSecrets& secrets, crypto::RandomSource& rng, std::ostream& log);

// Round 1b: once every trustee's hash commitment is published (so none can still adapt its
// polynomial), publishes the coefficient commitments and Schnorr proofs.
void reveal_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  const TrusteeSecrets& secrets, crypto::RandomSource& rng, std::ostream& log);

// Round 2: publishes f_i(j) for every other trustee j, encrypted to j's X25519 key.
void shares_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  const TrusteeSecrets& secrets, std::ostream& log);

// Round 3a: checks every reveal and every share received against the senders' commitments and
// publishes the complaint statement (possibly empty). Needs all reveals and shares unless
// allow_missing.
void verify_shares_round(const CeremonyParameters& params, const CeremonyBoard& board,
                         const TrusteeSecrets& secrets, bool allow_missing, std::ostream& log);

// Round 3b: reveals, in the clear, each share this trustee sent to a trustee who complained
// about it, and publishes the answer (possibly empty). Needs all complaint statements unless
// allow_missing.
void answer_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  const TrusteeSecrets& secrets, bool allow_missing, std::ostream& log);

// Finalize: computes (or checks) result.json, derives this trustee's secret share
// s_j = sum_{i qualified} f_i(j), checks g^{s_j} against its published verification key, stores
// it in `secrets` and drops the coefficients (the caller must save). Throws CeremonyError if
// the trustee was disqualified.
CeremonyResult finalize_round(const CeremonyParameters& params, const CeremonyBoard& board,
                              TrusteeSecrets& secrets, bool allow_missing, std::ostream& log);

// Returns the share f_i(j) trustee j received from trustee i, checked against i's
// commitments, or nullopt with the complaint reason in `complaint` when it is not a valid
// share. Uses i's revealed share when i answered a complaint by j.
std::optional<Scalar> received_share(const CeremonyParameters& params,
                                     const TrusteeMessages& sender, const TrusteeSecrets& secrets,
                                     std::string* complaint);

}  // namespace haal::ceremony
