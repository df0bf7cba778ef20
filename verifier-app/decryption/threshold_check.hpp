// Stage 7's cryptographic checks, re-implemented from docs/ceremony.md section 11 for the
// verifier: a trustee's signed partial decryptions of the mixed list (one Chaum-Pedersen proof
// per ciphertext, bound to the election context, the trustee and the index), and their
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

// decrypt/<contest>/trustee-<i>.json, format "haal-partial-decryptions-v1".
struct PartialDecryptionFile {
  std::string election_id;
  Bytes context_hash;  // 32 bytes
  std::uint32_t trustee = 0;
  Bytes alphas_hash;  // 32 bytes
  std::vector<Element> values;
  std::vector<crypto::ChaumPedersenProof> proofs;
  Bytes signature;  // 64 bytes
};

// Parses strictly (every field, no unknown field, elements membership-checked; the partials on
// `threads` threads). Throws crypto::FormatError naming the field path under `path` (with
// several bad partials, the one a thread met first).
PartialDecryptionFile parse_partial_decryptions(const crypto::Group& group, const crypto::Json& j,
                                                const std::string& path, unsigned threads = 1);

// SHA-256(LP("HAAL-V1-ALPHAS") || u64_be(N) || encode(alpha_0) || ... || encode(alpha_{N-1})).
crypto::Digest alphas_hash(const crypto::Group& group, std::span<const Element> alphas);

// The bytes the trustee signs: LP("HAAL-V1-PARTIAL-DECRYPTIONS") || LP(election_id) ||
// LP(context_hash) || u32_be(i) || LP(alphas_hash) || LP(SHA-256(u64_be(N) || for each k:
// encode(D_k) || encode(c_k) || encode(z_k))).
Bytes partial_decryptions_signed_bytes(const crypto::Group& group,
                                       const PartialDecryptionFile& file);

// "partial-decryption/trustee:<i>/ciphertext:<k>"
std::string partial_binding(std::uint32_t trustee, std::size_t index);

struct PartialCheck {
  std::string failure;               // "" when valid
  std::optional<std::size_t> index;  // the lowest bad ciphertext index, for a bad proof
  bool ok() const { return failure.empty(); }
};

// Checks one trustee's file against the expected trustee, election, context, ciphertexts,
// verification key VK_i and Ed25519 signing key: the header fields, N partials, alphas_hash,
// the signature, and every proof log_g(VK_i) = log_alpha_k(D_k). Proofs are checked on
// `threads` threads. Variable time.
PartialCheck check_partial_decryptions(const crypto::Group& group,
                                       const PartialDecryptionFile& file,
                                       std::uint32_t expected_trustee,
                                       const std::string& election_id, const Bytes& context_hash,
                                       std::span<const Element> alphas,
                                       const Element& verification_key, const Bytes& signing_key,
                                       unsigned threads, std::ostream* progress);

// Lagrange coefficients at 0 for the distinct 1-based indices S:
// lambda_i = prod_{j in S, j != i} j / (j - i) mod q. Throws on duplicates or zero indices.
std::vector<crypto::Scalar> lagrange_at_zero(const crypto::ScalarField& field,
                                             const std::vector<std::uint32_t>& indices);

// m_k = beta_k / prod_{i in S} D_{i,k}^{lambda_i}, for every k. Preconditions: one partial list
// per index of S, each of betas.size() elements. Runs on `threads` threads. Variable time.
std::vector<Element> combine_partials(const crypto::Group& group,
                                      const std::vector<std::uint32_t>& indices,
                                      const std::vector<const std::vector<Element>*>& partials,
                                      std::span<const Element> betas, unsigned threads,
                                      std::ostream* progress);

}  // namespace haal::verifier::decryption
