#include "verifier-app/decryption/threshold_check.hpp"

#include <set>

#include "crypto/base/parallel.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/group_p256.hpp"

namespace haal::verifier::decryption {

namespace {
constexpr std::string_view kFormat = "haal-partial-decryptions-v2";
}

PartialDecryptionFile parse_partial_decryptions(const crypto::Group& group, const crypto::Json& j,
                                                const std::string& path, unsigned threads) {
  using crypto::FormatError;
  if (!j.is_object()) throw FormatError(path, "must be an object");
  crypto::reject_unknown_fields(j,
                                {"format", "election_id", "context_hash", "trustee", "alphas_hash",
                                 "values", "proof", "signature"},
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
  const crypto::Json& values = crypto::require_array(j, "values", path);
  f.values.resize(values.size());
  // Decoding (a square root per P-256 element) dominates: on all threads.
  base::parallel_for(
      values.size(), 256,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
          f.values[k] = crypto::element_from_json(group, values[k],
                                                  path + ".values[" + std::to_string(k) + "]");
        }
      },
      nullptr, std::max(1u, threads));
  if (values.empty() == j.contains("proof")) {
    throw FormatError(path + ".proof",
                      values.empty() ? "must be absent when there are no values" : "missing");
  }
  if (!values.empty()) {
    f.proof = crypto::chaum_pedersen_proof_from_json(group, j.at("proof"), path + ".proof");
  }
  return f;
}

namespace {

// Returns group.encode(a); for P-256 without a field inversion when a is affine (decoded).
Bytes encode_public(const crypto::Group& group, const Element& a) {
  if (group.name() == "P-256") return crypto::p256_group().encode_var(a);
  return group.encode(a);
}

// r_k = OS2IP(first 16 bytes of SHA-256(seed || u64_be(k))) for k in [begin, end).
std::vector<crypto::Scalar> batch_weights(const crypto::Group& group, const crypto::Digest& seed,
                                          std::size_t begin, std::size_t end) {
  std::vector<crypto::Scalar> out;
  out.reserve(end - begin);
  Bytes in(seed.begin(), seed.end());
  in.resize(seed.size() + 8);
  for (std::size_t k = begin; k < end; ++k) {
    for (std::size_t b = 0; b < 8; ++b) {
      in[seed.size() + 7 - b] = static_cast<std::uint8_t>(k >> (8 * b));
    }
    const crypto::Digest h = crypto::sha256(in);
    out.push_back(group.scalars().reduce(crypto::mpz_from_bytes(crypto::ByteView(h).first(16))));
  }
  return out;
}

}  // namespace

namespace {

// SHA-256(LP(tag) || u64_be(N) || encode(e_0) || ... || encode(e_{N-1})).
crypto::Digest element_list_hash(const crypto::Group& group, std::string_view tag,
                                 std::span<const Element> elements) {
  crypto::Sha256 h;
  Bytes head;
  crypto::append_length_prefixed(head, crypto::to_bytes(tag));
  crypto::append_u64_be(head, elements.size());
  h.update(head);
  for (const Element& e : elements) h.update(encode_public(group, e));
  return h.finish();
}

}  // namespace

crypto::Digest alphas_hash(const crypto::Group& group, std::span<const Element> alphas) {
  return element_list_hash(group, "HAAL-V1-ALPHAS", alphas);
}

crypto::Digest values_hash(const crypto::Group& group, std::span<const Element> values) {
  return element_list_hash(group, "HAAL-V2-PARTIAL-VALUES", values);
}

Bytes partial_decryptions_signed_bytes(const crypto::Group& group, const PartialDecryptionFile& f) {
  Bytes proof;
  if (f.proof) {
    proof = group.scalars().encode(f.proof->challenge);
    const Bytes z = group.scalars().encode(f.proof->response);
    proof.insert(proof.end(), z.begin(), z.end());
  }
  const crypto::Digest values_digest = values_hash(group, f.values);
  Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes("HAAL-V2-PARTIAL-DECRYPTIONS"));
  crypto::append_length_prefixed(out, crypto::to_bytes(f.election_id));
  crypto::append_length_prefixed(out, f.context_hash);
  crypto::append_u32_be(out, f.trustee);
  crypto::append_length_prefixed(out, f.alphas_hash);
  crypto::append_length_prefixed(out, values_digest);
  crypto::append_length_prefixed(out, proof);
  return out;
}

crypto::Digest batch_seed(const PartialDecryptionFile& f, const crypto::Digest& values_digest) {
  Bytes in;
  crypto::append_length_prefixed(in, crypto::to_bytes("HAAL-V2-DECRYPTION-BATCH"));
  crypto::append_length_prefixed(in, f.context_hash);
  crypto::append_u32_be(in, f.trustee);
  crypto::append_length_prefixed(in, f.alphas_hash);
  crypto::append_length_prefixed(in, values_digest);
  return crypto::sha256(in);
}

std::string partial_binding(std::uint32_t trustee, const crypto::Digest& seed) {
  return "partial-decryption/trustee:" + std::to_string(trustee) + "/batch:" + crypto::to_hex(seed);
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
  if (alphas.empty()) return out;
  if (!f.proof) {
    out.failure = "proof: missing for " + std::to_string(alphas.size()) + " values";
    return out;
  }
  // A = prod alpha_k^r_k and D = prod D_k^r_k, by blocks of multi-exponentiations on all threads.
  const crypto::Digest seed = batch_seed(f, values_hash(group, f.values));
  constexpr std::size_t kBlock = 4096;
  const std::size_t blocks = (alphas.size() + kBlock - 1) / kBlock;
  std::vector<Element> a_parts(blocks), d_parts(blocks);
  base::Progress meter("partial decryptions of trustee " + std::to_string(f.trustee), alphas.size(),
                       progress);
  base::parallel_for(
      alphas.size(), kBlock,
      [&](std::size_t b, std::size_t e) {
        const std::vector<crypto::Scalar> r = batch_weights(group, seed, b, e);
        a_parts[b / kBlock] = group.multi_exp_var(alphas.subspan(b, e - b), r);
        d_parts[b / kBlock] =
            group.multi_exp_var(std::span<const Element>(f.values).subspan(b, e - b), r);
      },
      &meter, threads);
  meter.finish();
  Element a = group.identity(), d = group.identity();
  for (std::size_t k = 0; k < blocks; ++k) {
    a = group.mul(a, a_parts[k]);
    d = group.mul(d, d_parts[k]);
  }
  const crypto::ProofContext ctx{context_hash, crypto::to_bytes(partial_binding(f.trustee, seed))};
  if (group.is_identity(a) ||
      !crypto::chaum_pedersen_verify_var(group, ctx, group.generator(), verification_key, a, d,
                                         *f.proof)) {
    out.failure =
        "proof: the batch Chaum-Pedersen proof log_g(VK) = log_A(D) fails (some value is not "
        "alpha^s_i, or the proof is wrong)";
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
  base::Progress meter("combine partial decryptions", betas.size(), progress);
  base::parallel_for(
      betas.size(), 256,
      [&](std::size_t b, std::size_t e) {
        std::vector<Element> bases(indices.size());
        for (std::size_t k = b; k < e; ++k) {
          for (std::size_t s = 0; s < indices.size(); ++s) bases[s] = (*partials[s])[k];
          out[k] = group.div(betas[k], group.multi_exp_var(bases, lambda));
        }
      },
      &meter, threads);
  return out;
}

}  // namespace haal::verifier::decryption
