#include "verifier-app/decryption/threshold_check.hpp"

#include <atomic>
#include <memory>
#include <set>

#include "crypto/ed25519.hpp"
#include "crypto/group_p256.hpp"
#include "crypto/transcript.hpp"
#include "verifier-app/parallel.hpp"

namespace haal::verifier::decryption {

namespace {
constexpr std::string_view kFormat = "haal-partial-decryptions-v1";
}

PartialDecryptionFile parse_partial_decryptions(const crypto::Group& group, const crypto::Json& j,
                                                const std::string& path, unsigned threads) {
  using crypto::FormatError;
  if (!j.is_object()) throw FormatError(path, "must be an object");
  crypto::reject_unknown_fields(
      j,
      {"format", "election_id", "context_hash", "trustee", "alphas_hash", "partials", "signature"},
      path);
  if (crypto::require_string(j, "format", path) != kFormat) {
    throw FormatError(path + ".format", "expected \"" + std::string(kFormat) + "\"");
  }
  PartialDecryptionFile f;
  f.election_id = crypto::require_string(j, "election_id", path);
  f.context_hash = crypto::bytes_from_json(crypto::require_field(j, "context_hash", path),
                                           path + ".context_hash", 32);
  const std::uint64_t trustee = crypto::require_uint(j, "trustee", path);
  if (trustee == 0 || trustee > 255) throw FormatError(path + ".trustee", "out of range");
  f.trustee = static_cast<std::uint32_t>(trustee);
  f.alphas_hash = crypto::bytes_from_json(crypto::require_field(j, "alphas_hash", path),
                                          path + ".alphas_hash", 32);
  f.signature =
      crypto::bytes_from_json(crypto::require_field(j, "signature", path), path + ".signature", 64);
  const crypto::Json& partials = crypto::require_array(j, "partials", path);
  f.values.resize(partials.size());
  f.proofs.resize(partials.size());
  // Decoding (a square root per P-256 element) dominates: on all threads.
  parallel_chunks(partials.size(), 256, std::max(1u, threads),
                  [&](std::size_t begin, std::size_t end) {
                    for (std::size_t k = begin; k < end; ++k) {
                      const std::string at = path + ".partials[" + std::to_string(k) + "]";
                      const crypto::Json& p = partials[k];
                      if (!p.is_object()) throw FormatError(at, "must be an object");
                      crypto::reject_unknown_fields(p, {"value", "proof"}, at);
                      f.values[k] = crypto::element_from_json(
                          group, crypto::require_field(p, "value", at), at + ".value");
                      f.proofs[k] = crypto::chaum_pedersen_proof_from_json(
                          group, crypto::require_field(p, "proof", at), at + ".proof");
                    }
                  });
  return f;
}

namespace {

// Returns group.encode(a); for P-256 without a field inversion when a is affine (decoded).
Bytes encode_public(const crypto::Group& group, const Element& a) {
  if (group.name() == "P-256") return crypto::p256_group().encode_var(a);
  return group.encode(a);
}

// Verifies the Chaum-Pedersen proof log_g(VK) = log_alpha(D) exactly as
// crypto::chaum_pedersen_verify_var(group, context, g, VK, alpha, D, proof) does (same
// commitments, same transcript), faster: g^z and VK^-c use fixed-base tables, and the statement
// is hashed from precomputed (g, VK) or inversion-free (alpha, D) encodings. Variable time.
class PartialProofVerifier {
 public:
  PartialProofVerifier(const crypto::Group& group, const Element& verification_key)
      : group_(group),
        vk_(verification_key),
        vk_table_(group.precompute(verification_key)),
        g_bytes_(group.encode(group.generator())),
        vk_bytes_(group.encode(verification_key)) {}

  bool valid(const crypto::ProofContext& context, const Element& alpha, const Element& d,
             const crypto::ChaumPedersenProof& proof) const {
    const crypto::Scalar minus_c = group_.scalars().neg(proof.challenge);
    const Element commitment1 =
        group_.mul(group_.exp_generator(proof.response), vk_table_->exp_var(minus_c));
    const Element bases2[] = {alpha, d};
    const crypto::Scalar exps[] = {proof.response, minus_c};
    const Element commitment2 = group_.multi_exp_var(bases2, exps);
    if (group_.is_identity(commitment1) || group_.is_identity(commitment2)) return false;
    crypto::Transcript t("HAAL-V1-CHAUM-PEDERSEN", group_, context.election_hash);
    t.append("binding", context.binding);
    t.append("g1", g_bytes_).append("A", vk_bytes_);
    t.append("g2", encode_public(group_, alpha)).append("B", encode_public(group_, d));
    t.append_element("commitment1", commitment1).append_element("commitment2", commitment2);
    return t.challenge() == proof.challenge;
  }

 private:
  const crypto::Group& group_;
  Element vk_;
  std::unique_ptr<crypto::FixedBase> vk_table_;
  Bytes g_bytes_;
  Bytes vk_bytes_;
};

}  // namespace

crypto::Digest alphas_hash(const crypto::Group& group, std::span<const Element> alphas) {
  crypto::Sha256 h;
  Bytes head;
  crypto::append_length_prefixed(head, crypto::to_bytes("HAAL-V1-ALPHAS"));
  crypto::append_u64_be(head, alphas.size());
  h.update(head);
  for (const Element& a : alphas) h.update(encode_public(group, a));
  return h.finish();
}

Bytes partial_decryptions_signed_bytes(const crypto::Group& group, const PartialDecryptionFile& f) {
  crypto::Sha256 h;
  Bytes count;
  crypto::append_u64_be(count, f.values.size());
  h.update(count);
  for (std::size_t k = 0; k < f.values.size(); ++k) {
    h.update(encode_public(group, f.values[k]));
    h.update(group.scalars().encode(f.proofs[k].challenge));
    h.update(group.scalars().encode(f.proofs[k].response));
  }
  const crypto::Digest partials_hash = h.finish();
  Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes("HAAL-V1-PARTIAL-DECRYPTIONS"));
  crypto::append_length_prefixed(out, crypto::to_bytes(f.election_id));
  crypto::append_length_prefixed(out, f.context_hash);
  crypto::append_u32_be(out, f.trustee);
  crypto::append_length_prefixed(out, f.alphas_hash);
  crypto::append_length_prefixed(out, partials_hash);
  return out;
}

std::string partial_binding(std::uint32_t trustee, std::size_t index) {
  return "partial-decryption/trustee:" + std::to_string(trustee) +
         "/ciphertext:" + std::to_string(index);
}

PartialCheck check_partial_decryptions(const crypto::Group& group, const PartialDecryptionFile& f,
                                       std::uint32_t expected_trustee,
                                       const std::string& election_id, const Bytes& context_hash,
                                       std::span<const Element> alphas,
                                       const Element& verification_key, const Bytes& signing_key,
                                       unsigned threads, std::ostream* progress) {
  PartialCheck out;
  if (f.trustee != expected_trustee) {
    out.failure = "trustee is " + std::to_string(f.trustee) + ", the file name says " +
                  std::to_string(expected_trustee);
    return out;
  }
  if (f.election_id != election_id) {
    out.failure = "election_id \"" + f.election_id + "\" is not this election's";
    return out;
  }
  if (f.context_hash != context_hash) {
    out.failure = "context_hash is not this election's context hash";
    return out;
  }
  if (f.values.size() != alphas.size()) {
    out.failure = std::to_string(f.values.size()) + " partials for " +
                  std::to_string(alphas.size()) + " mixed ciphertexts";
    return out;
  }
  const crypto::Digest expected_alphas = alphas_hash(group, alphas);
  if (f.alphas_hash != Bytes(expected_alphas.begin(), expected_alphas.end())) {
    out.failure = "alphas_hash does not match the mixed ciphertexts";
    return out;
  }
  if (!crypto::ed25519_verify(signing_key, partial_decryptions_signed_bytes(group, f),
                              f.signature)) {
    out.failure = "signature: not a valid signature by trustee " + std::to_string(f.trustee);
    return out;
  }
  const PartialProofVerifier verifier(group, verification_key);
  std::atomic<std::size_t> first_bad{alphas.size()};
  ProgressMeter meter(progress, "partial decryptions of trustee " + std::to_string(f.trustee),
                      alphas.size());
  parallel_chunks(
      alphas.size(), 256, threads,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k) {
          const crypto::ProofContext ctx{context_hash,
                                         crypto::to_bytes(partial_binding(f.trustee, k))};
          if (!verifier.valid(ctx, alphas[k], f.values[k], f.proofs[k])) {
            std::size_t current = first_bad.load();
            while (k < current && !first_bad.compare_exchange_weak(current, k)) {
            }
          }
        }
      },
      &meter);
  if (first_bad.load() < alphas.size()) {
    out.index = first_bad.load();
    out.failure = "partials[" + std::to_string(*out.index) +
                  "].proof: Chaum-Pedersen proof log_g(VK) = log_alpha(D) fails";
  }
  return out;
}

std::vector<crypto::Scalar> lagrange_at_zero(const crypto::ScalarField& field,
                                             const std::vector<std::uint32_t>& indices) {
  const std::set<std::uint32_t> distinct(indices.begin(), indices.end());
  if (distinct.size() != indices.size() || distinct.count(0) != 0) {
    throw std::invalid_argument("Lagrange indices must be distinct and non-zero");
  }
  std::vector<crypto::Scalar> out;
  for (const std::uint32_t i : indices) {
    crypto::Scalar num = field.from_u64(1), den = field.from_u64(1);
    for (const std::uint32_t j : indices) {
      if (j == i) continue;
      num = field.mul(num, field.from_u64(j));
      den = field.mul(den, field.sub(field.from_u64(j), field.from_u64(i)));
    }
    out.push_back(field.mul(num, field.inverse(den)));
  }
  return out;
}

std::vector<Element> combine_partials(const crypto::Group& group,
                                      const std::vector<std::uint32_t>& indices,
                                      const std::vector<const std::vector<Element>*>& partials,
                                      std::span<const Element> betas, unsigned threads,
                                      std::ostream* progress) {
  if (partials.size() != indices.size()) {
    throw std::invalid_argument("combine_partials: one partial list per trustee index");
  }
  for (const auto* p : partials) {
    if (p->size() != betas.size()) {
      throw std::invalid_argument("combine_partials: partial list size differs from the list");
    }
  }
  const std::vector<crypto::Scalar> lambda = lagrange_at_zero(group.scalars(), indices);
  std::vector<Element> out(betas.size());
  ProgressMeter meter(progress, "combine partial decryptions", betas.size());
  parallel_chunks(
      betas.size(), 256, threads,
      [&](std::size_t b, std::size_t e) {
        std::vector<Element> bases(indices.size());
        for (std::size_t k = b; k < e; ++k) {
          for (std::size_t s = 0; s < indices.size(); ++s) bases[s] = (*partials[s])[k];
          out[k] = group.div(betas[k], group.multi_exp_var(bases, lambda));
        }
      },
      &meter);
  return out;
}

}  // namespace haal::verifier::decryption
