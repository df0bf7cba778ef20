#include "ceremony/local_ceremony.hpp"

#include "ceremony/trustee_rounds.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::ceremony {

std::filesystem::path local_trustee_dir(const std::filesystem::path& trustees_root,
                                        std::uint32_t trustee) {
  return trustees_root / ("trustee-" + std::to_string(trustee));
}

void write_demo_manifest(const std::filesystem::path& election_dir, const std::string& election_id,
                         const std::string& group, std::uint32_t count, std::uint32_t threshold) {
  const auto file = election_dir / "manifest.json";
  if (std::filesystem::exists(file)) throw CeremonyError(file.string() + " already exists");
  const Json manifest{{"election_id", election_id},
                      {"group", group},
                      {"trustees", {{"count", count}, {"threshold", threshold}}}};
  ceremony_parameters_from_manifest(manifest);  // validates before anything is written
  std::filesystem::create_directories(election_dir);
  Bytes data = crypto::canonical_json_bytes(manifest);
  data.push_back('\n');
  write_file_atomically(file, data, 0644);
}

CeremonyResult run_local_ceremony(const std::filesystem::path& election_dir,
                                  const std::filesystem::path& trustees_root,
                                  std::string_view passphrase, std::ostream& log,
                                  const crypto::ScryptParameters& scrypt) {
  const CeremonyParameters params = load_ceremony_parameters(election_dir);
  const CeremonyBoard board(election_dir);
  if (board.has(identity_file(1))) {
    throw CeremonyError(board.directory().string() +
                        " already holds a ceremony; use a fresh election folder");
  }
  const std::uint32_t n = params.trustee_count;
  log << "key ceremony for election " << params.election_id << ": " << n << " trustees, threshold "
      << params.threshold << ", group " << params.group->name() << "\n";
  std::vector<TrusteeStore> stores;
  for (std::uint32_t i = 1; i <= n; ++i) {
    stores.emplace_back(local_trustee_dir(trustees_root, i));
    if (stores.back().exists()) {
      throw CeremonyError(stores.back().file().string() + " already exists");
    }
  }
  // Each step loads the trustee's sealed state, runs its round and seals the state again,
  // exactly as the per-machine commands do.
  auto step = [&](const std::string& title, auto&& round) {
    log << "== " << title << "\n";
    for (std::uint32_t i = 1; i <= n; ++i) {
      TrusteeSecrets secrets = stores[i - 1].load(params, passphrase);
      round(secrets);
      stores[i - 1].save(params, secrets, passphrase, scrypt);
    }
  };
  log << "== round 0: identities\n";
  for (std::uint32_t i = 1; i <= n; ++i) {
    const TrusteeSecrets secrets = new_trustee_secrets(i);
    stores[i - 1].save(params, secrets, passphrase, scrypt);
    publish_identity(params, board, secrets, log);
  }
  auto& rng = crypto::system_random();
  step("round 1a: hash commitments",
       [&](TrusteeSecrets& s) { commit_round(params, board, s, rng, log); });
  step("round 1b: coefficient commitments and proofs",
       [&](TrusteeSecrets& s) { reveal_round(params, board, s, rng, log); });
  step("round 2: encrypted shares",
       [&](TrusteeSecrets& s) { shares_round(params, board, s, log); });
  step("round 3a: share verification and complaints",
       [&](TrusteeSecrets& s) { verify_shares_round(params, board, s, false, log); });
  step("round 3b: answers to complaints",
       [&](TrusteeSecrets& s) { answer_round(params, board, s, false, log); });
  CeremonyResult result;
  step("finalize",
       [&](TrusteeSecrets& s) { result = finalize_round(params, board, s, false, log); });
  log << "ceremony complete: " << result.qualified.size() << " of " << n
      << " trustees qualified; joint public key " << params.group->to_hex(result.joint_public_key)
      << "\n";
  return result;
}

}  // namespace haal::ceremony
