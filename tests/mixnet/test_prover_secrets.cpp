// The prover's secrets reach only constant-time exponentiation: the secret exponent type is
// refused by the variable-time (`_var`) functions at compile time, and moving the secrets to
// the constant-time code left the prover's output unchanged byte for byte.
#include <catch2/catch.hpp>
#include <span>
#include <type_traits>

#include "crypto/exp_path_counts.hpp"
#include "crypto/modp_arith.hpp"
#include "crypto/sha256.hpp"
#include "mixnet/shuffle_proof.hpp"

using namespace haal::mixnet;
namespace crypto = haal::crypto;

namespace {

// A deterministic shuffle of n ciphertexts of `width` (inputs g^(3+i+7k), g^(11+ik)) and its
// proof, from randomness seeded by `label`; the proof is checked before it is returned.
struct DeterministicProof {
  CiphertextList output;
  ShuffleProof proof;
};
DeterministicProof deterministic_proof(const crypto::Group& g, std::size_t n, std::size_t width,
                                       const std::string& label) {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes(label));
  const Bytes y = g.exp_var(g.generator_compact(), mpz_class(987654321));
  CiphertextList input(g, width, n);
  for (std::size_t k = 0; k < width; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      input.u[k].set(i, g.exp_var(g.generator_compact(),
                                  mpz_class(static_cast<unsigned long>(3 + i + 7 * k))));
      input.v[k].set(
          i, g.exp_var(g.generator_compact(), mpz_class(static_cast<unsigned long>(11 + i * k))));
    }
  }
  ShuffleWitness witness;
  DeterministicProof out{shuffle_ciphertexts(g, y, input, witness, rng), {}};
  ProofParams params;
  params.rho = Bytes(32, 0x5a);
  const ElementArray h = derive_generators(g, params.rho, params.n_r, n);
  const ShuffleInstance inst{&g, params, &h, y, &input, &out.output};
  out.proof = prove_shuffle(inst, witness, rng);
  REQUIRE(verify_shuffle(inst, out.proof).empty());
  return out;
}

// SHA-256 of the output list and the three proof files of one deterministic shuffle and proof.
std::string proof_digest(const std::string& group_name, std::size_t n, std::size_t width) {
  const crypto::Group& g = crypto::group_by_name(group_name);
  const DeterministicProof p = deterministic_proof(g, n, width, "prover-golden-" + group_name);
  crypto::Sha256 hash;
  hash.update(ciphertexts_file(g, p.output));
  hash.update(write_permutation_commitment(g, p.proof.u));
  BufferSink sink;
  ByteTreeWriter w(sink);
  write_pos_commitment(g, w, p.proof.commitment);
  hash.update(sink.bytes);
  hash.update(write_pos_reply(g, p.proof.reply));
  const crypto::Digest d = hash.finish();
  return crypto::to_hex(crypto::ByteView(d.data(), d.size()));
}

}  // namespace

// The variable-time functions do not accept a secret exponent (compile-time checks).
template <typename K>
concept ExpVarAccepts = requires(const crypto::Group& g, ByteView b, const K& k) {
  g.exp_var(b, k);
};
template <typename K>
concept MultiExpVarAccepts = requires(const crypto::Group& g, const ElementArray& a,
                                      std::span<const K> k) {
  g.multi_exp_var(a, k);
};
template <typename K>
concept ExpCtAccepts = requires(const crypto::Group& g, ByteView b, const K& k) {
  g.exp(b, k);
};
static_assert(ExpVarAccepts<mpz_class>);
static_assert(!ExpVarAccepts<SecretScalar>);
static_assert(MultiExpVarAccepts<mpz_class>);
static_assert(!MultiExpVarAccepts<SecretScalar>);
static_assert(ExpCtAccepts<SecretScalar>);
static_assert(!ExpCtAccepts<mpz_class>);  // nor does a public integer become secret silently
static_assert(!std::is_convertible_v<SecretScalar, mpz_class>);
// The constant-time batch operations of the group layer take secrets only.
template <typename K>
concept MultiExpAccepts = requires(const crypto::Group& g, const ElementArray& a,
                                   std::span<const K> k) {
  g.multi_exp(a, k, 0);
};
template <typename K>
concept ExpCombineAccepts = requires(const crypto::Group& g, const crypto::FixedBase& t,
                                     std::span<const K> k, ElementArray& out) {
  g.exp_combine(t, k, nullptr, k, nullptr, out);
};
static_assert(MultiExpAccepts<SecretScalar>);
static_assert(!MultiExpAccepts<mpz_class>);
static_assert(ExpCombineAccepts<SecretScalar>);
static_assert(!ExpCombineAccepts<mpz_class>);
// The same for the mod-p arithmetic under crypto::Group (crypto/modp_arith.hpp): the variable-time
// table and multi-exponentiation take public integers only; the secret ones go through the
// constant-time exp and modp_multi_exp.
template <typename K>
concept TableExpVarAccepts = requires(const crypto::ModpFixedBaseTable& t, const K& k) {
  t.exp_var(k);
};
template <typename K>
concept ModpMultiExpVarAccepts = requires(const crypto::MontModulus& m,
                                          std::span<const mpz_class> b, std::span<const K> k) {
  crypto::modp_multi_exp_var(m, b, k);
};
static_assert(TableExpVarAccepts<mpz_class>);
static_assert(!TableExpVarAccepts<SecretScalar>);
static_assert(ModpMultiExpVarAccepts<mpz_class>);
static_assert(!ModpMultiExpVarAccepts<SecretScalar>);
static_assert(std::is_same_v<decltype(ShuffleWitness::s), std::vector<std::vector<SecretScalar>>>);

TEST_CASE("The prover's output is unchanged by the constant-time exponentiations",
          "[mixnet][shuffle][secrets]") {
  // Digests computed with the prover of commit d99b063 (secrets in variable-time
  // multi-exponentiations), the same deterministic randomness and inputs: the constant-time
  // code computes the same group elements, so every byte of the shuffle and proof is equal.
  // N = 6 uses single-point multiplications for h_0, N = 300 OpenSSL's precomputed tables.
  CHECK(proof_digest("P-256", 6, 2) ==
        "51c329c309f57b7928663b7ea8e2d5031ed64bbf25facbe5b5811abf201bcf88");
  CHECK(proof_digest("P-256", 300, 1) ==
        "f49104100f00762393adaf041cfd25c3ef8e892b006dd3adae65488aa21ea634");
  // mod-p: the randomizers eps_j have n_e + n_v + n_r bits since they were shortened (they
  // were uniform mod q before), so these digests were recomputed then; every earlier mod-p
  // digest had matched the prover of d99b063 (mpz_powm_sec per exponentiation). They cover
  // the fixed-base tables (from 64 uses of a base: N = 70 and 40) and the Straus
  // multi-exponentiation of A' and F' (crypto/modp_arith.hpp), width 2 and modp-3072.
  CHECK(proof_digest("modp-2048", 3, 1) ==
        "2cc02922a9ea104abbe0df05404ddad8f19ee4c2d3837338d4655abef5c0d8bd");
  CHECK(proof_digest("modp-2048", 70, 2) ==
        "23a2efcc5729783272635c59f00c82ac10930c6996777135b3b42064d55b1f51");
  CHECK(proof_digest("modp-3072", 40, 1) ==
        "226a9c1cf57bf22f0505182a7b7f50681cf9783967d23eed1269e4c3b050b242");
}

TEST_CASE("The randomizers eps have n_e + n_v + n_r bits where that is below bits(q)",
          "[mixnet][shuffle][secrets]") {
  // k_E,j = v e'_j + eps_j < 2^(n_v + n_e) + 2^(n_e + n_v + n_r) on mod-p, so no k_E,j has more
  // than n_e + n_v + n_r + 1 bits, and most have exactly n_e + n_v + n_r; on P-256 (bits(q) =
  // 256 < 612) eps_j is uniform mod q and so is k_E,j.
  for (const std::string name : {"modp-2048", "P-256"}) {
    const crypto::Group& g = crypto::group_by_name(name);
    const ShuffleProof proof = deterministic_proof(g, 40, 1, "eps-bits-" + name).proof;
    const ProofParams params;
    const std::size_t bound = std::size_t{params.n_e} + params.n_v + params.n_r;
    std::size_t longest = 0;
    for (const mpz_class& k : proof.reply.k_E) {
      longest = std::max(longest, mpz_sizeinbase(k.get_mpz_t(), 2));
    }
    INFO(name);
    if (name == "P-256") {
      CHECK(longest > 240);
      CHECK(longest <= 256);
    } else {
      CHECK(longest >= bound - 8);
      CHECK(longest <= bound + 1);
    }
  }
}

TEST_CASE("Constant-time and variable-time exponentiations agree", "[mixnet][secrets]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("ct-var-agree"));
  for (const auto& [name, n] : {std::pair<std::string, std::size_t>{"P-256", 5},
                                {"modp-2048", 5},
                                {"modp-2048", 130},
                                {"modp-3072", 9}}) {
    const crypto::Group& g = crypto::group_by_name(name);
    ElementArray bases(g.stride(), n);
    std::vector<mpz_class> pub(n);
    std::vector<SecretScalar> sec(n);
    for (std::size_t i = 0; i < n; ++i) {
      bases.set(i, g.exp_var(g.generator_compact(), random_scalar(g.order(), rng)));
      pub[i] = random_scalar(g.order(), rng);
      sec[i] = SecretScalar(pub[i]);
    }
    bases.set(2, g.identity_compact());  // the identity as a base
    pub[3] = 0;                          // and a zero exponent
    sec[3] = SecretScalar(0);
    INFO(name << ", " << n << " bases");
    CHECK(g.multi_exp(bases, sec, 0) == g.multi_exp_var(bases, pub));
    CHECK(g.exp(bases.view(0), sec[0]) == g.exp_var(bases.view(0), pub[0]));
    CHECK(g.exp(bases.view(1), sec[3]) == g.identity_compact());
    CHECK_FALSE(g.multi_exp(bases, sec, 0) == g.multi_exp_var(bases, std::vector<mpz_class>(n, 1)));
  }
}

TEST_CASE("The mod-p shuffle and prover exponentiate on the constant-time path only",
          "[mixnet][shuffle][secrets]") {
  // Everything the shuffle and the prover exponentiate has a secret exponent (the public batching
  // vector and challenge enter only through the secret-dependent replies), so no call may take
  // the variable-time path (crypto/exp_path_counts.hpp counts the calls). N = 70 uses the tables.
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("ct-path-count"));
  const crypto::Group& g = crypto::group_by_name("modp-2048");
  const std::size_t n = 70;
  const Bytes y = g.exp_var(g.generator_compact(), mpz_class(1234567));
  CiphertextList input(g, 1, n);
  for (std::size_t i = 0; i < n; ++i) {
    input.u[0].set(i, g.exp_var(g.generator_compact(), random_scalar(g.order(), rng)));
    input.v[0].set(i, g.exp_var(g.generator_compact(), random_scalar(g.order(), rng)));
  }
  ProofParams params;
  params.rho = Bytes(32, 0x17);
  const ElementArray h = derive_generators(g, params.rho, params.n_r, n);
  const crypto::ExpPathCounts before = crypto::exp_path_counts();
  ShuffleWitness witness;
  const CiphertextList output = shuffle_ciphertexts(g, y, input, witness, rng);
  const ShuffleInstance inst{&g, params, &h, y, &input, &output};
  const ShuffleProof proof = prove_shuffle(inst, witness, rng);
  const crypto::ExpPathCounts after = crypto::exp_path_counts();
  CHECK(after.variable_time == before.variable_time);
  CHECK(after.constant_time >= before.constant_time + 7 * n);  // 7 fixed-base per ciphertext
  // The verifier's exponents are public: it takes the variable-time path.
  CHECK(verify_shuffle(inst, proof).empty());
  CHECK(crypto::exp_path_counts().variable_time > after.variable_time);
}
