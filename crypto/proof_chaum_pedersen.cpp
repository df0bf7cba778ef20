#include "crypto/proof_chaum_pedersen.hpp"

#include "crypto/transcript.hpp"

namespace haal::crypto {

namespace {
constexpr std::string_view kTag = "HAAL-V1-CHAUM-PEDERSEN";

Scalar chaum_pedersen_challenge(const Group& group, const ProofContext& context, const Element& g1,
                                const Element& a, const Element& g2, const Element& b,
                                const Element& commitment1, const Element& commitment2) {
  Transcript t(kTag, group, context.election_hash);
  t.append("binding", context.binding);
  t.append_element("g1", g1).append_element("A", a).append_element("g2", g2).append_element("B", b);
  t.append_element("commitment1", commitment1).append_element("commitment2", commitment2);
  return t.challenge();
}
}  // namespace

ChaumPedersenProof chaum_pedersen_prove(const Group& group, const ProofContext& context,
                                        const Element& g1, const Element& a, const Element& g2,
                                        const Element& b, const Scalar& x, RandomSource& rng) {
  const ScalarField& f = group.scalars();
  const Scalar w = f.random_nonzero(rng);
  Scalar c = chaum_pedersen_challenge(group, context, g1, a, g2, b, group.exp(g1, SecretScalar(w)),
                                      group.exp(g2, SecretScalar(w)));
  Scalar z = f.add(w, f.mul(c, x));
  return ChaumPedersenProof{std::move(c), std::move(z)};
}

bool chaum_pedersen_verify_var(const Group& group, const ProofContext& context, const Element& g1,
                               const Element& a, const Element& g2, const Element& b,
                               const ChaumPedersenProof& proof) {
  const Scalar minus_c = group.scalars().neg(proof.challenge);
  const Element bases1[] = {g1, a};
  const Element bases2[] = {g2, b};
  const Scalar exps[] = {proof.response, minus_c};
  const Element commitment1 = group.multi_exp_var(bases1, exps);
  const Element commitment2 = group.multi_exp_var(bases2, exps);
  if (group.is_identity(commitment1) || group.is_identity(commitment2)) return false;
  return chaum_pedersen_challenge(group, context, g1, a, g2, b, commitment1, commitment2) ==
         proof.challenge;
}

Json chaum_pedersen_proof_to_json(const Group& group, const ChaumPedersenProof& proof) {
  return Json{{"challenge", scalar_to_json(group, proof.challenge)},
              {"response", scalar_to_json(group, proof.response)}};
}

ChaumPedersenProof chaum_pedersen_proof_from_json(const Group& group, const Json& j,
                                                  std::string_view path) {
  const std::string p(path);
  reject_unknown_fields(j, {"challenge", "response"}, p);
  return ChaumPedersenProof{
      scalar_from_json(group, require_field(j, "challenge", p), p + ".challenge"),
      scalar_from_json(group, require_field(j, "response", p), p + ".response")};
}

}  // namespace haal::crypto
