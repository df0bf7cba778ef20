// Known-answer vectors in tests/vectors/crypto-*.json: encodings, hash-to-scalar, hash-to-group,
// generator derivation, message embedding, ElGamal and every proof with a fixed seed
// (DeterministicRandomForTests). Other implementations (the browser client) must reproduce them.
// The test recomputes every vector and compares with the committed file; set
// HAAL_UPDATE_VECTORS=1 to rewrite the files after a deliberate format change.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "crypto/canonical_json.hpp"
#include "crypto/elgamal.hpp"
#include "crypto/proof_chaum_pedersen.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/proof_schnorr.hpp"

using namespace haal::crypto;

namespace {

Json make_vectors(const std::string& group_name) {
  const Group& g = group_by_name(group_name);
  const ScalarField& f = g.scalars();
  DeterministicRandomForTests rng(to_bytes("haal test vectors " + group_name));
  Json v;
  v["group"] = group_name;
  v["descriptor"] = to_hex(g.descriptor());
  v["fingerprint"] = to_hex(g.fingerprint());
  v["generator"] = g.to_hex(g.generator());

  Json h2s = Json::array();
  for (const char* msg : {"", "abc", "haal"}) {
    h2s.push_back({{"message", msg},
                   {"dst", "HAAL-V1-TEST"},
                   {"scalar", f.to_hex(f.hash_to_scalar(to_bytes(msg), "HAAL-V1-TEST"))}});
  }
  v["hash_to_scalar"] = h2s;

  Json gens = Json::array();
  for (const Element& e : g.independent_generators("haal-test-generators", 3))
    gens.push_back(g.to_hex(e));
  v["independent_generators"] = {{"seed_label", "haal-test-generators"}, {"elements", gens}};

  Json embeds = Json::array();
  for (const char* msg : {"", "A", "write-in: Mari Tamm"}) {
    embeds.push_back({{"message_hex", to_hex(to_bytes(msg))},
                      {"element", g.to_hex(g.encode_message_var(to_bytes(msg)))}});
  }
  v["message_embedding"] = embeds;

  const Scalar x = f.random_nonzero(rng);
  const Element pk = g.exp_generator(SecretScalar(x));
  v["secret_key"] = f.to_hex(x);
  v["public_key"] = g.to_hex(pk);
  const ElGamalEncryptor enc(g, pk);
  const Scalar r = f.random_nonzero(rng);
  const Element m = g.encode_message_var(to_bytes("A"));
  const Ciphertext ct = enc.encrypt(m, SecretScalar(r));
  v["elgamal"] = {{"message", g.to_hex(m)},
                  {"randomness", f.to_hex(r)},
                  {"alpha", g.to_hex(ct.alpha)},
                  {"beta", g.to_hex(ct.beta)}};

  const Digest election = sha256(std::string_view("haal test election"));
  const ProofContext ctx{Bytes(election.begin(), election.end()), to_bytes("binding")};
  v["proof_context"] = {{"election_hash", to_hex(ctx.election_hash)},
                        {"binding", to_hex(ctx.binding)}};
  v["schnorr"] = schnorr_proof_to_json(g, schnorr_prove(g, ctx, g.generator(), pk, x, rng));
  const Element share = g.exp(ct.alpha, SecretScalar(x));
  v["chaum_pedersen"] = {
      {"g2", g.to_hex(ct.alpha)},
      {"B", g.to_hex(share)},
      {"proof", chaum_pedersen_proof_to_json(
                    g, chaum_pedersen_prove(g, ctx, g.generator(), pk, ct.alpha, share, x, rng))}};
  const CiphertextVector cts{ct};
  const Scalar rs[] = {r};
  v["ciphertext_randomness"] =
      ciphertext_randomness_proof_to_json(g, ciphertext_randomness_prove(g, ctx, cts, rs, rng));
  return v;
}

std::string vector_path(const std::string& group_name) {
  return std::string(HAAL_SOURCE_DIR) + "/tests/vectors/crypto-" + group_name + ".json";
}

}  // namespace

TEST_CASE("known-answer vectors match tests/vectors/crypto-*.json") {
  for (const std::string& name : {std::string("P-256"), std::string("modp-2048")}) {
    INFO(name);
    const Json computed = make_vectors(name);
    if (std::getenv("HAAL_UPDATE_VECTORS") != nullptr) {
      std::ofstream(vector_path(name)) << computed.dump(2) << "\n";
    }
    std::ifstream in(vector_path(name));
    REQUIRE(in.good());
    const Json stored = Json::parse(in);
    CHECK(stored == computed);

    // The stored proofs verify with the stored statement.
    const Group& g = group_by_name(name);
    const ProofContext ctx{from_hex(stored["proof_context"]["election_hash"].get<std::string>()),
                           from_hex(stored["proof_context"]["binding"].get<std::string>())};
    const Element pk = g.from_hex_var(stored["public_key"].get<std::string>());
    CHECK(schnorr_verify_var(g, ctx, g.generator(), pk,
                             schnorr_proof_from_json(g, stored["schnorr"], "schnorr")));
  }
}
