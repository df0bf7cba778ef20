// Stage 7's cryptographic checks, written for the verifier from docs/ceremony.md section 11 and
// docs/verifier-mixing.md 7.1-7.2 alone (no code of ceremony/): a trustee's signed partial
// decryptions of the mixed list (one Chaum-Pedersen proof for the whole list, batched with 128-bit
// weights hashed from the list: Bellare, Garay, Rabin, EUROCRYPT 1998, section 3), and their
// combination by Lagrange interpolation in the exponent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/json_codec.hpp"
#include "crypto/proof_chaum_pedersen.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier::decryption {

using crypto::Bytes;
using crypto::Element;

// decrypt/<contest>/trustee-<i>.json, format "haal-partial-decryptions-v2".
struct PartialDecryptionFile {
  std::string election_id;
  Bytes context_hash;  // 32 bytes
  std::uint32_t trustee = 0;
  Bytes alphas_hash;  // 32 bytes
  std::vector<Element> values;
  std::optional<crypto::ChaumPedersenProof> proof;  // absent iff values is empty
  Bytes signature;                                  // 64 bytes
};

// Parses strictly (every field, no unknown field, elements membership-checked; the partials on
// `threads` threads). Throws crypto::FormatError naming the field path under `path` (with
// several bad partials, the one a thread met first).
PartialDecryptionFile parse_partial_decryptions(const crypto::Group& group, const crypto::Json& j,
                                                const std::string& path, unsigned threads = 1);

// SHA-256(LP("HAAL-V1-ALPHAS") || u64_be(N) || encode(alpha_0) || ... || encode(alpha_{N-1})).
crypto::Digest alphas_hash(const crypto::Group& group, std::span<const Element> alphas);

// SHA-256(LP("HAAL-V2-PARTIAL-VALUES") || u64_be(N) || encode(D_0) || ... || encode(D_{N-1})).
crypto::Digest values_hash(const crypto::Group& group, std::span<const Element> values);

// The bytes the trustee signs: LP("HAAL-V2-PARTIAL-DECRYPTIONS") || LP(election_id) ||
// LP(context_hash) || u32_be(i) || LP(alphas_hash) || LP(values_hash) ||
// LP(encode(c) || encode(z), empty without a proof).
Bytes partial_decryptions_signed_bytes(const crypto::Group& group,
                                       const PartialDecryptionFile& file);

// The batch seed SHA-256(LP("HAAL-V2-DECRYPTION-BATCH") || LP(context_hash) || u32_be(i) ||
// LP(alphas_hash) || LP(values_hash)).
crypto::Digest batch_seed(const PartialDecryptionFile& file, const crypto::Digest& values_digest);

// "partial-decryption/trustee:<i>/batch:<hex seed>"
std::string partial_binding(std::uint32_t trustee, const crypto::Digest& seed);

struct PartialCheck {
  std::string failure;  // "" when valid
  bool ok() const { return failure.empty(); }
};

// Checks one trustee's file against the expected trustee, election, context, ciphertexts,
// verification key VK_i and Ed25519 signing key: the header fields, N partials, alphas_hash,
// the signature, and the batch proof log_g(VK_i) = log_A(D) with A = prod alpha_k^r_k,
// D = prod D_k^r_k and r_k the 128-bit weights from the batch seed (a wrong D_k passes with
// probability at most 2^-128). The products run on `threads` threads. Variable time (public data).
PartialCheck check_partial_decryptions_var(
    const crypto::Group& group, const PartialDecryptionFile& file, std::uint32_t expected_trustee,
    const std::string& election_id, const Bytes& context_hash, std::span<const Element> alphas,
    const Element& verification_key, const Bytes& signing_key, unsigned threads,
    std::ostream* progress);

// Returns the Lagrange coefficients at 0 for the distinct 1-based indices S, in the order of S:
// lambda_i = prod_{j in S, j != i} j / (j - i) mod q. Throws std::invalid_argument on a repeated
// or zero index.
std::vector<crypto::Scalar> lagrange_at_zero(const crypto::ScalarField& field,
                                             const std::vector<std::uint32_t>& indices);

// m_k = beta_k / prod_{i in S} D_{i,k}^{lambda_i}, for every k. Preconditions: one partial list
// per index of S, each of betas.size() elements (else std::invalid_argument). Runs on `threads`
// threads. Variable time (public data).
std::vector<Element> combine_partials_var(const crypto::Group& group,
                                          const std::vector<std::uint32_t>& indices,
                                          const std::vector<const std::vector<Element>*>& partials,
                                          std::span<const Element> betas, unsigned threads,
                                          std::ostream* progress);

}  // namespace haal::verifier::decryption
