// Verification of one mix server's proof of a shuffle: the Terelius-Wikstrom proof (B. Terelius,
// D. Wikstrom, "Proofs of restricted shuffles", AFRICACRYPT 2010) made non-interactive as in
// Verificatum (D. Wikstrom, "How To Implement A Stand-Alone Verifier for the Verificatum
// Mix-Net", Algorithm "Verifier of Shuffle"). Written for the verifier from the specification;
// shares no code with mixnet/. Equations and hashed bytes: docs/verifier-mixing.md section 6.
#pragma once

#include <gmpxx.h>

#include <span>
#include <string>
#include <vector>

#include "verifier-app/shuffle/proof_files.hpp"

namespace haal::verifier::shuffle {

// The public instance of one shuffle.
struct ShuffleInstance {
  const VmnGroup* group = nullptr;
  Bytes rho;                              // prefix of every random-oracle query
  unsigned n_e = 256;                     // bits of each batching-vector component (ebitlenro)
  unsigned n_v = 256;                     // bits of the challenge (vbitlenro)
  const ArrayView* generators = nullptr;  // h_0 .. h_{N-1}
  crypto::Element y;                      // public key
  const CiphertextListView* input = nullptr;
  const CiphertextListView* output = nullptr;
  Workers workers;
};

// Values derived while verifying (what `vmnv -t` prints as PoS.s, A, F, v, C, D).
struct ShuffleTrace {
  Bytes seed;
  crypto::Element A;
  WideCiphertext F;
  mpz_class v;
  crypto::Element C;
  crypto::Element D;
};

// Verifies `proof` for `instance`. Returns "" when all five equations hold, otherwise the name
// of the first failing equation. Throws VmnFormatError for an element that is not a group
// member (decoded during the computation) and std::invalid_argument for inconsistent sizes.
// Runs on instance.workers (threads, progress). Variable time.
std::string verify_shuffle_var(const ShuffleInstance& instance, const ShuffleProof& proof,
                               ShuffleTrace* trace = nullptr);

// Verifies the proofs of consecutive mix servers of one session together: server l + 1's input
// list is server l's output list (the same CiphertextListView object) and all share group, rho,
// n_e, n_v, generators and key. Equations (2)-(4) are checked per server; equations (1) and (5)
// of all servers are combined with random 128-bit weights (small-exponent batch verification:
// M. Bellare, J. Garay, T. Rabin, EUROCRYPT 1998), so the generators and every intermediate list
// enter one multi-exponentiation instead of one per server that reads them (about a quarter
// less work for three servers); a false equation passes with probability at most 2^-128. When a
// combined check fails, every server is verified alone (verify_shuffle_var) so that the failure
// names the server and the equation. Returns one result per server ("" when its proof holds).
// Throws as verify_shuffle_var, and std::invalid_argument when the servers are not such a chain.
// Runs on servers[0].workers. Variable time.
std::vector<std::string> verify_shuffle_chain_var(std::span<const ShuffleInstance> servers,
                                                  std::span<const ShuffleProof> proofs);

// The batching seed RO_256(rho | node(g, h, u, pk, w, w')) and the challenge
// RO_{n_v}(rho | node(leaf(seed), commitment)) (exposed for the test vectors).
Bytes batching_seed(const ShuffleInstance& instance, const ArrayView& u);
mpz_class challenge(const ShuffleInstance& instance, ByteView seed,
                    const PosCommitment& commitment);

}  // namespace haal::verifier::shuffle
