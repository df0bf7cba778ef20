// `haal receipt check`: a voter checks, against the collector's current board, that the ballot
// of a saved receipt is still there: the entry's payload hashes to the receipt's ballot hash,
// the receipt's inclusion proof holds under its signed head, the current signed head extends
// that head (RFC 9162 consistency proof), and the ballot's status (counted so far, superseded
// by a later ballot, challenged).
#include <fstream>
#include <iostream>

#include "board/merkle.hpp"
#include "board/receipt.hpp"
#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "collector/client/http_client.hpp"
#include "crypto/ed25519.hpp"

namespace haal::cli {
namespace {

using crypto::Json;

const std::string kUsage =
    std::string(
        "usage: haal receipt check --server URL [--collector-key HEX]\n"
        "                          [--ca-cert FILE | --election DIR] RECEIPT\n"
        "  Checks a receipt saved by `haal vote` against the collector's current board: the entry\n"
        "  is the receipted ballot, its inclusion proof holds under the receipt's signed head, "
        "the\n"
        "  current signed head extends that head, and prints the ballot's status (cast,\n"
        "  superseded, challenged). --collector-key pins the collector's key (else the one the\n"
        "  served context pins).\n") +
    kCaCertUsage;

Json get_ok(httplib::Client& client, const std::string& path) {
  const collector::JsonResponse r = collector::get_json(client, path);
  if (r.status != 200)
    throw std::runtime_error("GET " + path + ": " + collector::describe_error(r));
  return r.body;
}

int run_check(const std::vector<std::string>& argv) {
  const Args args(argv, {"server", "ca-cert", "election", "collector-key"});
  if (args.positionals().size() != 1) throw UsageError("give one RECEIPT file");
  std::ifstream in(args.positionals()[0]);
  if (!in) throw UsageError("cannot read receipt " + args.positionals()[0]);
  const board::Receipt receipt = board::receipt_from_json(Json::parse(in), "receipt");

  auto client = collector::make_client(args.required("server"), client_options(args));
  // The collector's key: pinned by the voter (--collector-key), else the one the served
  // election context pins (and the server must serve that one).
  const Json info = get_ok(*client, "/api/election");
  const std::string pinned = info.at("context").at("collector_key").get<std::string>();
  if (info.value("collector_public_key", "") != pinned) {
    throw std::runtime_error("the server's collector key is not the one its context pins");
  }
  const crypto::Bytes key = crypto::from_hex(args.optional("collector-key").value_or(pinned));
  crypto::require_ed25519_public_key(
      key, args.optional("collector-key") ? "--collector-key" : "context.json.collector_key");

  const std::string i = std::to_string(receipt.board_index);
  const Json entries = get_ok(
      *client, "/api/board/entries?from=" + i + "&to=" + std::to_string(receipt.board_index + 1));
  const crypto::Bytes payload =
      crypto::from_hex(entries.at("entries").at(0).at("payload").get<std::string>());
  if (crypto::to_hex(crypto::sha256(payload)) != receipt.ballot_hash) {
    std::cout << "FAIL board entry " << i << " is not the receipted ballot (hash differs)\n";
    return 1;
  }
  board::check_receipt_var(receipt, payload, key);
  std::cout << "PASS the receipt's inclusion proof holds under its signed tree head (size "
            << receipt.signed_tree_head.head.tree_size << ")\n";

  const Json head_json = get_ok(*client, "/api/board/head");
  const board::SignedTreeHead current =
      board::signed_tree_head_from_json(head_json.at("signed_tree_head"), "signed_tree_head");
  board::check_tree_head_signature_var(current, key);
  const auto& old_head = receipt.signed_tree_head.head;
  if (current.head.tree_size < old_head.tree_size) {
    std::cout << "FAIL the current board (" << current.head.tree_size
              << " entries) is smaller than the receipt's (" << old_head.tree_size << ")\n";
    return 1;
  }
  const Json proof_json =
      get_ok(*client, "/api/board/consistency?old=" + std::to_string(old_head.tree_size) +
                          "&new=" + std::to_string(current.head.tree_size));
  board::check_consistency_var(
      board::consistency_proof_from_json(proof_json.at("consistency_proof"), "consistency_proof"),
      old_head.root_hash, current.head.root_hash);
  std::cout << "PASS the current signed tree head (size " << current.head.tree_size
            << (head_json.value("final", false) ? ", final" : "")
            << ") extends the receipt's: nothing before the ballot was dropped or rewritten\n";

  const Json status = get_ok(*client, "/api/ballots/" + receipt.ballot_hash);
  std::cout << "status: " << status.at("status").get<std::string>() << "\n";
  return 0;
}

const CommandRegistration registration("receipt", "check a ballot receipt against the board",
                                       kUsage, {{"check", &run_check}});

}  // namespace
}  // namespace haal::cli
