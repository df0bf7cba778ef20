#include "ceremony/threshold_decryption.hpp"

#include <algorithm>
#include <set>

#include "ceremony/polynomial.hpp"
#include "crypto/ed25519.hpp"

namespace haal::ceremony {

using crypto::FormatError;

namespace {

constexpr std::string_view kFormat = "haal-partial-decryptions-v2";

Digest digest_from(ByteView bytes) {
  Digest d{};
  std::copy(bytes.begin(), bytes.end(), d.begin());
  return d;
}

std::vector<Element> alphas_of(std::span<const crypto::Ciphertext> ciphertexts) {
  std::vector<Element> alphas;
  alphas.reserve(ciphertexts.size());
  for (const auto& c : ciphertexts) alphas.push_back(c.alpha);
  return alphas;
}

// Returns (prod_k alphas[k]^r_k, prod_k values[k]^r_k), multi-exponentiations in blocks on all
// cores; advances `progress` by the items done. Variable time (public data).
std::pair<Element, Element> batch_products_var(const Group& group, std::span<const Element> alphas,
                                               std::span<const Element> values,
                                               std::span<const Scalar> weights,
                                               base::Progress* progress) {
  constexpr std::size_t kBlock = 4096;
  const std::size_t blocks = (alphas.size() + kBlock - 1) / kBlock;
  std::vector<Element> a_parts(blocks), d_parts(blocks);
  base::parallel_for(
      alphas.size(), kBlock,
      [&](std::size_t begin, std::size_t end) {
        const std::size_t b = begin / kBlock, length = end - begin;
        a_parts[b] =
            group.multi_exp_var(alphas.subspan(begin, length), weights.subspan(begin, length));
        d_parts[b] =
            group.multi_exp_var(values.subspan(begin, length), weights.subspan(begin, length));
      },
      progress);
  Element a = group.identity(), d = group.identity();
  for (std::size_t b = 0; b < blocks; ++b) {
    a = group.mul(a, a_parts[b]);
    d = group.mul(d, d_parts[b]);
  }
  return {a, d};
}

}  // namespace

namespace {

// SHA-256(LP(tag) || u64_be(count) || encode(e_0) || ... || encode(e_{count-1})).
Digest element_list_hash(const Group& group, std::string_view tag,
                         std::span<const Element> elements) {
  crypto::Sha256 h;
  Bytes head;
  crypto::append_length_prefixed(head, crypto::to_bytes(tag));
  crypto::append_u64_be(head, elements.size());
  h.update(head);
  for (const Element& e : elements) h.update(group.encode(e));
  return h.finish();
}

}  // namespace

Digest alphas_hash(const Group& group, std::span<const Element> alphas) {
  return element_list_hash(group, "HAAL-V1-ALPHAS", alphas);
}

Digest partial_values_hash(const Group& group, std::span<const Element> values) {
  return element_list_hash(group, "HAAL-V2-PARTIAL-VALUES", values);
}

Digest decryption_batch_seed(const PartialDecryptionSet& set, const Digest& values_hash) {
  Bytes in;
  crypto::append_length_prefixed(in, crypto::to_bytes("HAAL-V2-DECRYPTION-BATCH"));
  crypto::append_length_prefixed(in, set.context_hash);
  crypto::append_u32_be(in, set.trustee);
  crypto::append_length_prefixed(in, set.alphas_hash);
  crypto::append_length_prefixed(in, values_hash);
  return crypto::sha256(in);
}

std::vector<Scalar> decryption_batch_weights(const Group& group, const Digest& seed,
                                             std::size_t count) {
  std::vector<Scalar> weights(count);
  base::parallel_for_each(count, [&](std::size_t k) {
    Bytes in(seed.begin(), seed.end());
    crypto::append_u64_be(in, k);
    const Digest h = crypto::sha256(in);
    weights[k] = group.scalars().reduce(crypto::mpz_from_bytes(ByteView(h).first(16)));
  });
  return weights;
}

std::string partial_decryption_binding(std::uint32_t trustee, const Digest& seed) {
  return "partial-decryption/trustee:" + std::to_string(trustee) + "/batch:" + crypto::to_hex(seed);
}

Bytes partial_decryptions_signed_bytes(const Group& group, const PartialDecryptionSet& set) {
  Bytes proof_bytes;
  if (set.proof) {
    proof_bytes = group.scalars().encode(set.proof->challenge);
    const Bytes z = group.scalars().encode(set.proof->response);
    proof_bytes.insert(proof_bytes.end(), z.begin(), z.end());
  }
  Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes("HAAL-V2-PARTIAL-DECRYPTIONS"));
  crypto::append_length_prefixed(out, crypto::to_bytes(set.election_id));
  crypto::append_length_prefixed(out, set.context_hash);
  crypto::append_u32_be(out, set.trustee);
  crypto::append_length_prefixed(out, set.alphas_hash);
  crypto::append_length_prefixed(out, partial_values_hash(group, set.values));
  crypto::append_length_prefixed(out, proof_bytes);
  return out;
}

PartialDecryptionSet compute_partial_decryptions(const Group& group, const std::string& election_id,
                                                 ByteView context_hash,
                                                 const TrusteeSecrets& secrets,
                                                 const TrusteeKeys& keys,
                                                 std::span<const Element> alphas,
                                                 base::Progress* progress) {
  if (!secrets.share) throw CeremonyError("this trustee holds no final share (run finalize)");
  if (context_hash.size() != 32) throw std::invalid_argument("context hash must be 32 bytes");
  if (keys.trustee != secrets.trustee ||
      !group.equal(group.exp_generator(crypto::SecretScalar(*secrets.share)),
                   keys.verification_key)) {
    throw CeremonyError("trustee " + std::to_string(secrets.trustee) +
                        "'s share does not match its verification key in result.json");
  }
  PartialDecryptionSet set;
  set.election_id = election_id;
  set.context_hash = digest_from(context_hash);
  set.trustee = secrets.trustee;
  set.alphas_hash = alphas_hash(group, alphas);
  set.values.resize(alphas.size());
  const crypto::SecretScalar share(*secrets.share);
  base::parallel_for_each(
      alphas.size(),
      [&](std::size_t k) {
        set.values[k] = crypto::elgamal_decryption_share(group, share, alphas[k]);
      },
      progress);
  if (progress) progress->finish();
  if (!alphas.empty()) {
    const Digest seed = decryption_batch_seed(set, partial_values_hash(group, set.values));
    const std::vector<Scalar> weights = decryption_batch_weights(group, seed, alphas.size());
    const auto [a, d] = batch_products_var(group, alphas, set.values, weights, nullptr);
    if (group.is_identity(a)) throw CeremonyError("degenerate batch (probability 2^-128)");
    const crypto::ProofContext context{
        Bytes(context_hash.begin(), context_hash.end()),
        crypto::to_bytes(partial_decryption_binding(set.trustee, seed))};
    set.proof =
        crypto::chaum_pedersen_prove(group, context, group.generator(), keys.verification_key, a, d,
                                     *secrets.share, crypto::system_random());
  }
  set.signature = crypto::Ed25519PrivateKey::from_seed(secrets.signing_seed)
                      .sign(partial_decryptions_signed_bytes(group, set));
  return set;
}

Json partial_decryptions_to_json(const Group& group, const PartialDecryptionSet& set) {
  Json values = Json::array();
  for (const Element& d : set.values) values.push_back(group.to_hex(d));
  Json out{{"format", kFormat},
           {"election_id", set.election_id},
           {"context_hash", crypto::to_hex(set.context_hash)},
           {"trustee", set.trustee},
           {"alphas_hash", crypto::to_hex(set.alphas_hash)},
           {"values", std::move(values)},
           {"signature", crypto::to_hex(set.signature)}};
  if (set.proof) out["proof"] = crypto::chaum_pedersen_proof_to_json(group, *set.proof);
  return out;
}

PartialDecryptionSet partial_decryptions_from_json(const Group& group, const Json& j,
                                                   const std::string& path) {
  crypto::reject_unknown_fields(j,
                                {"format", "election_id", "context_hash", "trustee", "alphas_hash",
                                 "values", "proof", "signature"},
                                path);
  if (crypto::require_string(j, "format", path) != kFormat) {
    throw FormatError(path + ".format", "must be \"" + std::string(kFormat) + "\"");
  }
  PartialDecryptionSet set;
  set.election_id = crypto::require_string(j, "election_id", path);
  set.context_hash = digest_from(crypto::bytes_from_json(
      crypto::require_field(j, "context_hash", path), path + ".context_hash", 32));
  const std::uint64_t trustee = crypto::require_uint(j, "trustee", path);
  if (trustee < 1 || trustee > kMaxTrustees) throw FormatError(path + ".trustee", "out of range");
  set.trustee = static_cast<std::uint32_t>(trustee);
  set.alphas_hash = digest_from(crypto::bytes_from_json(
      crypto::require_field(j, "alphas_hash", path), path + ".alphas_hash", 32));
  const Json& values = crypto::require_array(j, "values", path);
  set.values.resize(values.size());
  // Decoding checks group membership (a square root or an on-curve check per entry): parallel.
  base::parallel_for_each(values.size(), [&](std::size_t k) {
    set.values[k] =
        crypto::element_from_json(group, values[k], path + ".values[" + std::to_string(k) + "]");
  });
  if (values.empty() == j.contains("proof")) {
    throw FormatError(path + ".proof",
                      values.empty() ? "must be absent when there are no values" : "missing");
  }
  if (!values.empty()) {
    set.proof = crypto::chaum_pedersen_proof_from_json(group, j.at("proof"), path + ".proof");
  }
  set.signature = crypto::bytes_from_json(crypto::require_field(j, "signature", path),
                                          path + ".signature", crypto::kEd25519SignatureLength);
  return set;
}

std::string PartialDecryptionFault::message() const {
  std::string out = "partial decryptions of trustee " + std::to_string(trustee) + " rejected";
  if (index) out += " at ciphertext " + std::to_string(*index);
  return out + ": " + reason;
}

std::optional<PartialDecryptionFault> check_partial_decryptions_var(const CeremonyResult& result,
                                                                    ByteView context_hash,
                                                                    std::span<const Element> alphas,
                                                                    const PartialDecryptionSet& set,
                                                                    base::Progress* progress) {
  const Group& group = *result.group;
  auto fault = [&](std::string reason, std::optional<std::size_t> index = std::nullopt) {
    return PartialDecryptionFault{set.trustee, index, std::move(reason)};
  };
  const TrusteeKeys* keys = result.find(set.trustee);
  if (keys == nullptr) return fault("not a qualified trustee of this ceremony");
  if (!crypto::ed25519_verify(keys->signing_key, partial_decryptions_signed_bytes(group, set),
                              set.signature)) {
    return fault("signature does not verify under the trustee's identity key");
  }
  if (set.election_id != result.election_id) return fault("election_id is another election's");
  if (context_hash.size() != 32 ||
      !std::equal(context_hash.begin(), context_hash.end(), set.context_hash.begin())) {
    return fault("context_hash is not this election's context hash");
  }
  if (set.values.size() != alphas.size()) {
    return fault("has " + std::to_string(set.values.size()) + " partials for " +
                 std::to_string(alphas.size()) + " ciphertexts");
  }
  if (set.alphas_hash != alphas_hash(group, alphas)) {
    return fault("alphas_hash: decrypts a different list of ciphertexts");
  }
  if (alphas.empty()) return std::nullopt;
  if (!set.proof) return fault("no batch proof for " + std::to_string(alphas.size()) + " values");
  const Digest seed = decryption_batch_seed(set, partial_values_hash(group, set.values));
  const std::vector<Scalar> weights = decryption_batch_weights(group, seed, alphas.size());
  const auto [a, d] = batch_products_var(group, alphas, set.values, weights, progress);
  if (progress) progress->finish();
  const crypto::ProofContext context{
      Bytes(context_hash.begin(), context_hash.end()),
      crypto::to_bytes(partial_decryption_binding(set.trustee, seed))};
  if (group.is_identity(a) ||
      !crypto::chaum_pedersen_verify_var(group, context, group.generator(), keys->verification_key,
                                         a, d, *set.proof)) {
    return fault(
        "batch Chaum-Pedersen proof log_g(VK) = log_A(D) does not verify against the trustee's "
        "verification key (some value is not alpha^s_i, or the proof is wrong)");
  }
  return std::nullopt;
}

std::vector<Element> combine_partial_decryptions_var(
    const CeremonyResult& result, std::span<const crypto::Ciphertext> ciphertexts,
    std::span<const PartialDecryptionSet* const> sets, base::Progress* progress) {
  const Group& group = *result.group;
  if (sets.size() != result.threshold) {
    throw std::invalid_argument("combining needs exactly t = " + std::to_string(result.threshold) +
                                " trustees' partial decryptions, got " +
                                std::to_string(sets.size()));
  }
  std::vector<std::uint32_t> indices;
  for (const PartialDecryptionSet* s : sets) {
    if (s->values.size() != ciphertexts.size()) {
      throw std::invalid_argument("trustee " + std::to_string(s->trustee) +
                                  "'s partial decryptions do not match the ciphertext count");
    }
    indices.push_back(s->trustee);
  }
  const std::vector<Scalar> lambdas = lagrange_coefficients_at_zero(group.scalars(), indices);
  std::vector<Element> plaintexts(ciphertexts.size());
  base::parallel_for_each(
      ciphertexts.size(),
      [&](std::size_t k) {
        std::vector<Element> bases;
        bases.reserve(sets.size());
        for (const PartialDecryptionSet* s : sets) bases.push_back(s->values[k]);
        // prod_i D_{i,k}^{lambda_i} = alpha_k^{sum lambda_i s_i} = alpha_k^x
        plaintexts[k] = group.div(ciphertexts[k].beta, group.multi_exp_var(bases, lambdas));
      },
      progress);
  if (progress) progress->finish();
  return plaintexts;
}

ThresholdDecryption threshold_decrypt_var(const CeremonyResult& result, ByteView context_hash,
                                          std::span<const crypto::Ciphertext> ciphertexts,
                                          std::span<const PartialDecryptionSet> candidates,
                                          std::ostream* progress_out) {
  ThresholdDecryption out;
  const std::vector<Element> alphas = alphas_of(ciphertexts);
  std::vector<const PartialDecryptionSet*> order;
  for (const PartialDecryptionSet& s : candidates) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(),
                   [](const auto* a, const auto* b) { return a->trustee < b->trustee; });
  std::vector<const PartialDecryptionSet*> chosen;
  std::set<std::uint32_t> seen;
  for (const PartialDecryptionSet* s : order) {
    if (chosen.size() == result.threshold) break;
    if (seen.count(s->trustee)) continue;  // one set per trustee
    base::Progress progress(
        "verifying partial decryptions of trustee " + std::to_string(s->trustee), alphas.size(),
        progress_out);
    if (auto fault = check_partial_decryptions_var(result, context_hash, alphas, *s, &progress)) {
      out.rejected.push_back(*fault);
      continue;
    }
    seen.insert(s->trustee);
    chosen.push_back(s);
  }
  if (chosen.size() < result.threshold) {
    std::string why = "only " + std::to_string(chosen.size()) +
                      " valid trustees' partial decryptions; threshold is " +
                      std::to_string(result.threshold);
    for (const auto& f : out.rejected) why += "; " + f.message();
    throw CeremonyError(why);
  }
  base::Progress progress("combining partial decryptions", ciphertexts.size(), progress_out);
  out.plaintexts = combine_partial_decryptions_var(result, ciphertexts, chosen, &progress);
  for (const auto* s : chosen) out.trustees_used.push_back(s->trustee);
  return out;
}

}  // namespace haal::ceremony
