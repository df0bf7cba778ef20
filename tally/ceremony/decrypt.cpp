#include "tally/ceremony/decrypt.hpp"

#include "ceremony/parameters.hpp"
#include "ceremony/result.hpp"
#include "ceremony/threshold_decryption.hpp"
#include "ceremony/trustee_store.hpp"
#include "crypto/base/parallel.hpp"
#include "election/context.hpp"
#include "tally/ceremony/mix.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

std::vector<crypto::Ciphertext> flatten_ballot_major(
    const std::vector<crypto::CiphertextVector>& ballots) {
  std::vector<crypto::Ciphertext> out;
  for (const auto& b : ballots) out.insert(out.end(), b.begin(), b.end());
  return out;
}

fs::path trustee_decryption_file(const fs::path& record_dir, const std::string& contest_id,
                                 std::uint32_t trustee) {
  return record_dir / "decrypt" / contest_id / ("trustee-" + std::to_string(trustee) + ".json");
}

TrusteeDecryption decrypt_as_trustee(const fs::path& record_dir, const fs::path& trustee_dir,
                                     const std::string& passphrase, std::ostream* progress_out) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const ceremony::CeremonyParameters params = ceremony::load_ceremony_parameters(record_dir);
  const ceremony::CeremonyResult result = ceremony::load_ceremony_result(record_dir);
  const ceremony::TrusteeStore store(trustee_dir);
  const std::uint32_t index = store.trustee_index(params);
  const ceremony::TrusteeKeys* keys = result.find(index);
  if (keys == nullptr) throw TallyError("trustee " + std::to_string(index) + " is not qualified");
  const ceremony::TrusteeSecrets secrets = store.load(params, passphrase);

  TrusteeDecryption out;
  out.trustee = index;
  const auto& contests = context.manifest().contests;
  const auto inputs = mix_inputs(record_dir, context);
  for (std::size_t i = 0; i < contests.size(); ++i) {
    // A trustee decrypts only what a valid chain of shuffles produced from the counted ballots:
    // otherwise a mix server could have it decrypt a voter's ballot directly.
    if (progress_out)
      *progress_out << "trustee " << index << ": checking the mix chain of contest "
                    << contests[i].id << "\n";
    const auto mixed = flatten_ballot_major(verified_mix_output(record_dir, context, i, inputs[i]));
    if (mixed.empty()) continue;
    std::vector<crypto::Element> alphas;
    alphas.reserve(mixed.size());
    for (const auto& c : mixed) alphas.push_back(c.alpha);
    base::Progress progress(
        "trustee " + std::to_string(index) + ": partial decryptions of " + contests[i].id,
        alphas.size(), progress_out);
    const auto set = ceremony::compute_partial_decryptions(context.group(), context.election_id(),
                                                           context.hash_bytes(), secrets, *keys,
                                                           alphas, &progress);
    progress.finish();
    write_record_json(trustee_decryption_file(record_dir, contests[i].id, index),
                      ceremony::partial_decryptions_to_json(context.group(), set));
    ++out.contests;
    out.ciphertexts += alphas.size();
  }
  return out;
}

}  // namespace haal::tally
