// `haal officials keygen`: the election officials' Ed25519 key, with which they sign their
// requests to the collector (`haal polls`, `haal tally close`; docs/api.md, "Officials' signed
// requests").
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/protocol/election_view.hpp"
#include "collector/protocol/officials_request.hpp"

namespace {

using haal::cli::Args;
using haal::cli::UsageError;

constexpr const char* kOfficialsUsage =
    "usage: haal officials keygen --election DIR --out FILE [--passphrase-fd N | --passphrase-file "
    "F |\n"
    "                             --passphrase-env V]\n"
    "  Creates the officials' Ed25519 key: FILE (passphrase-protected private key) and\n"
    "  DIR/officials.json (public key, read by the collector).\n";

int run_keygen(const std::vector<std::string>& argv) {
  const Args args(argv, haal::cli::with_passphrase({"election", "out"}));
  if (!args.positionals().empty()) {
    throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
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

const haal::cli::CommandRegistration officials_reg("officials",
                                                   "create the election officials' key",
                                                   kOfficialsUsage, {{"keygen", &run_keygen}});

}  // namespace
