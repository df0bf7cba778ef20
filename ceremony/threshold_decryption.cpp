#include "ceremony/threshold_decryption.hpp"

#include <algorithm>
#include <set>

#include "ceremony/polynomial.hpp"
#include "crypto/ed25519.hpp"

namespace haal::ceremony {

using crypto::FormatError;

namespace {

constexpr std::string_view kFormat = "haal-partial-decryptions-v1";

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

}  // namespace

Digest alphas_hash(const Group& group, std::span<const Element> alphas) {
  crypto::Sha256 h;
  Bytes head;
  crypto::append_length_prefixed(head, crypto::to_bytes("HAAL-V1-ALPHAS"));
  crypto::append_u64_be(head, alphas.size());
  h.update(head);
  for (const Element& a : alphas) h.update(group.encode(a));
  return h.finish();
}

std::string partial_decryption_binding(std::uint32_t trustee, std::size_t index) {
  return "partial-decryption/trustee:" + std::to_string(trustee) +
         "/ciphertext:" + std::to_string(index);
}

Bytes partial_decryptions_signed_bytes(const Group& group, const PartialDecryptionSet& set) {
  crypto::Sha256 h;
  Bytes count;
  crypto::append_u64_be(count, set.partials.size());
  h.update(count);
  for (const PartialDecryption& p : set.partials) {
    h.update(group.encode(p.value));
    h.update(group.scalars().encode(p.proof.challenge));
    h.update(group.scalars().encode(p.proof.response));
  }
  const Digest partials_hash = h.finish();
  Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes("HAAL-V1-PARTIAL-DECRYPTIONS"));
  crypto::append_length_prefixed(out, crypto::to_bytes(set.election_id));
  crypto::append_length_prefixed(out, set.context_hash);
  crypto::append_u32_be(out, set.trustee);
  crypto::append_length_prefixed(out, set.alphas_hash);
  crypto::append_length_prefixed(out, partials_hash);
  return out;
}

PartialDecryptionSet compute_partial_decryptions(const Group& group, const std::string& election_id,
                                                 ByteView context_hash,
                                                 const TrusteeSecrets& secrets,
                                                 const TrusteeKeys& keys,
                                                 std::span<const Element> alphas,
                                                 Progress* progress) {
  if (!secrets.share) throw CeremonyError("this trustee holds no final share (run finalize)");
  if (context_hash.size() != 32) throw std::invalid_argument("context hash must be 32 bytes");
  if (keys.trustee != secrets.trustee ||
      !group.equal(group.exp_generator(*secrets.share), keys.verification_key)) {
    throw CeremonyError("trustee " + std::to_string(secrets.trustee) +
                        "'s share does not match its verification key in result.json");
  }
  PartialDecryptionSet set;
  set.election_id = election_id;
  set.context_hash = digest_from(context_hash);
  set.trustee = secrets.trustee;
  set.alphas_hash = alphas_hash(group, alphas);
  set.partials.resize(alphas.size());
  const Element& g = group.generator();
  const Scalar& share = *secrets.share;
  const Bytes election_hash(context_hash.begin(), context_hash.end());
  parallel_for(
      alphas.size(),
      [&](std::size_t k) {
        const Element d = crypto::elgamal_decryption_share(group, share, alphas[k]);
        const crypto::ProofContext context{
            election_hash, crypto::to_bytes(partial_decryption_binding(set.trustee, k))};
        set.partials[k] = PartialDecryption{
            d, crypto::chaum_pedersen_prove(group, context, g, keys.verification_key, alphas[k], d,
                                            share, crypto::system_random())};
      },
      progress);
  if (progress) progress->finish();
  set.signature = crypto::Ed25519PrivateKey::from_seed(secrets.signing_seed)
                      .sign(partial_decryptions_signed_bytes(group, set));
  return set;
}

Json partial_decryptions_to_json(const Group& group, const PartialDecryptionSet& set) {
  Json partials = Json::array();
  for (const PartialDecryption& p : set.partials) {
    partials.push_back(Json{{"value", group.to_hex(p.value)},
                            {"proof", crypto::chaum_pedersen_proof_to_json(group, p.proof)}});
  }
  return Json{{"format", kFormat},
              {"election_id", set.election_id},
              {"context_hash", crypto::to_hex(set.context_hash)},
              {"trustee", set.trustee},
              {"alphas_hash", crypto::to_hex(set.alphas_hash)},
              {"partials", std::move(partials)},
              {"signature", crypto::to_hex(set.signature)}};
}

PartialDecryptionSet partial_decryptions_from_json(const Group& group, const Json& j,
                                                   const std::string& path) {
  crypto::reject_unknown_fields(
      j,
      {"format", "election_id", "context_hash", "trustee", "alphas_hash", "partials", "signature"},
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
  const Json& partials = crypto::require_array(j, "partials", path);
  set.partials.resize(partials.size());
  // Decoding checks group membership (a square root or an on-curve check per entry): parallel.
  parallel_for(partials.size(), [&](std::size_t k) {
    const std::string p = path + ".partials[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(partials[k], {"value", "proof"}, p);
    set.partials[k] =
        PartialDecryption{crypto::element_from_json(
                              group, crypto::require_field(partials[k], "value", p), p + ".value"),
                          crypto::chaum_pedersen_proof_from_json(
                              group, crypto::require_field(partials[k], "proof", p), p + ".proof")};
  });
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
                                                                    Progress* progress) {
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
  if (set.partials.size() != alphas.size()) {
    return fault("has " + std::to_string(set.partials.size()) + " partials for " +
                 std::to_string(alphas.size()) + " ciphertexts");
  }
  if (set.alphas_hash != alphas_hash(group, alphas)) {
    return fault("alphas_hash: decrypts a different list of ciphertexts");
  }
  const Bytes election_hash(context_hash.begin(), context_hash.end());
  std::atomic<std::size_t> first_bad{alphas.size()};
  parallel_for(
      alphas.size(),
      [&](std::size_t k) {
        if (k >= first_bad.load()) return;
        const crypto::ProofContext context{
            election_hash, crypto::to_bytes(partial_decryption_binding(set.trustee, k))};
        const PartialDecryption& p = set.partials[k];
        if (!crypto::chaum_pedersen_verify_var(group, context, group.generator(),
                                               keys->verification_key, alphas[k], p.value,
                                               p.proof)) {
          std::size_t current = first_bad.load();
          while (k < current && !first_bad.compare_exchange_weak(current, k)) {
          }
        }
      },
      progress);
  if (progress) progress->finish();
  if (first_bad.load() < alphas.size()) {
    return fault("Chaum-Pedersen proof does not verify against the trustee's verification key",
                 first_bad.load());
  }
  return std::nullopt;
}

std::vector<Element> combine_partial_decryptions_var(
    const CeremonyResult& result, std::span<const crypto::Ciphertext> ciphertexts,
    std::span<const PartialDecryptionSet* const> sets, Progress* progress) {
  const Group& group = *result.group;
  if (sets.size() != result.threshold) {
    throw std::invalid_argument("combining needs exactly t = " + std::to_string(result.threshold) +
                                " trustees' partial decryptions, got " +
                                std::to_string(sets.size()));
  }
  std::vector<std::uint32_t> indices;
  for (const PartialDecryptionSet* s : sets) {
    if (s->partials.size() != ciphertexts.size()) {
      throw std::invalid_argument("trustee " + std::to_string(s->trustee) +
                                  "'s partial decryptions do not match the ciphertext count");
    }
    indices.push_back(s->trustee);
  }
  const std::vector<Scalar> lambdas = lagrange_coefficients_at_zero(group.scalars(), indices);
  std::vector<Element> plaintexts(ciphertexts.size());
  parallel_for(
      ciphertexts.size(),
      [&](std::size_t k) {
        std::vector<Element> bases;
        bases.reserve(sets.size());
        for (const PartialDecryptionSet* s : sets) bases.push_back(s->partials[k].value);
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
    Progress progress("verifying partial decryptions of trustee " + std::to_string(s->trustee),
                      alphas.size(), progress_out);
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
  Progress progress("combining partial decryptions", ciphertexts.size(), progress_out);
  out.plaintexts = combine_partial_decryptions_var(result, ciphertexts, chosen, &progress);
  for (const auto* s : chosen) out.trustees_used.push_back(s->trustee);
  return out;
}

}  // namespace haal::ceremony
