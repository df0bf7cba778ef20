// `haal ballot encrypt|open|verify`: build a signed encrypted ballot from a credential and
// choices (with its Benaloh opening on the side), check a challenge's opening, verify a ballot
// as the collector does. Logic lives in election/.
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "crypto/base/file.hpp"
#include "election/benaloh.hpp"
#include "election/strict_json.hpp"

namespace {

namespace fs = std::filesystem;
using namespace haal::election;

constexpr const char* kUsage =
    "usage:\n"
    "  haal ballot encrypt --election ELECTION_DIR --credential FILE --choices FILE --out FILE\n"
    "                      [--sequence N] [--challenge-out FILE] [--passphrase-fd N | ...]\n"
    "      encrypt, prove and sign a ballot; prints its tracking code. --choices holds\n"
    "      {\"<contest id>\": [\"<option id>\", {\"write_in\": \"text\"}, ...], ...}.\n"
    "      --challenge-out writes the Benaloh challenge record (it reveals the randomness:\n"
    "      publish it instead of casting the ballot, never both)\n"
    "  haal ballot open --election ELECTION_DIR --challenge FILE\n"
    "      check a challenge record against the roll and print the choices it proves\n"
    "  haal ballot verify --election ELECTION_DIR --ballot FILE\n"
    "      verify a ballot as the collector does (exit 1 with the error code if rejected)\n";

int run_encrypt(const std::vector<std::string>& rest) {
  std::set<std::string> options = {"election", "credential", "choices",
                                   "out",      "sequence",   "challenge-out"};
  options.insert(haal::cli::kPassphraseOptions.begin(), haal::cli::kPassphraseOptions.end());
  const haal::cli::Args args(rest, options);
  const ElectionContext context = load_election_context(args.required("election"));
  const Credential credential = load_credential(
      args.required("credential"), [&] { return haal::cli::read_passphrase(args, "credential"); });
  const BallotChoices choices =
      ballot_choices_from_json(context.manifest(), read_json_file(args.required("choices")));
  const EncryptedBallot ballot = encrypt_ballot(
      context, credential, choices, args.uint_or("sequence", 1), haal::crypto::system_random());
  write_canonical_json_file(args.required("out"), ballot.ballot);
  if (const auto challenge_out = args.optional("challenge-out")) {
    write_canonical_json_file(*challenge_out, make_challenge(context, credential, ballot), true);
  }
  std::cout << "tracking code " << ballot.tracking_code << "\nballot_hash "
            << haal::crypto::to_hex(ballot.hash) << "\n";
  return 0;
}

Roll election_roll(const fs::path& dir, const ElectionContext& context) {
  return load_roll(dir, context.election_id());
}

int run_open(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "challenge"});
  const fs::path dir = args.required("election");
  const ElectionContext context = load_election_context(dir);
  const Json challenge = read_json_file(args.required("challenge"));
  try {
    const OpenedBallot opened = verify_challenge(context, election_roll(dir, context), challenge);
    std::cout << "challenge opens correctly: ballot " << opened.ballot.tracking_code << " of voter "
              << opened.ballot.voter_id << " (spoiled, never counted)\n"
              << "choices " << ballot_choices_to_json(context.manifest(), opened.choices).dump()
              << "\n";
    return 0;
  } catch (const BallotRejected& e) {
    std::cerr << "haal ballot open: challenge rejected: " << e.what() << "\n";
    return 1;
  }
}

int run_verify(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "ballot"});
  const fs::path dir = args.required("election");
  const ElectionContext context = load_election_context(dir);
  try {
    const VerifiedBallot ballot = verify_ballot_text(
        context, election_roll(dir, context), haal::base::read_file(args.required("ballot")));
    std::cout << "ballot valid: tracking code " << ballot.tracking_code << ", voter "
              << ballot.voter_id << ", sequence " << ballot.sequence << "\n";
    return 0;
  } catch (const BallotRejected& e) {
    std::cerr << "haal ballot verify: ballot rejected: " << e.what() << "\n";
    return 1;
  }
}

const haal::cli::CommandRegistration reg(
    "ballot", "encrypt, open (Benaloh) and verify ballots", kUsage,
    {{"encrypt", &run_encrypt}, {"open", &run_open}, {"verify", &run_verify}});

}  // namespace
