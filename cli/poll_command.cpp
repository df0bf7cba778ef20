// `haal officials keygen` and `haal polls open|close|export`: the election officials' key and
// their signed requests to the collector (docs/api.md, "Officials' signed requests").
#include <iostream>

#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/client/election_view.hpp"
#include "collector/client/http_client.hpp"
#include "collector/client/officials_export.hpp"
#include "collector/client/officials_request.hpp"

namespace {

using haal::cli::Args;
using haal::cli::UsageError;

constexpr const char* kOfficialsUsage =
    "usage: haal officials keygen --election DIR --out FILE [--passphrase-fd N | --passphrase-file "
    "F |\n"
    "                             --passphrase-env V]\n"
    "  Creates the officials' Ed25519 key: FILE (passphrase-protected private key) and\n"
    "  DIR/officials.json (public key, read by the collector).\n";

const std::string kPollsUsage =
    std::string(
        "usage: haal polls open|close --server URL --officials-key FILE [--election DIR]\n"
        "                             [--ca-cert FILE] [passphrase]\n"
        "       haal polls export --server URL --officials-key FILE --out FILE [--ca-cert FILE] "
        "[passphrase]\n"
        "  open/close: a signed request; the collector posts it on the board (close is final).\n"
        "  open signs the roll's hash: DIR/roll.json's with --election (it must match the "
        "collector's),\n"
        "  else the collector's published roll_hash.\n"
        "  export: fetches the signed head, downloads and checks the whole board, writes FILE.\n"
        "  passphrase: --passphrase-fd N | --passphrase-file F | --passphrase-env V (else a "
        "prompt)\n") +
    haal::cli::kCaCertUsage;

std::set<std::string> with_passphrase(std::set<std::string> options) {
  options.insert(haal::cli::kPassphraseOptions.begin(), haal::cli::kPassphraseOptions.end());
  return options;
}

int run_officials(const std::vector<std::string>& argv) {
  const Args args(argv, with_passphrase({"election", "out"}));
  if (args.positionals() != std::vector<std::string>{"keygen"}) {
    throw UsageError(args.positionals().empty()
                         ? std::string("missing subcommand")
                         : "unknown subcommand '" + args.positionals()[0] + "'");
  }
  const std::filesystem::path dir = args.required("election");
  const haal::collector::Json manifest = haal::collector::read_json_file(dir / "manifest.json");
  const std::string election_id = haal::crypto::require_string(manifest, "election_id", "manifest");
  const std::string passphrase = haal::cli::read_passphrase(args, "the officials' key");
  const auto key = haal::crypto::Ed25519PrivateKey::generate();
  haal::collector::write_officials_key(dir, args.required("out"), election_id, key, passphrase);
  std::cout << "officials' public key " << haal::crypto::to_hex(key.public_key()) << " written to "
            << (dir / "officials.json").string() << "\n";
  return 0;
}

int run_polls(const std::vector<std::string>& argv) {
  const Args args(argv, with_passphrase({"server", "officials-key", "ca-cert", "out", "election"}));
  if (args.positionals().size() != 1) throw UsageError("give one of open, close, export");
  const std::string action = args.positionals()[0];
  if (action != "open" && action != "close" && action != "export") {
    throw UsageError("unknown subcommand '" + action + "'");
  }
  if (action == "export" && !args.optional("out")) throw UsageError("missing --out");
  const haal::collector::ClientOptions options = haal::cli::client_options(args);
  const std::string server = args.required("server");
  auto client = haal::collector::make_client(server, options);
  const auto info = haal::collector::get_json(*client, "/api/election");
  if (info.status != 200)
    throw std::runtime_error("GET /api/election: " + haal::collector::describe_error(info));
  const std::string election_id = info.body.at("election_id").get<std::string>();
  const std::string passphrase = haal::cli::read_passphrase(args, "the officials' key");
  const auto key =
      haal::collector::read_officials_key(args.required("officials-key"), election_id, passphrase);
  if (action == "export") {
    const auto record = haal::collector::export_final_board(server, options, key, true);
    haal::collector::write_json_file(args.required("out"), record);
    std::cout << "board of " << record.at("signed_tree_head").at("tree_size") << " entries ("
              << (record.at("final").get<bool>() ? "final" : "NOT final: the polls are not closed")
              << ") written to " << args.required("out") << "\n";
    return 0;
  }
  const std::string request_action(action == "open" ? haal::collector::kActionOpenPolls
                                                    : haal::collector::kActionClosePolls);
  // Opening the polls signs the roll: the officials' own roll.json with --election (which must
  // match the collector's), otherwise the collector's published roll_hash, shown to compare.
  std::optional<std::string> roll_hash;
  if (action == "open") {
    const std::string served = info.body.value("roll_hash", "");
    if (const auto dir = args.optional("election")) {
      const auto view = haal::collector::load_election_view(*dir);
      roll_hash = haal::crypto::to_hex(view.roll_hash);
      if (*roll_hash != served) {
        throw std::runtime_error("the collector serves roll " + served + ", but " + *dir +
                                 "/roll.json is " + *roll_hash + ": not opening the polls");
      }
    } else {
      roll_hash = served;
    }
    std::cout << "signing the roll " << *roll_hash << " (compare it with your roll.json)\n";
  }
  const auto response = haal::collector::post_json(
      *client, "/api/officials/polls",
      haal::collector::sign_officials_request(request_action, election_id, key, roll_hash));
  if (response.status != 200) throw std::runtime_error(haal::collector::describe_error(response));
  std::cout << "polls " << response.body.at("polls").get<std::string>() << " (board entry "
            << response.body.at("board_index") << ", signed tree head of "
            << response.body.at("signed_tree_head").at("tree_size") << " entries)\n";
  return 0;
}

const haal::cli::CommandRegistration officials_reg("officials",
                                                   "create the election officials' key",
                                                   kOfficialsUsage, &run_officials);
const haal::cli::CommandRegistration polls_reg("polls",
                                               "open or close the polls, export the final board",
                                               kPollsUsage, &run_polls);

}  // namespace
