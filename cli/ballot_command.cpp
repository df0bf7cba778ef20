// `haal ballot encrypt|open|verify|check`: build a signed encrypted ballot from a credential
// and choices (with its Benaloh opening on the side), check a challenge's opening, verify a
// ballot as the collector does, check a cast ballot with its check key (the second device).
// Logic lives in election/.
#include <filesystem>
#include <iostream>

#include "board/receipt.hpp"
#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/client/http_client.hpp"
#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "election/benaloh.hpp"
#include "election/cast_check.hpp"
#include "election/strict_json.hpp"
#include "election/tracking_code.hpp"

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
    "      check a challenge record and print the choices it proves\n"
    "  haal ballot verify --election ELECTION_DIR --ballot FILE\n"
    "      verify a ballot as the collector does (exit 1 with the error code if rejected)\n"
    "  haal ballot check --server URL --tracking-code CODE --check-key KEY\n"
    "                    [--ca-cert FILE | --election DIR]\n"
    "      the second-device check of a cast ballot: fetches it from the collector (which\n"
    "      answers a few times, soon after casting), opens it with the check key `haal vote`\n"
    "      printed (never sent) and prints what it encrypts\n";

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
  const EncryptedBallot ballot = encrypt_ballot_var(
      context, credential, choices, args.uint_or("sequence", 1), haal::crypto::system_random());
  write_canonical_json_file(args.required("out"), ballot.ballot);
  if (const auto challenge_out = args.optional("challenge-out")) {
    write_canonical_json_file(*challenge_out, make_challenge(context, ballot.encrypted), true);
  }
  std::cout << "tracking code " << ballot.encrypted.tracking_code << "\nballot_hash "
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
    const OpenedChallenge opened = verify_challenge_var(context, challenge);
    std::cout << "challenge opens correctly: tracking code " << opened.tracking_code
              << " (spoiled, never counted)\n"
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
    const VerifiedBallot ballot = verify_ballot_text_var(
        context, election_roll(dir, context), haal::base::read_file(args.required("ballot")));
    std::cout << "ballot valid: tracking code " << ballot.tracking_code << ", voter "
              << ballot.voter_id << ", sequence " << ballot.sequence << "\n";
    return 0;
  } catch (const BallotRejected& e) {
    std::cerr << "haal ballot verify: ballot rejected: " << e.what() << "\n";
    return 1;
  }
}

int run_check(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"server", "tracking-code", "check-key", "ca-cert", "election"});
  const std::string code = args.required("tracking-code");
  const haal::crypto::Bytes seed = check_key_seed(args.required("check-key"));
  // A mistyped code is refused before any request.
  const std::string canonical_code = tracking_code(tracking_code_prefix(code));
  auto client =
      haal::collector::make_client(args.required("server"), haal::cli::client_options(args));
  const ElectionContext context = haal::cli::fetch_served_election(*client, args);
  const haal::collector::JsonResponse r = haal::collector::post_json(
      *client, "/api/ballots/" + canonical_code + "/check",
      make_check_request(context, canonical_code, seed, haal::crypto::system_random()));
  if (r.status != 200) {
    std::cerr << "haal ballot check: " << haal::collector::describe_error(r) << "\n";
    return 1;
  }
  const Json& ballot = r.body.at("ballot");
  const haal::board::Receipt receipt =
      haal::board::receipt_from_json(r.body.at("receipt"), "receipt");
  // The served ballot is the board's entry under the head the context's collector key signed,
  // and its ciphertexts are the ones the tracking code commits to.
  haal::board::check_receipt_var(receipt, haal::crypto::canonical_json_bytes(ballot),
                                 context.parties().collector_key);
  const auto served_code = tracking_code(tracking_hash(
      context.election_id(), haal::crypto::to_hex(context.hash()), ballot.at("contests")));
  if (served_code != canonical_code || receipt.tracking_code != served_code) {
    std::cerr << "haal ballot check: FAILED: the served ballot is not the one with tracking code "
              << code << "\n";
    return 1;
  }
  std::vector<DecodedSelection> opened;
  try {
    opened = open_cast_ballot_var(context, ballot.at("contests"), seed);
  } catch (const std::invalid_argument& e) {
    std::cerr << "haal ballot check: FAILED: " << e.what() << "\n";
    return 1;
  }
  std::cout << "ballot " << served_code << " of voter " << ballot.at("voter_id").get<std::string>()
            << " at board position " << receipt.board_index << " ("
            << r.body.at("status").get<std::string>() << ") encrypts:\n";
  for (std::size_t i = 0; i < opened.size(); ++i) {
    const Contest& contest = context.manifest().contests[i];
    std::cout << "  " << contest.id << ": " << decoded_selection_to_json(contest, opened[i]).dump()
              << "\n";
  }
  return 0;
}

const haal::cli::CommandRegistration reg("ballot",
                                         "encrypt, open (Benaloh), verify and check cast ballots",
                                         kUsage,
                                         {{"encrypt", &run_encrypt},
                                          {"open", &run_open},
                                          {"verify", &run_verify},
                                          {"check", &run_check}});

}  // namespace
