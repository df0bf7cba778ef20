// Second implementations, from docs/ceremony.md alone, of the bytes the ceremony hashes, signs
// and encrypts: if code and spec drift apart, these fail.
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "ceremony/threshold_decryption.hpp"
#include "ceremony_fixture.hpp"
#include "crypto/ed25519.hpp"

using namespace haal::ceremony;
using namespace haal::ceremony::testing;
using namespace haal::crypto;

namespace {

Bytes lp(ByteView data) {
  Bytes out;
  append_length_prefixed(out, data);
  return out;
}
Bytes lp(std::string_view text) {
  return lp(to_bytes(text));
}
void cat(Bytes& out, const Bytes& more) {
  out.insert(out.end(), more.begin(), more.end());
}

// Spec section 6, steps 1-4, decrypting with OpenSSL's EVP_PKEY HKDF interface (a different
// API path from the library's EVP_KDF).
Bytes spec_decrypt(const X25519PrivateKey& recipient, const EciesBinding& b,
                   const EciesCiphertext& c) {
  EvpPkeyPtr peer(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, c.ephemeral_public_key.data(), 32));
  EvpPkeyCtxPtr dh(EVP_PKEY_CTX_new(const_cast<EVP_PKEY*>(recipient.pkey()), nullptr));
  Bytes z(32);
  std::size_t zlen = 32;
  REQUIRE(EVP_PKEY_derive_init(dh.get()) == 1);
  REQUIRE(EVP_PKEY_derive_set_peer(dh.get(), peer.get()) == 1);
  REQUIRE(EVP_PKEY_derive(dh.get(), z.data(), &zlen) == 1);

  Bytes info = lp("HAAL-V1-ECIES-X25519-HKDF-SHA256-AES256GCM");
  cat(info, lp(b.sender));
  cat(info, lp(b.recipient));
  cat(info, lp(ByteView(b.context)));
  Bytes salt = c.ephemeral_public_key;
  cat(salt, recipient.public_key());
  EvpPkeyCtxPtr kdf(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
  REQUIRE(EVP_PKEY_derive_init(kdf.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_hkdf_md(kdf.get(), EVP_sha256()) == 1);
  REQUIRE(EVP_PKEY_CTX_set1_hkdf_salt(kdf.get(), salt.data(), static_cast<int>(salt.size())) == 1);
  REQUIRE(EVP_PKEY_CTX_set1_hkdf_key(kdf.get(), z.data(), static_cast<int>(z.size())) == 1);
  REQUIRE(EVP_PKEY_CTX_add1_hkdf_info(kdf.get(), info.data(), static_cast<int>(info.size())) == 1);
  Bytes okm(44);
  std::size_t okm_len = okm.size();
  REQUIRE(EVP_PKEY_derive(kdf.get(), okm.data(), &okm_len) == 1);

  Bytes aad = info;
  cat(aad, lp(ByteView(c.ephemeral_public_key)));
  EvpCipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  REQUIRE(EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, okm.data(), okm.data() + 32) ==
          1);
  int len = 0;
  REQUIRE(EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) ==
          1);
  Bytes plain(c.ciphertext.size());
  REQUIRE(EVP_DecryptUpdate(ctx.get(), plain.data(), &len, c.ciphertext.data(),
                            static_cast<int>(c.ciphertext.size())) == 1);
  Bytes tag = c.tag;
  REQUIRE(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1);
  REQUIRE(EVP_DecryptFinal_ex(ctx.get(), plain.data() + len, &len) == 1);
  return plain;
}

}  // namespace

TEST_CASE("Share encryption follows the spec byte for byte", "[spec]") {
  const X25519PrivateKey recipient = X25519PrivateKey::generate();
  const EciesBinding binding{"trustee-2", "trustee-5", Bytes(32, 0x42)};
  const Bytes secret = to_bytes("thirty-two bytes of secret share");
  const EciesCiphertext c = ecies_encrypt(recipient.public_key(), binding, secret);
  CHECK(spec_decrypt(recipient, binding, c) == secret);
}

TEST_CASE("Ceremony hashes and signatures follow the spec", "[spec]") {
  SteppedCeremony c(3, 2);
  c.through_shares();
  const Group& group = *c.params.group;

  // Round 1a commitment hash.
  const Json reveal = *c.board.load(reveal_file(2));
  Bytes input = lp("HAAL-V1-CEREMONY-COMMITMENT");
  cat(input, lp(ByteView(c.params.manifest_hash)));
  append_u32_be(input, 2);
  append_u32_be(input, 2);
  for (const auto& hex : reveal["coefficient_commitments"])
    cat(input, from_hex(hex.get<std::string>()));
  CHECK(to_hex(sha256(input)) == (*c.board.load(commitment_file(2)))["commitment_hash"]);

  // Message signatures: LP(domain) || CJ(message without signature).
  Json unsigned_reveal = reveal;
  unsigned_reveal.erase("signature");
  Bytes signed_bytes = lp("HAAL-V1-CEREMONY-MESSAGE");
  cat(signed_bytes, canonical_json_bytes(unsigned_reveal));
  const Json identity = *c.board.load(identity_file(2));
  CHECK(ed25519_verify(from_hex(identity["signing_key"].get<std::string>()), signed_bytes,
                       from_hex(reveal["signature"].get<std::string>())));
  // The manifest hash is H(manifest).
  CHECK(reveal["manifest_hash"] ==
        to_hex(canonical_json_hash(read_json_file(c.election / "manifest.json"))));
  // Files on the board are CJ(message) + "\n".
  std::ifstream in(c.board.directory() / reveal_file(2), std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  const Bytes expected_file = canonical_json_bytes(reveal);
  CHECK(text == std::string(expected_file.begin(), expected_file.end()) + "\n");

  // Partial decryptions: alphas hash and signed bytes.
  c.verify();
  c.answer();
  const CeremonyResult result = c.finalize();
  const Bytes context(32, 9);
  std::vector<Element> alphas{group.exp_generator_var(group.scalars().from_u64(5)),
                              group.exp_generator_var(group.scalars().from_u64(6))};
  const auto set = compute_partial_decryptions(group, c.params.election_id, context, c.trustee(1),
                                               *result.find(1), alphas);
  Bytes ah = lp("HAAL-V1-ALPHAS");
  append_u64_be(ah, 2);
  for (const auto& a : alphas) cat(ah, group.encode(a));
  const Digest alphas_digest = sha256(ah);
  CHECK(set.alphas_hash == alphas_digest);
  Bytes values = lp("HAAL-V2-PARTIAL-VALUES");
  append_u64_be(values, 2);
  for (const auto& v : set.values) cat(values, group.encode(v));
  const Digest values_digest = sha256(values);
  REQUIRE(set.proof);
  Bytes proof_bytes = group.scalars().encode(set.proof->challenge);
  cat(proof_bytes, group.scalars().encode(set.proof->response));
  Bytes sb = lp("HAAL-V2-PARTIAL-DECRYPTIONS");
  cat(sb, lp(c.params.election_id));
  cat(sb, lp(ByteView(context)));
  append_u32_be(sb, 1);
  cat(sb, lp(ByteView(alphas_digest)));
  cat(sb, lp(ByteView(values_digest)));
  cat(sb, lp(ByteView(proof_bytes)));
  CHECK(ed25519_verify(result.find(1)->signing_key, sb, set.signature));
  // The batch: seed, 128-bit weights, A = prod alpha_k^r_k, D = prod D_k^r_k, and the
  // Chaum-Pedersen proof log_g(VK_1) = log_A(D) under the batch binding.
  Bytes seed_in = lp("HAAL-V2-DECRYPTION-BATCH");
  cat(seed_in, lp(ByteView(context)));
  append_u32_be(seed_in, 1);
  cat(seed_in, lp(ByteView(alphas_digest)));
  cat(seed_in, lp(ByteView(values_digest)));
  const Digest seed = sha256(seed_in);
  Element a = group.identity(), d = group.identity();
  for (std::uint64_t k = 0; k < 2; ++k) {
    Bytes w_in(seed.begin(), seed.end());
    append_u64_be(w_in, k);
    const Digest w = sha256(w_in);
    const Scalar r = group.scalars().reduce(haal::crypto::mpz_from_bytes(ByteView(w).first(16)));
    a = group.mul(a, group.exp_var(alphas[k], r));
    d = group.mul(d, group.exp_var(set.values[k], r));
  }
  const haal::crypto::ProofContext batch{
      context, to_bytes("partial-decryption/trustee:1/batch:" + haal::crypto::to_hex(seed))};
  CHECK(haal::crypto::chaum_pedersen_verify_var(
      group, batch, group.generator(), result.find(1)->verification_key, a, d, *set.proof));
  // D = alpha^{s_1} and the verification key is g^{s_1}.
  CHECK(group.equal(set.values[0],
                    group.exp(alphas[0], haal::crypto::SecretScalar(*c.trustee(1).share))));
  CHECK(group.equal(result.find(1)->verification_key,
                    group.exp_generator(haal::crypto::SecretScalar(*c.trustee(1).share))));
}
