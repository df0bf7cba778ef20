// Threshold ElGamal decryption with the ceremony's shares (Y. Desmedt, Y. Frankel, "Threshold
// cryptosystems", CRYPTO 1989; proofs as in R. Cramer, R. Gennaro, B. Schoenmakers, "A secure
// and optimally efficient multi-authority election scheme", EUROCRYPT 1997, section 2.3):
//   trustee i publishes D_{i,k} = alpha_k^{s_i} for every ciphertext k, and one Chaum-Pedersen
//   proof for the whole list, batched with random 128-bit weights r_k derived by hashing the
//   list (small-exponent batch verification: M. Bellare, J. Garay, T. Rabin, "Fast batch
//   verification for modular exponentiation and digital signatures", EUROCRYPT 1998; the same
//   batching as Verificatum's proofs of decryption factors, [VMNV] section 8.4):
//     log_g(VK_i) = log_A(D)  with  A = prod_k alpha_k^{r_k},  D = prod_k D_{i,k}^{r_k};
//   a wrong D_{i,k} survives with probability at most 2^-128.
//   Anyone combines any t valid trustees:  m_k = beta_k / prod_i D_{i,k}^{lambda_i}, with
//   lambda_i the Lagrange coefficients at 0 of the chosen trustees' indices.
// The proof uses ProofContext{election_hash = context_hash (of context.json), binding =
// "partial-decryption/trustee:<i>/batch:<hex seed>"}. File layout in docs/ceremony.md.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "ceremony/result.hpp"
#include "ceremony/trustee_store.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/elgamal.hpp"
#include "crypto/proof_chaum_pedersen.hpp"

namespace haal::ceremony {

// One trustee's partial decryptions of a list of ciphertexts, signed with its identity key.
struct PartialDecryptionSet {
  std::string election_id;
  Digest context_hash{};
  std::uint32_t trustee = 0;
  Digest alphas_hash{};         // alphas_hash(alphas): which list was decrypted
  std::vector<Element> values;  // D_k = alpha_k^{s_i}
  // The batch proof log_g(VK_i) = log_A(D); absent iff `values` is empty.
  std::optional<crypto::ChaumPedersenProof> proof;
  Bytes signature;  // Ed25519 over partial_decryptions_signed_bytes
};

// SHA-256(LP("HAAL-V1-ALPHAS") || u64_be(count) || encode(alpha_0) || ... ).
Digest alphas_hash(const Group& group, std::span<const Element> alphas);
// SHA-256(LP("HAAL-V2-PARTIAL-VALUES") || u64_be(count) || encode(D_0) || ... ).
Digest partial_values_hash(const Group& group, std::span<const Element> values);
// SHA-256(LP("HAAL-V2-DECRYPTION-BATCH") || LP(context_hash) || u32_be(trustee) ||
// LP(alphas_hash) || LP(partial_values_hash)): seeds the batching weights.
Digest decryption_batch_seed(const PartialDecryptionSet& set, const Digest& values_hash);
// r_k = OS2IP(first 16 bytes of SHA-256(seed || u64_be(k))), k = 0..count-1 (128-bit weights).
std::vector<Scalar> decryption_batch_weights(const Group& group, const Digest& seed,
                                             std::size_t count);
// "partial-decryption/trustee:<i>/batch:<hex seed>"
std::string partial_decryption_binding(std::uint32_t trustee, const Digest& seed);
// LP("HAAL-V2-PARTIAL-DECRYPTIONS") || LP(election_id) || LP(context_hash) || u32_be(trustee) ||
// LP(alphas_hash) || LP(partial_values_hash) || LP(encode(c) || encode(z), or empty: no proof).
Bytes partial_decryptions_signed_bytes(const Group& group, const PartialDecryptionSet& set);

// Returns trustee `secrets.trustee`'s signed partial decryptions of `alphas`, computed on all
// cores. Constant time in the share. Preconditions: secrets.share is set and matches
// `keys.verification_key`; context_hash has 32 bytes.
PartialDecryptionSet compute_partial_decryptions(const Group& group, const std::string& election_id,
                                                 ByteView context_hash,
                                                 const TrusteeSecrets& secrets,
                                                 const TrusteeKeys& keys,
                                                 std::span<const Element> alphas,
                                                 base::Progress* progress = nullptr);

// Returns the partial-decryption file object (docs/ceremony.md section 11).
Json partial_decryptions_to_json(const Group& group, const PartialDecryptionSet& set);
// Parses strictly; every element is membership-checked. Throws FormatError naming the field.
PartialDecryptionSet partial_decryptions_from_json(const Group& group, const Json& j,
                                                   const std::string& path);

// Why a trustee's partial decryptions are rejected: the trustee, the first bad ciphertext index
// (when the fault is in one entry) and the reason.
struct PartialDecryptionFault {
  std::uint32_t trustee = 0;
  std::optional<std::size_t> index;
  std::string reason;
  // Returns "partial decryptions of trustee <i> rejected[ at ciphertext <k>]: <reason>".
  std::string message() const;
};

// Returns nullopt iff `set` is valid against the ceremony result: the trustee is qualified, the
// signature verifies under its identity key, election id, context hash and alphas hash match,
// there is one partial per alpha, and the batch proof verifies against its verification key.
// Otherwise the fault (a bad batch proof names no index: it rejects the whole set). Runs on all
// cores. Variable time (public data).
std::optional<PartialDecryptionFault> check_partial_decryptions_var(
    const CeremonyResult& result, ByteView context_hash, std::span<const Element> alphas,
    const PartialDecryptionSet& set, base::Progress* progress = nullptr);

// Returns beta_k / prod_i D_{i,k}^{lambda_i} for every ciphertext, from exactly the given sets.
// Preconditions: the sets were checked with check_partial_decryptions_var for these
// ciphertexts' alphas, come from distinct trustees, and number exactly t. Throws
// std::invalid_argument otherwise (count or repeated trustee). Runs on all cores.
std::vector<Element> combine_partial_decryptions_var(
    const CeremonyResult& result, std::span<const crypto::Ciphertext> ciphertexts,
    std::span<const PartialDecryptionSet* const> sets, base::Progress* progress = nullptr);

struct ThresholdDecryption {
  std::vector<Element> plaintexts;
  std::vector<std::uint32_t> trustees_used;      // ascending, exactly t
  std::vector<PartialDecryptionFault> rejected;  // every candidate set that failed its check
};

// Checks every candidate set, names the bad ones, and combines the first t valid ones (lowest
// trustee indices). Throws CeremonyError listing the rejected trustees when fewer than t
// distinct trustees are valid.
ThresholdDecryption threshold_decrypt_var(const CeremonyResult& result, ByteView context_hash,
                                          std::span<const crypto::Ciphertext> ciphertexts,
                                          std::span<const PartialDecryptionSet> candidates,
                                          std::ostream* progress_out = nullptr);

}  // namespace haal::ceremony
