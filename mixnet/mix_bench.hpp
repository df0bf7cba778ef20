// One mix server's shuffle, proof of shuffle and verification timed on N random ciphertexts:
// what `haal mix bench` and haal-bench-mixnet print (docs/mixnet.md, "Performance").
#pragma once

#include <cstddef>
#include <string>

namespace haal::mixnet {

struct MixBenchOptions {
  std::string group = "P-256";
  std::size_t ciphertexts = 10000;  // N >= 1
  std::size_t width = 1;            // w >= 1
};

// Encrypts N random width-w messages under a random key (not timed), then times the shuffle,
// the proof (deriving the generators and writing the proof files included) and the verification
// (parsing every file with membership checks, deriving the generators, verifying), on
// worker_count() threads, with progress on stderr. Before the shuffle and after the
// verification it counts single-thread P-256 ECDH derivations for one second each (as `openssl
// speed ecdhp256` does). Returns one JSON object: {"N", "width", "group", "threads",
// "shuffle_seconds", "prove_seconds", "verify_seconds", "peak_memory_mib",
// "shuffle_cpu_seconds", "prove_cpu_seconds", "verify_cpu_seconds",
// "ecdh_p256_per_second_before", "ecdh_p256_per_second_after", "shuffle_prove_units",
// "verify_units"}, a unit being wall seconds per ciphertext times the mean ECDH rate. Throws
// std::invalid_argument for N or w of 0 or an unknown group, std::runtime_error if the honest
// proof is rejected.
std::string run_mix_bench(const MixBenchOptions& options);

}  // namespace haal::mixnet
