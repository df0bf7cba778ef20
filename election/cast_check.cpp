#include "election/cast_check.hpp"

#include "crypto/canonical_json.hpp"
#include "crypto/proof_schnorr.hpp"
#include "election/tracking_code.hpp"

namespace haal::election {

std::string check_key_text(crypto::ByteView seed) {
  if (seed.size() != kBallotSeedLength) {
    throw std::invalid_argument("a ballot seed has " + std::to_string(kBallotSeedLength) +
                                " bytes");
  }
  return group_by_four(base32_encode(seed));
}

crypto::Bytes check_key_seed(std::string_view text) {
  return base32_decode_grouped(text, kBallotSeedLength, "check key");
}

std::vector<DecodedSelection> open_cast_ballot_var(const ElectionContext& context,
                                                   const Json& contests, crypto::ByteView seed) {
  const crypto::Group& group = context.group();
  const Manifest& manifest = context.manifest();
  if (!contests.is_array() || contests.size() != manifest.contests.size()) {
    throw std::invalid_argument("the ballot does not have this election's contests");
  }
  std::vector<DecodedSelection> out;
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    const Json& cts = contests[i].at("ciphertexts");
    std::vector<crypto::Element> messages;
    for (std::size_t j = 0; j < cts.size(); ++j) {
      const crypto::Scalar r = ballot_randomness(context, seed, i, j);
      // (g^r, h^r): the encryption of the identity with r.
      const crypto::Ciphertext pad =
          context.encryptor().encrypt(group.identity(), crypto::SecretScalar(r));
      const crypto::Element alpha =
          group.decode_var(crypto::from_hex(cts[j].at("alpha").get<std::string>()));
      if (!group.equal(pad.alpha, alpha)) {
        throw std::invalid_argument("the check key does not open this ballot (contest \"" +
                                    manifest.contests[i].id + "\", ciphertext " +
                                    std::to_string(j) + ")");
      }
      const crypto::Element beta =
          group.decode_var(crypto::from_hex(cts[j].at("beta").get<std::string>()));
      messages.push_back(group.div(beta, pad.beta));
    }
    out.push_back(decode_contest_plaintexts_var(group, manifest.contests[i], messages));
  }
  return out;
}

crypto::Bytes check_request_binding(const ElectionContext& context,
                                    const std::string& tracking_code) {
  return crypto::canonical_json_bytes(Json{{"type", "haal-cast-check-v1"},
                                           {"context_hash", crypto::to_hex(context.hash())},
                                           {"tracking_code", tracking_code}});
}

Json make_check_request(const ElectionContext& context, const std::string& tracking_code,
                        crypto::ByteView seed, crypto::RandomSource& rng) {
  const crypto::Group& group = context.group();
  const crypto::Scalar r = ballot_randomness(context, seed, 0, 0);
  const crypto::Element alpha = group.exp_generator(crypto::SecretScalar(r));
  const crypto::ProofContext proof_context{context.hash_bytes(),
                                           check_request_binding(context, tracking_code)};
  return Json{{"proof", crypto::schnorr_proof_to_json(
                            group, crypto::schnorr_prove(group, proof_context, group.generator(),
                                                         alpha, r, rng))}};
}

bool check_request_valid_var(const ElectionContext& context, const std::string& tracking_code,
                             const Json& ballot, const Json& request) {
  try {
    const crypto::Group& group = context.group();
    if (!request.is_object() || request.size() != 1 || !request.contains("proof")) return false;
    const crypto::SchnorrProof proof =
        crypto::schnorr_proof_from_json(group, request.at("proof"), "proof");
    const crypto::Element alpha = group.decode_var(crypto::from_hex(
        ballot.at("contests").at(0).at("ciphertexts").at(0).at("alpha").get<std::string>()));
    const crypto::ProofContext proof_context{context.hash_bytes(),
                                             check_request_binding(context, tracking_code)};
    return crypto::schnorr_verify_var(group, proof_context, group.generator(), alpha, proof);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace haal::election
