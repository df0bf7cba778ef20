// `haal demo`: what scripts/demo runs. Until the tally ceremony exists this demonstrates the
// cryptographic core end to end: a key, N encrypted and proven ballots, their verification and
// decryption, with timings.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/elgamal.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"

namespace haal::cli {
namespace {

using namespace haal::crypto;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int run_demo(const std::vector<std::string>& raw) {
  const Args args(raw, {"voters", "out", "group"});
  const std::uint64_t voters = args.uint_or("voters", 1000);
  const std::filesystem::path out = args.value_or("out", "demo-election");
  const Group& group = group_by_name(args.value_or("group", "P-256"));
  std::filesystem::create_directories(out);

  std::cout << "Haal demo (cryptographic core): group " << group.name() << ", " << voters
            << " voters\n";
  const Scalar secret = group.scalars().random_nonzero(system_random());
  const ElGamalEncryptor encryptor(group, group.exp_generator(secret));
  const Digest election = sha256(std::string_view("haal-demo-election"));
  std::cout << "  election key: " << group.to_hex(encryptor.public_key()) << "\n";

  const std::vector<std::string> candidates = {"Kask", "Mänd", "Tamm"};
  std::vector<std::uint64_t> cast(candidates.size(), 0);
  Json ballots = Json::array();
  auto start = Clock::now();
  for (std::uint64_t v = 0; v < voters; ++v) {
    const std::size_t choice = static_cast<std::size_t>((v * 7 + v / 3) % candidates.size());
    ++cast[choice];
    const Scalar r[] = {group.scalars().random_nonzero(system_random())};
    const CiphertextVector ct{
        encryptor.encrypt(group.encode_message(to_bytes(candidates[choice])), r[0])};
    const ProofContext ctx{Bytes(election.begin(), election.end()),
                           to_bytes("voter-" + std::to_string(v))};
    const auto proof = ciphertext_randomness_prove(group, ctx, ct, r, system_random());
    ballots.push_back({{"voter", "voter-" + std::to_string(v)},
                       {"alpha", group.to_hex(ct[0].alpha)},
                       {"beta", group.to_hex(ct[0].beta)},
                       {"proof", ciphertext_randomness_proof_to_json(group, proof)}});
  }
  std::cout << "  encrypted and proved " << voters << " ballots in " << seconds_since(start)
            << " s\n";

  start = Clock::now();
  std::map<std::string, std::uint64_t> counted;
  for (const Json& b : ballots) {
    const CiphertextVector ct{{group.from_hex(b["alpha"].get<std::string>()),
                               group.from_hex(b["beta"].get<std::string>())}};
    const ProofContext ctx{Bytes(election.begin(), election.end()),
                           to_bytes(b["voter"].get<std::string>())};
    if (!ciphertext_randomness_verify_var(
            group, ctx, ct, ciphertext_randomness_proof_from_json(group, b["proof"], "proof"))) {
      std::cerr << "ballot of " << b["voter"] << " failed verification\n";
      return 1;
    }
    const Bytes plain = group.decode_message(elgamal_decrypt(group, secret, ct[0]));
    ++counted[std::string(plain.begin(), plain.end())];
  }
  std::cout << "  verified and decrypted them in " << seconds_since(start) << " s\n  results:\n";
  bool match = true;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    std::cout << "    " << candidates[i] << ": " << counted[candidates[i]] << "\n";
    match = match && counted[candidates[i]] == cast[i];
  }
  std::ofstream(out / "ballots.json") << ballots.dump(1) << "\n";
  std::cout << "  ballots written to " << (out / "ballots.json").string() << "\n"
            << (match ? "  counts equal the votes cast\n"
                      : "  COUNTS DIFFER FROM THE VOTES CAST\n");
  return match ? 0 : 1;
}

const CommandRegistration registration("demo", "run a demo election on this machine", &run_demo);

}  // namespace
}  // namespace haal::cli
