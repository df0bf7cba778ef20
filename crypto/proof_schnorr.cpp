#include "crypto/proof_schnorr.hpp"

#include "crypto/transcript.hpp"

namespace haal::crypto {

namespace {
constexpr std::string_view kTag = "HAAL-V1-SCHNORR";

Scalar schnorr_challenge(const Group& group, const ProofContext& context, const Element& base,
                         const Element& y, const Element& commitment) {
  Transcript t(kTag, group, context.election_hash);
  t.append("binding", context.binding);
  t.append_element("base", base).append_element("y", y).append_element("commitment", commitment);
  return t.challenge();
}
}  // namespace

SchnorrProof schnorr_prove(const Group& group, const ProofContext& context, const Element& base,
                           const Element& y, const Scalar& x, RandomSource& rng) {
  const ScalarField& f = group.scalars();
  const Scalar w = f.random_nonzero(rng);
  const Element commitment = group.exp(base, SecretScalar(w));
  Scalar c = schnorr_challenge(group, context, base, y, commitment);
  Scalar z = f.add(w, f.mul(c, x));
  return SchnorrProof{std::move(c), std::move(z)};
}

bool schnorr_verify_var(const Group& group, const ProofContext& context, const Element& base,
                        const Element& y, const SchnorrProof& proof) {
  // commitment = base^z * y^-c
  const Element bases[] = {base, y};
  const Scalar exps[] = {proof.response, group.scalars().neg(proof.challenge)};
  const Element commitment = group.multi_exp_var(bases, exps);
  if (group.is_identity(commitment)) return false;
  return schnorr_challenge(group, context, base, y, commitment) == proof.challenge;
}

Json schnorr_proof_to_json(const Group& group, const SchnorrProof& proof) {
  return Json{{"challenge", scalar_to_json(group, proof.challenge)},
              {"response", scalar_to_json(group, proof.response)}};
}

SchnorrProof schnorr_proof_from_json(const Group& group, const Json& j, std::string_view path) {
  const std::string p(path);
  reject_unknown_fields(j, {"challenge", "response"}, p);
  return SchnorrProof{scalar_from_json(group, require_field(j, "challenge", p), p + ".challenge"),
                      scalar_from_json(group, require_field(j, "response", p), p + ".response")};
}

}  // namespace haal::crypto
