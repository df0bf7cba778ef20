// `haal mix-server keygen`: a mix server makes its own Ed25519 key before the election is
// sealed; `haal election seal --mix-servers` pins the public file, and the server signs each of
// its shuffles with the key (`haal tally mix --mix-server DIR`). Logic lives in tally/.
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "election/context.hpp"
#include "tally/ceremony/mix_server.hpp"

namespace {

using haal::cli::Args;
using haal::cli::UsageError;

constexpr const char* kUsage =
    "usage: haal mix-server keygen --election ELECTION_DIR --id ID --out DIR [passphrase]\n"
    "  On the mix server's own machine, before the election is sealed: makes its Ed25519 key,\n"
    "  sealed under the passphrase in DIR/mix-server-key.json (mode 0600), and the public file\n"
    "  DIR/mix-server.json that the officials pin with `haal election seal --mix-servers`.\n"
    "  ID: [A-Za-z0-9][A-Za-z0-9._-]{0,63}, unique in the chain.\n"
    "passphrase: --passphrase-fd N | --passphrase-file F | --passphrase-env VAR (else a prompt)\n";

int run_keygen(const std::vector<std::string>& argv) {
  const Args args(argv, haal::cli::with_passphrase({"election", "id", "out"}));
  const std::string election_id =
      haal::election::load_manifest(args.required("election")).election_id;
  const std::string id = args.required("id");
  const std::string passphrase = haal::cli::read_passphrase(args, "the mix server's key");
  const haal::crypto::Bytes key =
      haal::tally::create_mix_server_key(args.required("out"), election_id, id, passphrase);
  std::cout
      << "mix server " << id << ": public key " << haal::crypto::to_hex(key) << " in "
      << (std::filesystem::path(args.required("out")) / haal::tally::kMixServerPublicFile).string()
      << "\n";
  return 0;
}

const haal::cli::CommandRegistration reg("mix-server", "a mix server's own signing key", kUsage,
                                         {{"keygen", &run_keygen}});

}  // namespace
