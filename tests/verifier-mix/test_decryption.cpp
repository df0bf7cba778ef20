// Stage 7 cores: partial-decryption checks, Lagrange combination, plaintext decoding. The test
// data is produced here with haal_crypto (a dealer-made (t, n) sharing, honest batch
// Chaum-Pedersen proofs, Ed25519 signatures), independently of the ceremony component.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"
#include "threshold_util.hpp"
#include "verifier-app/decryption/plaintext_decoding.hpp"
#include "verifier-app/decryption/threshold_check.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::decryption;
using crypto::Element;
using crypto::Scalar;
using namespace haal::verifier::test;

TEST_CASE("partial decryptions: honest accepted, tampered rejected, any t combine", "[decrypt]") {
  const std::string name = GENERATE(as<std::string>{}, "P-256", "modp-2048");
  const crypto::Group& G = crypto::group_by_name(name);
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("stage7-" + name));
  const Trustees tr = deal(G, 3, 2, rng);
  const crypto::ElGamalEncryptor enc(G, tr.public_key);
  std::vector<Element> messages;
  std::vector<crypto::Ciphertext> list;
  for (int k = 0; k < 6; ++k) {
    messages.push_back(G.encode_message_var(crypto::to_bytes("m" + std::to_string(k))));
    list.push_back(enc.encrypt(messages.back(), G.scalars().random_secret(rng)));
  }
  std::vector<Element> alphas, betas;
  for (const auto& c : list) {
    alphas.push_back(c.alpha);
    betas.push_back(c.beta);
  }
  std::vector<PartialDecryptionFile> files;
  for (std::uint32_t i = 1; i <= 3; ++i) {
    // Round trip through the JSON form the record holds.
    files.push_back(parse_partial_decryptions(G, to_json(G, partials(tr, i, list, rng)),
                                              "trustee-" + std::to_string(i)));
  }
  const auto check = [&](const PartialDecryptionFile& f, std::uint32_t i) {
    return check_partial_decryptions_var(G, f, i, "e1", kContext, alphas, tr.vks[i - 1],
                                         tr.signers[i - 1].public_key(), 2, nullptr);
  };
  for (std::uint32_t i = 1; i <= 3; ++i) CHECK(check(files[i - 1], i).ok());

  SECTION("every pair of trustees combines to the messages") {
    for (const auto& pair :
         std::vector<std::vector<std::uint32_t>>{{1, 2}, {1, 3}, {2, 3}, {3, 1}}) {
      std::vector<const std::vector<Element>*> parts;
      for (auto i : pair) parts.push_back(&files[i - 1].values);
      const auto m = combine_partials_var(G, pair, parts, betas, 2, nullptr);
      for (std::size_t k = 0; k < m.size(); ++k) CHECK(G.equal(m[k], messages[k]));
    }
    // One trustee is not enough.
    std::vector<const std::vector<Element>*> one{&files[0].values};
    const auto m = combine_partials_var(G, {1}, one, betas, 1, nullptr);
    CHECK_FALSE(G.equal(m[0], messages[0]));
  }
  SECTION("tampered files are rejected with the reason") {
    PartialDecryptionFile f = files[1];
    f.values[4] = G.mul(f.values[4], G.generator());
    f.signature = tr.signers[1].sign(partial_decryptions_signed_bytes(G, f));  // re-signed
    CHECK_THAT(check(f, 2).failure, Catch::Contains("batch Chaum-Pedersen proof"));

    f = files[1];
    f.values[0] = G.mul(f.values[0], G.generator());  // not re-signed
    CHECK_THAT(check(f, 2).failure, Catch::Contains("signature"));

    // A proof field changed (re-signed); the values of two ciphertexts swapped; two errors
    // that cancel in an unweighted product.
    f = files[1];
    f.proof->response = G.scalars().add(f.proof->response, G.scalars().from_u64(1));
    f.signature = tr.signers[1].sign(partial_decryptions_signed_bytes(G, f));
    CHECK_THAT(check(f, 2).failure, Catch::Contains("batch Chaum-Pedersen proof"));
    f = files[1];
    f.proof->challenge = G.scalars().add(f.proof->challenge, G.scalars().from_u64(1));
    f.signature = tr.signers[1].sign(partial_decryptions_signed_bytes(G, f));
    CHECK_THAT(check(f, 2).failure, Catch::Contains("batch Chaum-Pedersen proof"));
    f = files[1];
    std::swap(f.values[1], f.values[2]);
    f.signature = tr.signers[1].sign(partial_decryptions_signed_bytes(G, f));
    CHECK_THAT(check(f, 2).failure, Catch::Contains("batch Chaum-Pedersen proof"));
    f = files[1];
    f.values[1] = G.mul(f.values[1], G.generator());
    f.values[2] = G.div(f.values[2], G.generator());
    f.signature = tr.signers[1].sign(partial_decryptions_signed_bytes(G, f));
    CHECK_THAT(check(f, 2).failure, Catch::Contains("batch Chaum-Pedersen proof"));
    f = files[1];
    f.proof.reset();
    f.signature = tr.signers[1].sign(partial_decryptions_signed_bytes(G, f));
    CHECK_THAT(check(f, 2).failure, Catch::Contains("proof: missing"));

    CHECK_THAT(check(files[0], 2).failure, Catch::Contains("file name"));
    CHECK_FALSE(check_partial_decryptions_var(G, files[1], 2, "e2", kContext, alphas, tr.vks[1],
                                              tr.signers[1].public_key(), 1, nullptr)
                    .ok());
    std::vector<Element> other = alphas;
    std::swap(other[0], other[1]);
    CHECK_THAT(check_partial_decryptions_var(G, files[1], 2, "e1", kContext, other, tr.vks[1],
                                             tr.signers[1].public_key(), 1, nullptr)
                   .failure,
               Catch::Contains("alphas_hash"));
    // Proofs are checked against VK_i: trustee 2's file does not verify as trustee 3's key.
    PartialDecryptionFile g = files[1];
    CHECK_FALSE(check_partial_decryptions_var(G, g, 2, "e1", kContext, alphas, tr.vks[2],
                                              tr.signers[1].public_key(), 1, nullptr)
                    .ok());
  }
  SECTION("malformed JSON is rejected naming the field") {
    crypto::Json j = to_json(G, files[0]);
    j["values"][3] = "00";
    CHECK_THROWS_WITH(parse_partial_decryptions(G, j, "decrypt/c/trustee-1.json"),
                      Catch::Contains("decrypt/c/trustee-1.json.values[3]"));
    j = to_json(G, files[0]);
    j.erase("proof");
    CHECK_THROWS_WITH(parse_partial_decryptions(G, j, "t"), Catch::Contains("t.proof: missing"));
    j = to_json(G, files[0]);
    j["extra"] = 1;
    CHECK_THROWS_WITH(parse_partial_decryptions(G, j, "t"), Catch::Contains("extra"));
  }
}

TEST_CASE("Lagrange coefficients at zero", "[decrypt]") {
  const auto& Zq = crypto::group_by_name("P-256").scalars();
  const auto l = lagrange_at_zero(Zq, {1, 2});
  CHECK(l[0] == Zq.from_u64(2));          // 2 / (2 - 1)
  CHECK(l[1] == Zq.neg(Zq.from_u64(1)));  // 1 / (1 - 2)
  CHECK_THROWS(lagrange_at_zero(Zq, {1, 1}));
  CHECK_THROWS(lagrange_at_zero(Zq, {0, 1}));
}

namespace {

ManifestContest choose_contest() {
  ManifestContest c;
  c.id = "mayor";
  c.kind = "approval";
  c.min = 0;
  c.max = 3;
  c.options = {{"a", {"A", {}}}, {"b", {"B", {}}}, {"c", {"C", {}}}};
  c.write_in_max_bytes = 8;
  return c;
}

ManifestContest ranked_contest() {
  ManifestContest c;
  c.id = "council";
  c.kind = "ranked";
  c.min = 1;
  c.max = 3;
  c.options = {{"a", {"A", {}}}, {"b", {"B", {}}}, {"c", {"C", {}}}, {"d", {"D", {}}}};
  return c;
}

}  // namespace

TEST_CASE("plaintext decoding", "[decrypt][decode]") {
  const ManifestContest choose = choose_contest();
  // bitmap (4 candidates -> 1 byte) + u16 length + 8 bytes
  REQUIRE(plaintext_length(choose) == 11);
  crypto::Bytes p = {0xa0, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};  // a and c
  auto b = decode_plaintext(choose, p);
  CHECK(b.valid);
  CHECK(b.candidates == std::vector<std::size_t>{0, 2});
  CHECK(decoded_to_json(choose, b).dump() == R"({"selection":["a","c"]})");

  p = {0x50, 0x00, 0x03, 'Z', 'o', 'e', 0, 0, 0, 0, 0};  // b and the write-in "Zoe"
  b = decode_plaintext(choose, p);
  CHECK(b.valid);
  CHECK(b.candidates == std::vector<std::size_t>{1, 3});
  CHECK(b.write_in == "Zoe");
  CHECK(decoded_to_json(choose, b).dump() == R"({"selection":["b",{"write_in":"Zoe"}]})");

  const std::vector<std::pair<crypto::Bytes, std::string>> bad = {
      {{0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "unused bitmap bit 4"},
      {{0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "empty write-in"},
      {{0x00, 0, 2, 'h', 'i', 0, 0, 0, 0, 0, 0}, "write-in text without the write-in"},
      {{0x10, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0}, "over the limit"},
      {{0x10, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 1}, "padding"},
      {{0x10, 0, 1, 0x07, 0, 0, 0, 0, 0, 0, 0}, "control character"},
      {{0x10, 0, 2, 0xc3, 0x28, 0, 0, 0, 0, 0, 0}, "UTF-8"},
      {{0xf0, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0}, "at most 3"},
      {{0xa0, 0}, "plaintext of 2 bytes"}};
  for (const auto& [bytes, reason] : bad) {
    const auto r = decode_plaintext(choose, bytes);
    INFO(reason);
    CHECK_FALSE(r.valid);
    CHECK_THAT(r.reason, Catch::Contains(reason));
  }

  const ManifestContest ranked = ranked_contest();
  REQUIRE(plaintext_length(ranked) == 6);
  b = decode_plaintext(ranked, crypto::Bytes{0, 3, 0, 1, 0, 0});  // c then a
  CHECK(b.valid);
  CHECK(b.candidates == std::vector<std::size_t>{2, 0});
  CHECK_THAT(decode_plaintext(ranked, crypto::Bytes{0, 0, 0, 1, 0, 0}).reason,
             Catch::Contains("at least 1") || Catch::Contains("after an empty rank"));
  CHECK_THAT(decode_plaintext(ranked, crypto::Bytes{0, 5, 0, 0, 0, 0}).reason,
             Catch::Contains("candidate 5"));
  CHECK_THAT(decode_plaintext(ranked, crypto::Bytes{0, 2, 0, 2, 0, 0}).reason,
             Catch::Contains("repeated"));
  CHECK_THAT(decode_plaintext(ranked, crypto::Bytes{0, 0, 0, 0, 0, 0}).reason,
             Catch::Contains("at least 1"));

  // Through group elements: chunking by capacity, and elements that embed nothing.
  for (const std::string name : {"P-256", "modp-2048"}) {
    const crypto::Group& G = crypto::group_by_name(name);
    ManifestContest wide = choose_contest();
    wide.write_in_max_bytes = 40;  // 43 bytes: 2 elements on P-256 (capacity 30)
    const std::size_t w = plaintext_width(G, wide);
    CHECK(w == (name == "P-256" ? 2u : 1u));
    crypto::Bytes pw(plaintext_length(wide), 0);
    pw[0] = 0x80;
    std::vector<Element> es;
    for (std::size_t off = 0; off < pw.size(); off += G.message_capacity()) {
      const std::size_t len = std::min(G.message_capacity(), pw.size() - off);
      es.push_back(G.encode_message_var(crypto::ByteView(pw).subspan(off, len)));
    }
    const auto ok = decode_ballot_var(G, wide, es);
    CHECK(ok.valid);
    CHECK(ok.candidates == std::vector<std::size_t>{0});
    std::vector<Element> broken = es;
    broken[0] = G.mul(es[0], es[0]);
    CHECK_FALSE(decode_ballot_var(G, wide, broken).valid);
    CHECK_THAT(decode_ballot_var(G, wide, std::vector<Element>(es.begin(), es.begin() + 1)).reason +
                   decode_ballot_var(G, wide, std::vector<Element>{es[0], es[0], es[0]}).reason,
               Catch::Contains("expected"));
  }
}

// Hidden: HAAL_PERF_N=2000 haal-test-verifier-mix "[.perf-decrypt]" times stage 7's proof checks
// of one trustee against the generic crypto::chaum_pedersen_verify_var (single thread).
// CPU time of the calling thread, in microseconds.
double thread_cpu_us() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

TEST_CASE("perf: stage 7 batch check of one trustee's partial decryptions", "[.perf-decrypt]") {
  const char* n_env = std::getenv("HAAL_PERF_N");
  const std::size_t n = n_env ? std::stoul(n_env) : 2000;
  const crypto::Group& G = crypto::group_by_name("P-256");
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("stage7-perf"));
  const Trustees tr = deal(G, 3, 2, rng);
  const crypto::ElGamalEncryptor enc(G, tr.public_key);
  std::vector<crypto::Ciphertext> list;
  std::vector<Element> alphas;
  for (std::size_t k = 0; k < n; ++k) {
    list.push_back(enc.encrypt(G.exp_generator(G.scalars().random_secret(rng)),
                               G.scalars().random_secret(rng)));
    alphas.push_back(G.decode_var(G.encode(list.back().alpha)));  // as read from a file
  }
  const PartialDecryptionFile f =
      parse_partial_decryptions(G, to_json(G, partials(tr, 1, list, rng)), "trustee-1");
  const double start = thread_cpu_us();
  REQUIRE(check_partial_decryptions_var(G, f, 1, "e1", kContext, alphas, tr.vks[0],
                                        tr.signers[0].public_key(), 1, nullptr)
              .ok());
  const double stage7 = thread_cpu_us() - start;
  std::cerr << n << " partial decryptions: stage 7 batch check (with hashes and signature) "
            << stage7 / static_cast<double>(n) << " us each (thread CPU time)\n";
}
