#include "mixnet/mix_bench.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "crypto/base/parallel.hpp"
#include "crypto/openssl_handles.hpp"
#include "crypto/random_source.hpp"
#include "mixnet/session.hpp"
#include "mixnet/shuffle_proof.hpp"

namespace haal::mixnet {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// CPU seconds of all threads of the process (the machine may be shared: wall time alone would
// hide how much of it the mix-net actually got).
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Single-thread P-256 ECDH derivations per second, counted as `openssl speed ecdhp256` counts
// them (EVP_PKEY_derive with one fixed key pair and peer, repeated for `seconds`): the unit of
// the benchmark figures (docs/mixnet.md 11), measured in the same run as the timings.
double ecdh_p256_per_second(double seconds) {
  const auto keygen = [] {
    crypto::EvpPkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) throw std::runtime_error("P-256 key generation failed");
    return key;
  };
  const crypto::EvpPkeyPtr own = keygen();
  const crypto::EvpPkeyPtr peer = keygen();
  const crypto::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) <= 0) {
    throw std::runtime_error("P-256 ECDH set-up failed");
  }
  unsigned char secret[32];
  std::size_t operations = 0;
  double elapsed = 0;
  const auto start = std::chrono::steady_clock::now();
  do {
    for (int i = 0; i < 64; ++i) {
      std::size_t length = sizeof secret;
      if (EVP_PKEY_derive(ctx.get(), secret, &length) <= 0) {
        throw std::runtime_error("P-256 ECDH derivation failed");
      }
    }
    operations += 64;
    elapsed = seconds_since(start);
  } while (elapsed < seconds);
  OPENSSL_cleanse(secret, sizeof secret);
  return static_cast<double>(operations) / elapsed;
}

}  // namespace

std::string run_mix_bench(const MixBenchOptions& options) {
  const std::size_t n = options.ciphertexts;
  const std::size_t width = options.width;
  const std::string& group_name = options.group;
  if (n == 0 || width == 0) throw std::invalid_argument("N and width must be positive");
  auto& rng = haal::crypto::system_random();
  const crypto::Group& g = crypto::group_by_name(group_name);

  // Input: N random encryptions of random group elements (not timed).
  const SecretScalar x(random_scalar(g.order(), rng));
  const Bytes y = g.exp(g.generator_compact(), x);
  CiphertextList input(g, width, n);
  {
    const auto gt = g.precompute(g.generator_compact(), 2 * n * width);
    const auto yt = g.precompute(y, n * width);
    base::Progress progress("generate input", 3 * n * width);
    for (std::size_t k = 0; k < width; ++k) {
      std::vector<SecretScalar> r(n), m(n);
      for (std::size_t i = 0; i < n; ++i) {
        r[i].reveal() = random_scalar(g.order(), rng);
        m[i].reveal() = random_scalar(g.order(), rng);
      }
      ElementArray messages;
      g.exp_combine(*gt, m, nullptr, {}, nullptr, messages, &progress);
      g.exp_combine(*gt, r, nullptr, {}, nullptr, input.u[k], &progress);
      g.exp_combine(*yt, r, nullptr, {}, &messages, input.v[k], &progress);
    }
  }
  ProofParams params;
  params.rho = Bytes(32, 0x42);

  const double ecdh_before = ecdh_p256_per_second(1.0);
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_seconds();
  ShuffleWitness witness;
  const CiphertextList output = shuffle_ciphertexts(g, y, input, witness, rng);
  const double shuffle_s = seconds_since(t0);
  const double shuffle_cpu = cpu_seconds() - c0;
  c0 = cpu_seconds();

  t0 = std::chrono::steady_clock::now();
  Bytes pc, pos_c, pos_r;
  {
    const ElementArray h = derive_generators(g, params.rho, params.n_r, n);
    ShuffleInstance inst{&g, params, &h, y, &input, &output};
    const ShuffleProof proof = prove_shuffle(inst, witness, rng);
    pc = write_permutation_commitment(g, proof.u);
    BufferSink sink;
    ByteTreeWriter w(sink);
    write_pos_commitment(g, w, proof.commitment);
    pos_c = std::move(sink.bytes);
    pos_r = write_pos_reply(g, proof.reply);
  }
  const double prove_s = seconds_since(t0);
  const double prove_cpu = cpu_seconds() - c0;

  const Bytes in_file = ciphertexts_file(g, input);
  const Bytes out_file = ciphertexts_file(g, output);
  t0 = std::chrono::steady_clock::now();
  c0 = cpu_seconds();
  std::string verdict;
  {
    const CiphertextList in2 = parse_ciphertexts_file(g, in_file, width, n, "input");
    const CiphertextList out2 = parse_ciphertexts_file(g, out_file, width, n, "output");
    ShuffleProof proof;
    proof.u = read_permutation_commitment(g, pc, n, "PermutationCommitment");
    proof.commitment = read_pos_commitment(g, pos_c, n, width, "PoSCommitment");
    proof.reply = read_pos_reply(g, pos_r, n, width, "PoSReply");
    const ElementArray h = derive_generators(g, params.rho, params.n_r, n);
    ShuffleInstance inst{&g, params, &h, y, &in2, &out2};
    verdict = verify_shuffle(inst, proof);
  }
  const double verify_s = seconds_since(t0);
  const double verify_cpu = cpu_seconds() - c0;
  if (!verdict.empty()) throw std::runtime_error("proof rejected: " + verdict);
  const double ecdh_after = ecdh_p256_per_second(1.0);
  // Units: wall seconds per ciphertext times the mean ECDH rate of the two measurements.
  const double per_ciphertext = (ecdh_before + ecdh_after) / 2 / static_cast<double>(n);

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  char out[1024];
  std::snprintf(
      out, sizeof out,
      "{\"N\": %zu, \"width\": %zu, \"group\": \"%s\", \"threads\": %u, "
      "\"shuffle_seconds\": %.2f, \"prove_seconds\": %.2f, \"verify_seconds\": %.2f, "
      "\"peak_memory_mib\": %.0f, \"shuffle_cpu_seconds\": %.2f, \"prove_cpu_seconds\": %.2f, "
      "\"verify_cpu_seconds\": %.2f, \"ecdh_p256_per_second_before\": %.0f, "
      "\"ecdh_p256_per_second_after\": %.0f, \"shuffle_prove_units\": %.3g, "
      "\"verify_units\": %.3g}",
      n, width, group_name.c_str(), base::worker_count(), shuffle_s, prove_s, verify_s,
      static_cast<double>(usage.ru_maxrss) / 1024.0, shuffle_cpu, prove_cpu, verify_cpu,
      ecdh_before, ecdh_after, (shuffle_s + prove_s) * per_ciphertext, verify_s * per_ciphertext);
  return out;
}

}  // namespace haal::mixnet
