// `haal mix`: the verifiable mix-net (docs/mixnet.md). Each mix server runs `haal mix run` on
// the previous server's output; anyone runs `haal mix verify` on the proof directory, which is
// also what Verificatum's `vmnv -v -shuffle -auxsid AUXSID DIR/protInfo.xml DIR/nizkp` verifies
// (docs/mixnet.md section 9: read vmnv's output, its exit status is 0 even when a proof fails).
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/random_source.hpp"
#include "mixnet/mix_bench.hpp"
#include "mixnet/mix_commands.hpp"

namespace haal::cli {
namespace {

const char* kUsage =
    "usage:\n"
    "  haal mix run --in FILE --out FILE --proof DIR [--public-key HEX] [--group NAME]\n"
    "               [--servers K] [--sid ID] [--auxsid ID] [--threads T]\n"
    "      Shuffle as the next mix server of the chain recorded in DIR (the first run creates\n"
    "      DIR and needs --public-key; --group, --servers, --sid, --auxsid apply to that run).\n"
    "      FILE: a Verificatum ciphertext byte tree or Haal JSON [[{alpha, beta}...]...].\n"
    "  haal mix verify --proof DIR [--haal-profile] [--threads T]\n"
    "      Verify every shuffle in DIR; names the first mix server whose proof fails. The proof\n"
    "      parameters must be Haal's profile (vbitlenro 256, ...; docs/mixnet.md 4.1) when the\n"
    "      session id is \"Haal\" + 64 hex digits or with --haal-profile, and never weaker\n"
    "      than it otherwise.\n"
    "  haal mix bench [--group P-256|modp-2048|modp-3072] [--ciphertexts N] [--width W]\n"
    "                 [--threads T]\n"
    "      Time one server's shuffle, proof and verification of N random ciphertexts\n"
    "      (default P-256, 10000, width 1); prints one JSON object.\n";

void apply_threads(const Args& args) {
  const std::uint64_t threads = args.uint_or("threads", 0);
  if (threads > 256) throw UsageError("--threads must be at most 256");
  base::set_worker_count(static_cast<unsigned>(threads));
}

int run_mix_run(const std::vector<std::string>& rest) {
  const Args args(
      rest, {"in", "out", "proof", "public-key", "group", "servers", "sid", "auxsid", "threads"});
  apply_threads(args);
  mixnet::MixRunOptions options;
  options.in = args.required("in");
  options.out = args.required("out");
  options.proof_dir = args.required("proof");
  options.public_key_hex = args.value_or("public-key", "");
  options.group = args.value_or("group", "P-256");
  options.servers = static_cast<unsigned>(args.uint_or("servers", 1));
  options.sid = args.value_or("sid", "HaalMix");
  options.auxsid = args.value_or("auxsid", "default");
  const auto result = mixnet::mix_run(options, crypto::system_random());
  std::cout << "mix server " << result.server << " of " << result.servers << ": shuffled "
            << result.ciphertexts << " ciphertexts of width " << result.width << " into "
            << options.out.string() << ", proof in " << options.proof_dir.string() << "\n";
  return 0;
}

int run_mix_verify(const std::vector<std::string>& rest) {
  const Args args(rest, {"proof", "threads"}, {"haal-profile"});
  apply_threads(args);
  const auto report = mixnet::mix_verify(args.required("proof"), args.has("haal-profile"));
  if (!report.ok) {
    std::cerr << "haal mix verify: REJECTED: " << report.message << "\n";
    return 1;
  }
  std::cout << "haal mix verify: OK: " << report.message << " (" << report.output.size()
            << " ciphertexts)\n";
  return 0;
}

int run_mix_bench(const std::vector<std::string>& rest) {
  const Args args(rest, {"group", "ciphertexts", "width", "threads"});
  apply_threads(args);
  mixnet::MixBenchOptions options;
  options.group = args.value_or("group", "P-256");
  options.ciphertexts = args.uint_or("ciphertexts", 10000);
  options.width = args.uint_or("width", 1);
  if (options.ciphertexts == 0 || options.width == 0) {
    throw UsageError("--ciphertexts and --width must be positive");
  }
  std::cout << mixnet::run_mix_bench(options) << "\n";
  return 0;
}

// Registration at static initialisation, as every command family does (cli/command.hpp).
const CommandRegistration registration(  // NOLINT(cert-err58-cpp)
    "mix", "verifiable mix-net: run a mix server, verify, bench", kUsage,
    {{"run", &run_mix_run}, {"verify", &run_mix_verify}, {"bench", &run_mix_bench}});

}  // namespace
}  // namespace haal::cli
