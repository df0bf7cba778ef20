// Test helpers: a dealer-made (t, n) sharing of an ElGamal key and honest, signed partial
// decryptions in the record's JSON form (docs/ceremony.md section 11), made with haal_crypto.
#pragma once

#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"
#include "verifier-app/decryption/threshold_check.hpp"

namespace haal::verifier::test {

using namespace haal::verifier::decryption;
using crypto::Element;
using crypto::Scalar;

struct Trustees {
  const crypto::Group& group;
  std::vector<Scalar> shares;  // s_i = F(i), i = 1..n (index i-1)
  std::vector<Element> vks;
  std::vector<crypto::Ed25519PrivateKey> signers;
  Element public_key;
};

inline Trustees deal(const crypto::Group& group, std::size_t n, std::size_t t,
                     crypto::RandomSource& rng) {
  const auto& Zq = group.scalars();
  std::vector<Scalar> coefficients;
  for (std::size_t k = 0; k < t; ++k) coefficients.push_back(Zq.random_nonzero(rng));
  Trustees out{group, {}, {}, {}, group.exp_generator(crypto::SecretScalar(coefficients[0]))};
  for (std::size_t i = 1; i <= n; ++i) {
    Scalar value = Zq.from_u64(0);
    for (std::size_t k = t; k-- > 0;)
      value = Zq.add(Zq.mul(value, Zq.from_u64(i)), coefficients[k]);
    out.vks.push_back(group.exp_generator(crypto::SecretScalar(value)));
    out.shares.push_back(value);
    out.signers.push_back(crypto::Ed25519PrivateKey::generate());
  }
  return out;
}

inline const crypto::Bytes kContext(32, 0x5a);

inline PartialDecryptionFile partials(const Trustees& tr, std::uint32_t i,
                                      const std::vector<crypto::Ciphertext>& list,
                                      crypto::RandomSource& rng) {
  const crypto::Group& G = tr.group;
  PartialDecryptionFile f;
  f.election_id = "e1";
  f.context_hash = kContext;
  f.trustee = i;
  std::vector<Element> alphas;
  for (const auto& c : list) alphas.push_back(c.alpha);
  const auto ah = alphas_hash(G, alphas);
  f.alphas_hash.assign(ah.begin(), ah.end());
  for (const auto& c : list)
    f.values.push_back(G.exp(c.alpha, crypto::SecretScalar(tr.shares[i - 1])));
  if (!list.empty()) {
    // The batch proof (docs/ceremony.md section 11), computed term by term.
    const crypto::Digest seed = batch_seed(f, values_hash(G, f.values));
    Element a = G.identity(), d = G.identity();
    for (std::size_t k = 0; k < list.size(); ++k) {
      crypto::Bytes in(seed.begin(), seed.end());
      crypto::append_u64_be(in, k);
      const crypto::Digest h = crypto::sha256(in);
      const Scalar r = G.scalars().reduce(crypto::mpz_from_bytes(crypto::ByteView(h).first(16)));
      a = G.mul(a, G.exp_var(list[k].alpha, r));
      d = G.mul(d, G.exp_var(f.values[k], r));
    }
    const crypto::ProofContext ctx{kContext, crypto::to_bytes(partial_binding(i, seed))};
    f.proof = crypto::chaum_pedersen_prove(G, ctx, G.generator(), tr.vks[i - 1], a, d,
                                           tr.shares[i - 1], rng);
  }
  f.signature = tr.signers[i - 1].sign(partial_decryptions_signed_bytes(G, f));
  return f;
}

inline crypto::Json to_json(const crypto::Group& G, const PartialDecryptionFile& f) {
  crypto::Json values = crypto::Json::array();
  for (const Element& v : f.values) values.push_back(G.to_hex(v));
  crypto::Json j{{"format", "haal-partial-decryptions-v2"},        {"election_id", f.election_id},
                 {"context_hash", crypto::to_hex(f.context_hash)}, {"trustee", f.trustee},
                 {"alphas_hash", crypto::to_hex(f.alphas_hash)},   {"values", values},
                 {"signature", crypto::to_hex(f.signature)}};
  if (f.proof) j["proof"] = crypto::chaum_pedersen_proof_to_json(G, *f.proof);
  return j;
}

}  // namespace haal::verifier::test
