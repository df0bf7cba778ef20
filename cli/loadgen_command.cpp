// `haal loadgen`: the collector's load generator, the audit of its receipts, and a test election
// to run it against (docs/api.md, "Load generator").
#include <iostream>

#include "cli/args.hpp"
#include "cli/client_options.hpp"
#include "cli/command.hpp"
#include "cli/passphrase.hpp"
#include "collector/protocol/officials_request.hpp"
#include "election/context.hpp"
#include "tools/loadgen/loadgen.hpp"
#include "tools/loadgen/test_election.hpp"

namespace {

using haal::cli::Args;
using haal::cli::UsageError;

const std::string kUsage =
    std::string(
        "usage: haal loadgen --server URL --election DIR --credentials DIR --voters N "
        "--concurrency C\n"
        "                    [--revote-rate R] [--receipts FILE] [--ca-cert FILE] [--retry-for S]\n"
        "                    [passphrase]\n"
        "         Casts N real ballots over C connections, checks every receipt, prints "
        "throughput\n"
        "         and latency percentiles, appends receipts (JSON lines) to FILE. --retry-for S\n"
        "         re-sends a ballot that got no answer or 502/503/504 for up to S seconds.\n"
        "       haal loadgen check --server URL --receipts FILE --election DIR [--ca-cert FILE]\n"
        "         Confirms every receipted ballot is on the board and the board is consistent,\n"
        "         under the collector key that DIR/context.json pins.\n"
        "       haal loadgen test-election --election DIR --credentials DIR --voters N\n"
        "                    --officials-key FILE --collector-key FILE [--group G] [passphrase]\n"
        "         Creates a sealed throw-away test election with N unprotected credentials; the\n"
        "         collector's key (for haal-collector --key) is written to --collector-key.\n"
        "  passphrase: --passphrase-fd N | --passphrase-file F | --passphrase-env V\n") +
    haal::cli::kCaCertUsage;

// Parses the options of every loadgen subcommand (one set, as `haal loadgen` always took);
// refuses a positional argument.
Args loadgen_args(const std::vector<std::string>& argv) {
  const Args args(
      argv,
      haal::cli::with_passphrase({"server", "election", "credentials", "voters", "concurrency",
                                  "revote-rate", "receipts", "ca-cert", "officials-key", "group",
                                  "collector-key", "retry-for"}),
      {"quiet"});
  if (!args.positionals().empty()) {
    throw UsageError("unexpected argument '" + args.positionals()[0] + "'");
  }
  return args;
}

int run_check(const std::vector<std::string>& argv) {
  const Args args = loadgen_args(argv);
  const auto context = haal::election::load_election_context(args.required("election"));
  const auto audit = haal::collector::audit_receipts(
      args.required("server"), haal::cli::client_options(args), args.required("receipts"),
      context.parties().collector_key, !args.has("quiet"));
  std::cout << "receipts " << audit.receipts << ", verified " << audit.verified << ", board of "
            << audit.board_size << " entries\n";
  for (const auto& p : audit.problems) std::cout << "  PROBLEM: " << p << "\n";
  std::cout << (audit.ok() ? "OK: every receipted ballot is on the board\n" : "FAILED\n");
  return audit.ok() ? 0 : 1;
}

int run_test_election(const std::vector<std::string>& argv) {
  const Args args = loadgen_args(argv);
  haal::collector::TestElectionOptions o;
  o.voters = args.uint_or("voters", 0);
  if (o.voters == 0) throw UsageError("--voters must be positive");
  o.group = args.value_or("group", o.group);
  o.collector_key_file = args.required("collector-key");
  const std::string passphrase = haal::cli::read_passphrase(args, "the officials' key");
  const auto key = haal::collector::make_test_election(args.required("election"),
                                                       args.required("credentials"), o);
  haal::collector::write_officials_key_file(args.required("officials-key"), o.election_id, key,
                                            passphrase);
  std::cout << "test election " << o.election_id << " with " << o.voters << " voters in "
            << args.required("election") << "\n";
  return 0;
}

int run_load(const std::vector<std::string>& argv) {
  const Args args = loadgen_args(argv);
  const haal::collector::ClientOptions client = haal::cli::client_options(args);
  const bool progress = !args.has("quiet");

  haal::collector::LoadgenOptions o;
  o.server_url = args.required("server");
  o.client = client;
  o.election_dir = args.required("election");
  o.credentials_dir = args.required("credentials");
  o.voters = args.uint_or("voters", 0);
  o.concurrency = args.uint_or("concurrency", 0);
  if (o.voters == 0) throw UsageError("missing or zero --voters");
  if (o.concurrency == 0) throw UsageError("missing or zero --concurrency");
  if (const auto r = args.optional("revote-rate")) {
    try {
      std::size_t used = 0;
      o.revote_rate = std::stod(*r, &used);
      if (used != r->size()) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw UsageError("--revote-rate must be a number in [0, 1]");
    }
  }
  if (const auto r = args.optional("retry-for")) {
    try {
      std::size_t used = 0;
      o.retry_seconds = std::stod(*r, &used);
      if (used != r->size() || !(o.retry_seconds >= 0 && o.retry_seconds <= 3600)) {
        throw std::invalid_argument("");
      }
    } catch (const std::exception&) {
      throw UsageError("--retry-for must be a number of seconds in [0, 3600]");
    }
  }
  if (const auto f = args.optional("receipts")) o.receipts_file = *f;
  bool has_passphrase = false;
  for (const auto& p : haal::cli::kPassphraseOptions)
    has_passphrase |= args.optional(p).has_value();
  if (has_passphrase) o.passphrase = haal::cli::read_passphrase(args, "the credentials");
  o.progress = progress;
  const auto report = haal::collector::run_loadgen(o);
  std::cout << haal::collector::format_loadgen_report(report);
  const bool ok = report.accepted == report.sent && report.bad_receipts == 0;
  return ok ? 0 : 1;
}

const haal::cli::CommandRegistration reg(
    "loadgen", "load-test a collector and audit its receipts", kUsage,
    {{"", &run_load}, {"check", &run_check}, {"test-election", &run_test_election}});

}  // namespace
