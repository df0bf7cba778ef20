// `haal vote`: the voter's command-line client. Fetches the election from the collector,
// encrypts the choices on this machine and shows the tracking code, then challenges them
// (Benaloh: opened and published with no voter identity, never counted; the voter then votes
// again) or casts them: only then does the credential prove and sign, and the receipt is
// checked and saved, with a check key for the second-device check (docs/ballots.md 12).
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "board/receipt.hpp"
#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/client/http_client.hpp"
#include "collector/client/submit.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "election/benaloh.hpp"
#include "election/cast_check.hpp"
#include "election/manifest.hpp"

namespace haal::cli {
namespace {

using crypto::Json;

const std::string kUsage =
    std::string(
        "usage: haal vote --server URL [--credential FILE] [--choices JSON | --choices @FILE]\n"
        "                 [--cast | --challenge] [--receipt-out FILE] [--sequence N]\n"
        "                 [--ca-cert FILE | --election DIR] [--lang en|et|ru] [passphrase]\n"
        "  Fetches the election from the collector, encrypts the choices here and prints the\n"
        "  tracking code, then either challenges them (Benaloh: opened and published with no\n"
        "  voter identity, never counted; no credential needed; vote again to cast) or casts\n"
        "  them: only then is --credential (required to cast) used to prove and sign. The\n"
        "  checked receipt is saved to --receipt-out (default receipt-<tracking code>.json),\n"
        "  and a check key is printed for checking the cast ballot on another device.\n"
        "  Without --choices it asks for each contest; without --cast/--challenge it asks which.\n"
        "  --choices: {\"<contest id>\": [\"<option id>\", {\"write_in\": \"text\"}, ...], ...}\n"
        "  --election DIR: the election's published files; the served context must be\n"
        "      DIR/context.json (when present)\n"
        "  --lang: the language of the election's titles when it asks for the choices (the\n"
        "      manifest's translation, else its English text); default en\n") +
    kCaCertUsage +
    "  passphrase (a protected credential): --passphrase-fd N | --passphrase-file F |\n"
    "      --passphrase-env VAR (else a prompt)\n"
    "example:\n"
    "  haal vote --server https://vote.example.org --ca-cert ca.crt --credential voter.json\n";

// Reads the choices interactively: one line per contest, comma-separated option ids (in rank
// order for ranked contests), "write-in:TEXT" for a write-in, empty to abstain.
Json prompt_choices(const Json& manifest, const std::string& language) {
  Json choices = Json::object();
  for (const Json& contest : manifest.at("contests")) {
    std::cout << "\n"
              << haal::election::text_in(contest.at("title"), language) << " ("
              << contest.at("kind").get<std::string>() << ", choose " << contest.at("min") << " to "
              << contest.at("max") << ")\n";
    for (const Json& option : contest.at("options")) {
      std::cout << "  " << option.at("id").get<std::string>() << "  "
                << haal::election::text_in(option.at("title"), language) << "\n";
    }
    if (contest.contains("write_in")) {
      std::cout << "  write-in:TEXT  (at most " << contest["write_in"]["max_bytes"]
                << " UTF-8 bytes)\n";
    }
    std::cout << "your choice(s), comma-separated: " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) throw UsageError("no choices given on standard input");
    Json picked = Json::array();
    std::stringstream items(line);
    for (std::string item; std::getline(items, item, ',');) {
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (item.empty()) continue;
      if (item.rfind("write-in:", 0) == 0) {
        picked.push_back({{"write_in", item.substr(9)}});
      } else {
        picked.push_back(item);
      }
    }
    choices[contest.at("id").get<std::string>()] = picked;
  }
  return choices;
}

Json read_choices_option(const std::string& value) {
  if (!value.empty() && value[0] == '@') {
    std::ifstream in(value.substr(1));
    if (!in) throw UsageError("cannot read choices file " + value.substr(1));
    return Json::parse(in);
  }
  return Json::parse(value);
}

int run_vote(const std::vector<std::string>& raw) {
  std::set<std::string> options = {"server",      "credential", "choices",  "sequence",
                                   "receipt-out", "ca-cert",    "election", "lang"};
  options.insert(kPassphraseOptions.begin(), kPassphraseOptions.end());
  const Args args(raw, options, {"challenge", "cast"});
  // A voter who already said "cast" learns of a missing credential before anything else.
  if (args.has("cast")) args.required("credential");
  const std::string language = display_language(args);
  auto client = collector::make_client(args.required("server"), client_options(args));

  const election::ElectionContext context = fetch_served_election(*client, args);
  const election::Manifest& manifest = context.manifest();
  const crypto::Bytes collector_key = context.parties().collector_key;
  std::cout << "Election " << context.election_id() << " (group " << context.group().name()
            << ")\n";
  const Json choices_json = args.optional("choices")
                                ? read_choices_option(*args.optional("choices"))
                                : prompt_choices(election::manifest_to_json(manifest), language);
  const election::BallotChoices choices =
      election::ballot_choices_from_json(manifest, choices_json);
  // The tracking code commits to the ciphertexts before the voter decides (Benaloh): nothing
  // that names the voter exists yet.
  const election::EncryptedChoices encrypted =
      election::encrypt_choices_var(context, choices, crypto::system_random());
  std::cout << "\nTracking code: " << encrypted.tracking_code << "\n";

  bool challenge = args.has("challenge");
  if (!args.has("challenge") && !args.has("cast")) {
    std::cout << "Cast this ballot, or challenge it to check its encryption? [cast/challenge]: "
              << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "cast" && answer != "challenge") throw UsageError("answer cast or challenge");
    challenge = answer == "challenge";
  }

  if (challenge) {
    // Anonymous: no credential, no voter id; the record only opens these ciphertexts.
    const Json opened = election::make_challenge(context, encrypted);
    const collector::JsonResponse r =
        collector::submit_once(*client, "/api/challenges", opened, encrypted.tracking_code);
    if (r.status != 200 && r.status != 201) {
      std::cerr << "haal vote: challenge rejected: " << collector::describe_error(r) << "\n";
      return 1;
    }
    const board::Receipt receipt = board::receipt_from_json(r.body, "receipt");
    board::check_receipt_var(receipt, crypto::canonical_json_bytes(opened), collector_key);
    // The collector verified the opening (its re-encryption) before publishing it; anyone can
    // re-check it with `haal ballot open`. Compare the opened choices with your intent.
    std::cout << "Challenged and published at board position " << receipt.board_index
              << " (no voter identity). The opening shows these choices:\n";
    for (const Json& contest : opened.at("contests")) {
      std::cout << "  " << contest.at("contest_id").get<std::string>() << ": "
                << contest.at("choices").dump() << "\n";
    }
    std::cout << "These ciphertexts will never be counted; vote again to cast.\n";
    return 0;
  }

  // Only casting names the voter: the credential signs and binds the proofs now.
  const std::string credential_file = args.required("credential");
  const auto credential = election::load_credential(
      credential_file, [&] { return read_passphrase(args, "credential " + credential_file); });
  // Later ballots must carry higher sequence numbers: milliseconds since 1970 grow.
  const std::uint64_t sequence = args.uint_or(
      "sequence",
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()));
  const Json ballot =
      election::cast_ballot(context, credential, encrypted, sequence, crypto::system_random());
  std::cout << "Casting as " << credential.voter_id << "\n";
  // A lost answer is recovered by tracking code, or the same bytes are re-sent (idempotent).
  const collector::JsonResponse r =
      collector::submit_once(*client, "/api/ballots", ballot, encrypted.tracking_code);
  if (r.status != 200 && r.status != 201) {
    std::cerr << "haal vote: ballot rejected: " << collector::describe_error(r) << "\n";
    return 1;
  }
  const board::Receipt receipt = board::receipt_from_json(r.body, "receipt");
  board::check_receipt_var(receipt, crypto::canonical_json_bytes(ballot), collector_key);
  if (receipt.tracking_code != encrypted.tracking_code) {
    throw std::runtime_error("the receipt's tracking code " + receipt.tracking_code +
                             " is not the one shown (" + encrypted.tracking_code + ")");
  }
  const std::string receipt_path =
      args.value_or("receipt-out", "receipt-" + encrypted.tracking_code + ".json");
  std::ofstream(receipt_path) << board::receipt_to_json(receipt).dump(2) << "\n";
  std::cout << "Cast. Board position " << receipt.board_index
            << "; the receipt verifies against the "
            << "collector's signed tree head of size " << receipt.signed_tree_head.head.tree_size
            << ".\nReceipt saved to " << receipt_path << "\n";
  const std::string key = election::check_key_text(encrypted.seed);
  std::cout << "\nCheck this ballot on another device (keep the key secret: it shows your vote):\n"
            << "  " << args.required("server") << "/#check/" << encrypted.tracking_code << "/"
            << key << "\n  or: haal ballot check --server " << args.required("server")
            << " --tracking-code " << encrypted.tracking_code << " --check-key " << key << "\n";
  return 0;
}

const CommandRegistration registration("vote", "encrypt, sign and cast (or challenge) a ballot",
                                       kUsage, &run_vote, Subcommands::kNo);

}  // namespace
}  // namespace haal::cli
