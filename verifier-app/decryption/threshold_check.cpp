#include "verifier-app/decryption/threshold_check.hpp"

#include <algorithm>
#include <stdexcept>

#include "crypto/base/parallel.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/group_p256.hpp"

namespace haal::verifier::decryption {

namespace {

using crypto::FormatError;
using crypto::Json;

constexpr std::string_view kFormat = "haal-partial-decryptions-v2";
// Domain tags of docs/ceremony.md section 11.
constexpr std::string_view kAlphasTag = "HAAL-V1-ALPHAS";
constexpr std::string_view kValuesTag = "HAAL-V2-PARTIAL-VALUES";
constexpr std::string_view kSignedTag = "HAAL-V2-PARTIAL-DECRYPTIONS";
constexpr std::string_view kBatchTag = "HAAL-V2-DECRYPTION-BATCH";
// Ciphertexts per block of the batched products (one multi-exponentiation per block and thread).
constexpr std::size_t kProductBlock = 4096;

// Appends LP(data) = u32_be(|data|) || data.
void put_lp(Bytes& out, crypto::ByteView data) {
  crypto::append_length_prefixed(out, data);
}

// encode(e) of a public element (docs/crypto.md section 1). An element decoded from a file is
// affine already, so on P-256 the variable-time encoder skips a field inversion.
Bytes public_encoding(const crypto::Group& group, const Element& e) {
  return group.name() == "P-256" ? crypto::p256_group().encode_var(e) : group.encode(e);
}

// SHA-256(LP(tag) || u64_be(N) || encode(e_0) || ... || encode(e_{N-1})).
crypto::Digest list_digest(const crypto::Group& group, std::string_view tag,
                           std::span<const Element> list) {
  Bytes prefix;
  put_lp(prefix, crypto::to_bytes(tag));
  crypto::append_u64_be(prefix, list.size());
  crypto::Sha256 hash;
  hash.update(prefix);
  for (const Element& e : list) hash.update(public_encoding(group, e));
  return hash.finish();
}

// The weight r_k = OS2IP(SHA-256(seed || u64_be(k))[0..16]), a scalar below 2^128 < q.
crypto::Scalar batch_weight(const crypto::ScalarField& field, const crypto::Digest& seed,
                            std::uint64_t k) {
  Bytes input(seed.begin(), seed.end());
  crypto::append_u64_be(input, k);
  const crypto::Digest h = crypto::sha256(input);
  return field.reduce(crypto::mpz_from_bytes(crypto::ByteView(h).first(16)));
}

// A = prod alpha_k^{r_k} and D = prod D_k^{r_k} over the whole list, by blocks on `threads`
// threads (docs/ceremony.md section 11). Variable time (public data).
std::pair<Element, Element> batch_products_var(const crypto::Group& group,
                                               const crypto::Digest& seed,
                                               std::span<const Element> alphas,
                                               std::span<const Element> values, unsigned threads,
                                               base::Progress* meter) {
  const std::size_t blocks = (alphas.size() + kProductBlock - 1) / kProductBlock;
  std::vector<Element> a_block(blocks), d_block(blocks);
  base::parallel_for(
      alphas.size(), kProductBlock,
      [&](std::size_t begin, std::size_t end) {
        std::vector<crypto::Scalar> r;
        r.reserve(end - begin);
        for (std::size_t k = begin; k < end; ++k)
          r.push_back(batch_weight(group.scalars(), seed, k));
        a_block[begin / kProductBlock] = group.multi_exp_var(alphas.subspan(begin, end - begin), r);
        d_block[begin / kProductBlock] = group.multi_exp_var(values.subspan(begin, end - begin), r);
      },
      meter, threads);
  Element a = group.identity(), d = group.identity();
  for (std::size_t b = 0; b < blocks; ++b) {
    a = group.mul(a, a_block[b]);
    d = group.mul(d, d_block[b]);
  }
  return {a, d};
}

Bytes digest_bytes(const crypto::Digest& d) {
  return Bytes(d.begin(), d.end());
}

}  // namespace

PartialDecryptionFile parse_partial_decryptions(const crypto::Group& group, const Json& j,
                                                const std::string& path, unsigned threads) {
  if (!j.is_object()) throw FormatError(path, "must be an object");
  crypto::reject_unknown_fields(j,
                                {"format", "election_id", "context_hash", "trustee", "alphas_hash",
                                 "values", "proof", "signature"},
                                path);
  if (crypto::require_string(j, "format", path) != kFormat) {
    throw FormatError(path + ".format", "expected \"" + std::string(kFormat) + "\"");
  }
  PartialDecryptionFile file;
  file.election_id = crypto::require_string(j, "election_id", path);
  file.context_hash = crypto::bytes_from_json(crypto::require_field(j, "context_hash", path),
                                              path + ".context_hash", 32);
  // Trustee indices are 1..255 (docs/ceremony.md section 2).
  const std::uint64_t trustee = crypto::require_uint(j, "trustee", path);
  if (trustee < 1 || trustee > 255) throw FormatError(path + ".trustee", "out of range 1..255");
  file.trustee = static_cast<std::uint32_t>(trustee);
  file.alphas_hash = crypto::bytes_from_json(crypto::require_field(j, "alphas_hash", path),
                                             path + ".alphas_hash", 32);
  const Json& values = crypto::require_array(j, "values", path);
  // The proof is present iff there are values.
  if (values.empty() && j.contains("proof")) {
    throw FormatError(path + ".proof", "must be absent when there are no values");
  }
  if (!values.empty() && !j.contains("proof")) throw FormatError(path + ".proof", "missing");
  // Each value is decoded and checked to be a group element (a square root per P-256 point):
  // on all threads.
  file.values.resize(values.size());
  base::parallel_for_each(
      values.size(),
      [&](std::size_t k) {
        file.values[k] = crypto::element_from_json(group, values[k],
                                                   path + ".values[" + std::to_string(k) + "]");
      },
      nullptr, std::max(1u, threads));
  if (!values.empty()) {
    file.proof = crypto::chaum_pedersen_proof_from_json(group, j.at("proof"), path + ".proof");
  }
  file.signature =
      crypto::bytes_from_json(crypto::require_field(j, "signature", path), path + ".signature", 64);
  return file;
}

crypto::Digest alphas_hash(const crypto::Group& group, std::span<const Element> alphas) {
  return list_digest(group, kAlphasTag, alphas);
}

crypto::Digest values_hash(const crypto::Group& group, std::span<const Element> values) {
  return list_digest(group, kValuesTag, values);
}

Bytes partial_decryptions_signed_bytes(const crypto::Group& group,
                                       const PartialDecryptionFile& file) {
  Bytes proof_bytes;  // encode(challenge) || encode(response), empty without a proof
  if (file.proof) {
    proof_bytes = group.scalars().encode(file.proof->challenge);
    const Bytes response = group.scalars().encode(file.proof->response);
    proof_bytes.insert(proof_bytes.end(), response.begin(), response.end());
  }
  Bytes signed_bytes;
  put_lp(signed_bytes, crypto::to_bytes(kSignedTag));
  put_lp(signed_bytes, crypto::to_bytes(file.election_id));
  put_lp(signed_bytes, file.context_hash);
  crypto::append_u32_be(signed_bytes, file.trustee);
  put_lp(signed_bytes, file.alphas_hash);
  put_lp(signed_bytes, values_hash(group, file.values));
  put_lp(signed_bytes, proof_bytes);
  return signed_bytes;
}

crypto::Digest batch_seed(const PartialDecryptionFile& file, const crypto::Digest& values_digest) {
  Bytes input;
  put_lp(input, crypto::to_bytes(kBatchTag));
  put_lp(input, file.context_hash);
  crypto::append_u32_be(input, file.trustee);
  put_lp(input, file.alphas_hash);
  put_lp(input, values_digest);
  return crypto::sha256(input);
}

std::string partial_binding(std::uint32_t trustee, const crypto::Digest& seed) {
  return "partial-decryption/trustee:" + std::to_string(trustee) + "/batch:" + crypto::to_hex(seed);
}

PartialCheck check_partial_decryptions_var(
    const crypto::Group& group, const PartialDecryptionFile& file, std::uint32_t expected_trustee,
    const std::string& election_id, const Bytes& context_hash, std::span<const Element> alphas,
    const Element& verification_key, const Bytes& signing_key, unsigned threads,
    std::ostream* progress) {
  const auto fail = [](std::string reason) { return PartialCheck{std::move(reason)}; };
  // docs/verifier-mixing.md 7.1, in its order.
  if (file.trustee != expected_trustee) {
    return fail("trustee is " + std::to_string(file.trustee) + ", the file name says " +
                std::to_string(expected_trustee));
  }
  if (file.election_id != election_id) {
    return fail("election_id \"" + file.election_id + "\" is not this election's");
  }
  if (file.context_hash != context_hash) {
    return fail("context_hash is not this election's context hash");
  }
  if (file.values.size() != alphas.size()) {
    return fail(std::to_string(file.values.size()) + " partials for " +
                std::to_string(alphas.size()) + " mixed ciphertexts");
  }
  if (file.alphas_hash != digest_bytes(alphas_hash(group, alphas))) {
    return fail("alphas_hash does not match the mixed ciphertexts");
  }
  if (!crypto::ed25519_verify(signing_key, partial_decryptions_signed_bytes(group, file),
                              file.signature)) {
    return fail("signature: not a valid signature by trustee " + std::to_string(file.trustee));
  }
  if (alphas.empty()) return PartialCheck{};
  if (!file.proof) {
    return fail("proof: missing for " + std::to_string(alphas.size()) + " values");
  }
  const crypto::Digest seed = batch_seed(file, values_hash(group, file.values));
  base::Progress meter("partial decryptions of trustee " + std::to_string(file.trustee),
                       alphas.size(), progress);
  const auto [a, d] = batch_products_var(group, seed, alphas, file.values, threads, &meter);
  meter.finish();
  // log_g(VK_i) = log_A(D): g1 = g, A = VK_i, g2 = A, B = D (docs/ceremony.md section 11).
  const crypto::ProofContext proof_context{context_hash,
                                           crypto::to_bytes(partial_binding(file.trustee, seed))};
  if (group.is_identity(a) ||
      !crypto::chaum_pedersen_verify_var(group, proof_context, group.generator(), verification_key,
                                         a, d, *file.proof)) {
    return fail(
        "proof: the batch Chaum-Pedersen proof log_g(VK) = log_A(D) fails (some value is not "
        "alpha^s_i, or the proof is wrong)");
  }
  return PartialCheck{};
}

std::vector<crypto::Scalar> lagrange_at_zero(const crypto::ScalarField& field,
                                             const std::vector<std::uint32_t>& indices) {
  std::vector<std::uint32_t> sorted = indices;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty() && sorted.front() == 0) {
    throw std::invalid_argument("Lagrange indices must be non-zero");
  }
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    throw std::invalid_argument("Lagrange indices must be distinct");
  }
  std::vector<crypto::Scalar> lambda;
  lambda.reserve(indices.size());
  for (const std::uint32_t i : indices) {
    // prod_{j != i} j / (j - i): numerator and denominator apart, one inversion per index.
    crypto::Scalar numerator = field.from_u64(1), denominator = field.from_u64(1);
    const crypto::Scalar x_i = field.from_u64(i);
    for (const std::uint32_t j : indices) {
      if (j == i) continue;
      const crypto::Scalar x_j = field.from_u64(j);
      numerator = field.mul(numerator, x_j);
      denominator = field.mul(denominator, field.sub(x_j, x_i));
    }
    lambda.push_back(field.mul(numerator, field.inverse(denominator)));
  }
  return lambda;
}

std::vector<Element> combine_partials_var(const crypto::Group& group,
                                          const std::vector<std::uint32_t>& indices,
                                          const std::vector<const std::vector<Element>*>& partials,
                                          std::span<const Element> betas, unsigned threads,
                                          std::ostream* progress) {
  if (partials.size() != indices.size()) {
    throw std::invalid_argument("combine_partials_var: one partial list per trustee index");
  }
  if (std::any_of(partials.begin(), partials.end(),
                  [&](const std::vector<Element>* p) { return p->size() != betas.size(); })) {
    throw std::invalid_argument(
        "combine_partials_var: a partial list's size differs from the list");
  }
  const std::vector<crypto::Scalar> lambda = lagrange_at_zero(group.scalars(), indices);
  std::vector<Element> plaintexts(betas.size());
  base::Progress meter("combine partial decryptions", betas.size(), progress);
  // m_k = beta_k / prod_{i in S} D_{i,k}^{lambda_i}: one t-base multi-exponentiation per k.
  base::parallel_for(
      betas.size(), 256,
      [&](std::size_t begin, std::size_t end) {
        std::vector<Element> d_k(partials.size());
        for (std::size_t k = begin; k < end; ++k) {
          for (std::size_t s = 0; s < partials.size(); ++s) d_k[s] = (*partials[s])[k];
          plaintexts[k] = group.div(betas[k], group.multi_exp_var(d_k, lambda));
        }
      },
      &meter, threads);
  return plaintexts;
}

}  // namespace haal::verifier::decryption
