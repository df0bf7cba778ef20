// The Terelius-Wikstrom proof of a shuffle of ElGamal ciphertexts (B. Terelius, D. Wikstrom,
// "Proofs of restricted shuffles", AFRICACRYPT 2010, section 3 and appendix), made
// non-interactive exactly as the Verificatum mix-net does it (verifier specification,
// Algorithm 19 "Verifier of Shuffle"): batching vector from a PRG seeded by a random-oracle
// query on the instance, challenge from a random-oracle query on the seed and the commitment.
#pragma once

#include <string>
#include <vector>

#include "crypto/random_source.hpp"
#include "mixnet/ciphertexts.hpp"
#include "mixnet/haal_profile.hpp"

namespace haal::mixnet {

// Security parameters (from protInfo.xml; Haal's profile by default) and the session prefix rho.
struct ProofParams {
  unsigned n_r = profile::kStatdist;   // statdist: statistical distance of derived values
  unsigned n_v = profile::kVbitlenro;  // vbitlenro: challenge bits
  unsigned n_e = profile::kEbitlenro;  // ebitlenro: bits of each batching-vector component
  Bytes rho;
};

// The public instance: N input and N output ciphertexts of width w under (g, y), and the N
// independent generators h.
struct ShuffleInstance {
  const crypto::Group* group = nullptr;
  ProofParams params;
  const ElementArray* h = nullptr;
  Bytes y;
  const CiphertextList* input = nullptr;
  const CiphertextList* output = nullptr;
};

// PoSCommitment.bt: node(B[N], A', B'[N], C', D', F').
struct PosCommitment {
  ElementArray B;
  Bytes Ap;
  ElementArray Bp;
  Bytes Cp;
  Bytes Dp;
  WideCiphertext Fp;
};

// PoSReply.bt: node(k_A, k_B[N], k_C, k_D, k_E[N], k_F) (k_F a node of w scalars if w > 1).
struct PosReply {
  mpz_class k_A;
  std::vector<mpz_class> k_B;
  mpz_class k_C;
  mpz_class k_D;
  std::vector<mpz_class> k_E;
  std::vector<mpz_class> k_F;
};

struct ShuffleProof {
  ElementArray u;  // PermutationCommitment.bt: the permutation commitment
  PosCommitment commitment;
  PosReply reply;
};

// The secret of a shuffle: output[j] = ReEnc(input[sigma[j]], s[k][j]) in component k.
struct ShuffleWitness {
  ShuffleWitness() = default;
  ShuffleWitness(const ShuffleWitness&) = delete;
  ShuffleWitness& operator=(const ShuffleWitness&) = delete;
  ~ShuffleWitness();  // overwrites the permutation and the randomness
  std::vector<std::size_t> sigma;
  std::vector<std::vector<SecretScalar>> s;
};

// Intermediate values of a verification, as `vmnv -t` prints them.
struct PosTrace {
  Bytes seed;
  std::vector<mpz_class> e;
  Bytes A;
  WideCiphertext F;
  mpz_class v;
  Bytes C;
  Bytes D;
};

// Returns n independent generators: PRG seeded by RO_256(rho | leaf("generators")), then the
// group's randomElementArray with statistical distance n_r.
ElementArray derive_generators(const crypto::Group& group, ByteView rho, unsigned n_r,
                               std::size_t n);

// Returns a uniform random permutation of [0, n) (Fisher-Yates with unbiased indices).
std::vector<std::size_t> random_permutation(std::size_t n, crypto::RandomSource& rng);
// Returns a uniform random integer in [0, q) (q + 128 random bits reduced mod q).
mpz_class random_scalar(const mpz_class& q, crypto::RandomSource& rng);

// Re-encrypts and permutes `input` under (g, y): returns the output and fills the witness. The
// re-encryption exponentiations are constant time in the witness.
CiphertextList shuffle_ciphertexts(const crypto::Group& group, ByteView y,
                                   const CiphertextList& input, ShuffleWitness& witness,
                                   crypto::RandomSource& rng);

// Produces the proof that instance.output is a shuffle of instance.input. Precondition: the
// witness matches (checked only through the proof verifying). N >= 1. Every secret exponent
// (the witness, the commitment randomness r, b, beta, eps, alpha, gamma, delta, phi and the
// permuted batching vector) goes only through constant-time exponentiations.
ShuffleProof prove_shuffle(const ShuffleInstance& instance, const ShuffleWitness& witness,
                           crypto::RandomSource& rng);

// Verifies a proof. Returns "" when it holds, else the name of the failed check. Fills `trace`
// (if given) with the derived values. N >= 1.
std::string verify_shuffle(const ShuffleInstance& instance, const ShuffleProof& proof,
                           PosTrace* trace = nullptr);

// Byte-tree codecs of the proof files. Parsing is strict: sizes N and w are enforced and every
// element is membership-checked.
Bytes write_permutation_commitment(const crypto::Group& group, const ElementArray& u);
ElementArray read_permutation_commitment(const crypto::Group& group, ByteView file, std::size_t n,
                                         std::string_view source);
void write_pos_commitment(const crypto::Group& group, ByteTreeWriter& w, const PosCommitment& c);
PosCommitment read_pos_commitment(const crypto::Group& group, ByteView file, std::size_t n,
                                  std::size_t width, std::string_view source);
Bytes write_pos_reply(const crypto::Group& group, const PosReply& reply);
PosReply read_pos_reply(const crypto::Group& group, ByteView file, std::size_t n, std::size_t width,
                        std::string_view source);

}  // namespace haal::mixnet
