// Measurements (hidden; run by hand, see docs/verifier-mixing.md "Performance"):
//   HAAL_PERF_N=100000 HAAL_PERF_OUT=in.json haal-test-verifier-mix "[.perf-input]"
//     writes N random P-256 ciphertexts as JSON and prints the public key (input for a prover);
//   HAAL_PERF_DIR=DIR haal-test-verifier-mix "[.perf]"
//     verifies the proof directory DIR (protInfo.xml, nizkp/) and prints the time.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "crypto/elgamal.hpp"
#include "crypto/json_codec.hpp"
#include "fixture_util.hpp"

using namespace haal;
using namespace haal::verifier::shuffle;

TEST_CASE("write a random input list", "[.perf-input]") {
  const char* n_env = std::getenv("HAAL_PERF_N");
  const char* out_env = std::getenv("HAAL_PERF_OUT");
  REQUIRE(n_env != nullptr);
  REQUIRE(out_env != nullptr);
  const std::size_t n = std::stoul(n_env);
  const crypto::Group& g = crypto::group_by_name("P-256");
  auto& rng = crypto::system_random();
  const crypto::Element y = g.exp_generator(g.scalars().random_secret(rng));
  const crypto::ElGamalEncryptor enc(g, y);
  crypto::Json list = crypto::Json::array();
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = enc.encrypt(g.exp_generator(g.scalars().random_secret(rng)),
                               g.scalars().random_secret(rng));
    list.push_back(
        crypto::Json::array({{{"alpha", g.to_hex(c.alpha)}, {"beta", g.to_hex(c.beta)}}}));
  }
  std::ofstream(out_env) << list.dump();
  std::cout << "public key " << g.to_hex(y) << "\n";
}

TEST_CASE("verify a proof directory and time it", "[.perf]") {
  const char* dir = std::getenv("HAAL_PERF_DIR");
  REQUIRE(dir != nullptr);
  const auto start = std::chrono::steady_clock::now();
  const auto files = haal::verifier::test::MemoryDir::load(dir);
  const VmnGroup group(crypto::group_by_name("P-256"));
  const MixChainResult r = verify_mix_directory(group, files.source(), Workers{2, &std::cerr});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& e : r.errors) std::cout << e << "\n";
  for (const auto& sv : r.servers)
    std::cout << "server " << sv.index << ": " << (sv.failure.empty() ? "ok" : sv.failure) << "\n";
  std::cout << r.count << " ciphertexts, " << r.servers.size() << " servers: " << s << " s\n";
  CHECK(r.ok());
}
