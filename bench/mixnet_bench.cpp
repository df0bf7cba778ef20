// haal-bench-mixnet: times one mix server's shuffle, proof and verification and prints one JSON
// object (the same as `haal mix bench`). Usage: haal-bench-mixnet [N] [width] [group] [threads]
//   defaults: N = 10000, width = 1, group = P-256, threads = all cores.
#include <cstdio>
#include <string>

#include "crypto/base/parallel.hpp"
#include "mixnet/mix_bench.hpp"

int main(int argc, char** argv) {
  try {
    haal::mixnet::MixBenchOptions o;
    if (argc > 1) o.ciphertexts = std::stoul(argv[1]);
    if (argc > 2) o.width = std::stoul(argv[2]);
    if (argc > 3) o.group = argv[3];
    if (argc > 4) haal::base::set_worker_count(static_cast<unsigned>(std::stoul(argv[4])));
    std::printf("%s\n", haal::mixnet::run_mix_bench(o).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "haal-bench-mixnet: %s\n", e.what());
    return 1;
  }
}
