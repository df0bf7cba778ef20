// Throughput of stages 1-5 on a synthetic record (hidden: run with
//   HAAL_VERIFIER_PERF_VOTERS=100000 build/bin/haal-test-verifier "[.perf]"
// and HAAL_VERIFIER_PERF_KEEP=DIR to keep the record for running build/bin/haal-verify on it).
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/random_source.hpp"
#include "tests/verifier/record_builder.hpp"
#include "verifier-app/randomness_proof.hpp"

using namespace haal::verifier;
using namespace haal::verifier::testing;
namespace fs = std::filesystem;

TEST_CASE("perf: stages 1-5 on a synthetic record", "[.perf]") {
  const char* voters_env = std::getenv("HAAL_VERIFIER_PERF_VOTERS");
  const char* keep = std::getenv("HAAL_VERIFIER_PERF_KEEP");
  const std::size_t voters = voters_env ? std::stoul(voters_env) : 2000;
  const fs::path dir = keep ? fs::path(keep) : fresh_temp_path("perf");
  auto start = std::chrono::steady_clock::now();
  build_record(dir, BuildOptions{.voters = voters});
  const double build_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  const Report report = verify_path(dir);
  const double verify_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  std::cerr << voters << " voters: built in " << build_s << " s, stages 1-8 verified in "
            << verify_s << " s\n";
  report.print_summary(std::cerr);
  if (!keep) fs::remove_all(dir);
}

TEST_CASE("perf: ballot proof verification, generic vs generator-table commitments", "[.perf]") {
  const haal::crypto::Group& group = haal::crypto::group_by_name("P-256");
  haal::crypto::DeterministicRandomForTests rng(haal::crypto::to_bytes("perf"));
  const haal::crypto::Element h = group.exp_generator(group.scalars().random_secret(rng));
  const haal::crypto::ElGamalEncryptor enc(group, h);
  const haal::crypto::ProofContext pc{haal::crypto::Bytes(32, 1),
                                      haal::crypto::to_bytes("binding")};
  std::vector<haal::crypto::Element> m = {group.encode_message_var(haal::crypto::to_bytes("m"))};
  std::vector<haal::crypto::Scalar> r = {group.scalars().random_nonzero(rng)};
  const auto cts = enc.encrypt(m, std::vector<haal::crypto::SecretScalar>(r.begin(), r.end()));
  const auto proof = haal::crypto::ciphertext_randomness_prove(group, pc, cts, r, rng);
  constexpr int kRounds = 2000;
  auto time = [&](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) REQUIRE(f());
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
               .count() /
           kRounds;
  };
  const double generic =
      time([&] { return haal::crypto::ciphertext_randomness_verify_var(group, pc, cts, proof); });
  const double fast = time([&] { return randomness_proof_valid_var(group, pc, cts, proof); });
  std::cerr << "randomness proof, width 1: crypto verify " << generic << " us, verifier " << fast
            << " us\n";
}

TEST_CASE("perf: per-ballot primitive costs", "[.perf]") {
  const haal::crypto::Group& group = haal::crypto::group_by_name("P-256");
  haal::crypto::DeterministicRandomForTests rng(haal::crypto::to_bytes("perf2"));
  const auto key = haal::crypto::Ed25519PrivateKey::from_seed(haal::crypto::Bytes(32, 7));
  const haal::crypto::Bytes message(600, 'x');
  const haal::crypto::Bytes signature = key.sign(message);
  const haal::crypto::Bytes public_key = key.public_key();
  const haal::crypto::Bytes point =
      group.encode(group.exp_generator(group.scalars().random_secret(rng)));
  const haal::crypto::Element base = group.decode_var(point);
  const haal::crypto::Scalar k = group.scalars().random_nonzero(rng);
  constexpr int kRounds = 2000;
  auto time = [&](auto&& f) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRounds; ++i) f();
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
               .count() /
           kRounds;
  };
  std::cerr << "ed25519_verify "
            << time([&] { REQUIRE(haal::crypto::ed25519_verify(public_key, message, signature)); })
            << " us\n";
  std::cerr << "P-256 decode " << time([&] { (void)group.decode_var(point); }) << " us\n";
  std::cerr << "P-256 exp_var " << time([&] { (void)group.exp_var(base, k); }) << " us\n";
  std::cerr << "P-256 exp_generator "
            << time([&] { (void)group.exp_generator(haal::crypto::SecretScalar(k)); }) << " us\n";
}
