// `haal polls open|close|export`: the election officials' signed requests to the collector
// (docs/api.md, "Officials' signed requests"). Their key: `haal officials keygen`
// (officials_command.cpp).
#include <iostream>

#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/client/http_client.hpp"
#include "collector/client/officials_export.hpp"
#include "collector/protocol/election_view.hpp"
#include "collector/protocol/officials_request.hpp"

namespace {

using haal::cli::Args;
using haal::cli::UsageError;

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

// Runs `haal polls <action>` (open, close or export) on the arguments after the action.
int run_polls(const std::string& action, const std::vector<std::string>& argv) {
  const Args args(
      argv, haal::cli::with_passphrase({"server", "officials-key", "ca-cert", "out", "election"}));
  if (!args.positionals().empty()) {
    throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
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

int run_open(const std::vector<std::string>& argv) {
  return run_polls("open", argv);
}
int run_close(const std::vector<std::string>& argv) {
  return run_polls("close", argv);
}
int run_export(const std::vector<std::string>& argv) {
  return run_polls("export", argv);
}

const haal::cli::CommandRegistration polls_reg(
    "polls", "open or close the polls, export the final board", kPollsUsage,
    {{"open", &run_open}, {"close", &run_close}, {"export", &run_export}});

}  // namespace
