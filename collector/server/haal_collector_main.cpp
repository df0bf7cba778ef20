// haal-collector: the ballot collector server (docs/api.md).
//   haal-collector --election DIR --store URL --listen ADDR:PORT [--tls-cert F --tls-key F]
//                  [--key FILE] [rate, size, connection and time limits] [--threads N]
//                  [--max-batch N] [--web DIR|none] [--results FILE]      (--help lists all)
// Prints "haal-collector: listening on URL" on stdout once it accepts connections.
//   haal-collector keygen --election DIR --key FILE --out FILE
// makes the collector's tree-head key before the election is sealed (context.json pins it).
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>

#include "board/board.hpp"
#include "collector/protocol/collector_key.hpp"
#include "collector/server/board_state.hpp"
#include "collector/server/election_ballot_checker.hpp"
#include "collector/server/server.hpp"
#include "election/parties.hpp"
#include "election/strict_json.hpp"

namespace {

using haal::collector::ServerOptions;

// The exit status after losing the writer lease (docs/deploy.md, "Failover"); systemd restarts
// the collector, which then waits as the standby.
constexpr int kExitLeaseLost = 3;

constexpr const char* kUsage =
    "usage: haal-collector --election DIR --store URL --listen ADDR:PORT\n"
    "                      [--tls-cert FILE --tls-key FILE] [--key FILE] [limits...]\n"
    "                      [--threads N] [--max-batch N] [--web DIR|none] [--results FILE]\n"
    "  --store    sqlite:PATH | postgresql://...\n"
    "  --listen   ADDR:PORT; plain HTTP only on loopback (127.0.0.1, ::1); port 0 = any\n"
    "  --key      the collector's tree-head signing key, the one context.json pins (default\n"
    "             PATH.collector-key for sqlite:PATH)\n"
    "  --web      the voter web app to serve at / (default: the one built in " HAAL_DEFAULT_WEB_DIR
    ",\n             if present); none = serve no web app\n"
    "  --results  the published results.json, served at GET /api/results once it exists\n"
    "  --threads N         workers handling complete requests (default max(256, 32 x cores))\n"
    "  --max-batch N       entries per group commit (default 2048)\n"
    "limits (docs/api.md section 9; defaults in brackets):\n"
    "  --ip-rate R, --ip-burst B        requests/s per client address [200, 400]; 0 = no limit\n"
    "  --voter-rate R, --voter-burst B  submissions/s per voter [1, 10]; 0 = no limit\n"
    "  --challenge-rate R, --challenge-burst B\n"
    "                                   anonymous challenges/s per client address [0.1, 20];\n"
    "                                   0 = no limit (behind HAProxy, which limits them)\n"
    "  --check-lookups N, --check-window SECONDS\n"
    "                                   answers of a cast ballot's second-device check, and\n"
    "                                   the time after casting they are given in [3, 1800]\n"
    "  --max-body BYTES                 request body, whatever its framing [262144]\n"
    "  --max-header-bytes BYTES         request line and headers together [16384]\n"
    "  --max-headers N                  header fields [64]\n"
    "  --max-connections N              open connections in total [4096]\n"
    "  --max-connections-per-address N  open connections per client address [64]; 0 = no cap\n"
    "  --request-timeout SECONDS        a whole request: TLS handshake, head and body [10]\n"
    "  --idle-timeout SECONDS           keep-alive wait for the next request [5]\n"
    "  --write-timeout SECONDS          writing a whole response [10]\n"
    "  --max-pending-output BYTES       unsent responses of all connections [268435456]\n"
    "  --help                           this text\n"
    "A second collector on the same store is a hot standby: it follows the board without\n"
    "listening until the active one's writer lease ends, then serves. A collector that loses its\n"
    "lease stops with exit status 3 (docs/deploy.md section 7).\n"
    "\n"
    "usage: haal-collector keygen --election DIR --key FILE --out FILE\n"
    "  before `haal election seal`: makes the collector's tree-head key FILE (mode 0600; never\n"
    "  overwritten) and its public file (--out) for `haal election seal --collector`\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct HelpRequested {};

std::map<std::string, std::string> parse_options(int argc, char** argv) {
  static const std::set<std::string> known = {"election",
                                              "store",
                                              "listen",
                                              "tls-cert",
                                              "tls-key",
                                              "key",
                                              "ip-rate",
                                              "ip-burst",
                                              "voter-rate",
                                              "voter-burst",
                                              "challenge-rate",
                                              "challenge-burst",
                                              "check-lookups",
                                              "check-window",
                                              "max-body",
                                              "max-header-bytes",
                                              "max-headers",
                                              "max-connections",
                                              "max-connections-per-address",
                                              "request-timeout",
                                              "idle-timeout",
                                              "write-timeout",
                                              "max-pending-output",
                                              "threads",
                                              "max-batch",
                                              "web",
                                              "results"};
  std::map<std::string, std::string> out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help") throw HelpRequested();
    if (a.rfind("--", 0) != 0 || !known.count(a.substr(2)))
      throw UsageError("unknown argument " + a);
    if (i + 1 >= argc) throw UsageError("missing value for " + a);
    if (!out.emplace(a.substr(2), argv[++i]).second) throw UsageError("repeated " + a);
  }
  for (const char* required : {"election", "store", "listen"}) {
    if (!out.count(required)) throw UsageError(std::string("missing --") + required);
  }
  return out;
}

double number(const std::map<std::string, std::string>& o, const std::string& name,
              double fallback) {
  const auto it = o.find(name);
  if (it == o.end()) return fallback;
  try {
    std::size_t used = 0;
    const double v = std::stod(it->second, &used);
    if (used != it->second.size() || v < 0) throw std::invalid_argument("");
    return v;
  } catch (const std::exception&) {
    throw UsageError("--" + name + " must be a non-negative number");
  }
}

// Returns option `name` in seconds (a decimal number, fractions allowed) as milliseconds.
int milliseconds(const std::map<std::string, std::string>& o, const std::string& name,
                 int fallback_ms) {
  const double seconds = number(o, name, fallback_ms / 1000.0);
  if (seconds < 0.1 || seconds > 3600) throw UsageError("--" + name + " must be 0.1 to 3600 s");
  return static_cast<int>(seconds * 1000);
}

// Returns option `name` as a count of at least `minimum`.
std::size_t count(const std::map<std::string, std::string>& o, const std::string& name,
                  std::size_t fallback, std::size_t minimum) {
  const double v = number(o, name, static_cast<double>(fallback));
  if (v < static_cast<double>(minimum) || v != static_cast<double>(static_cast<std::size_t>(v))) {
    throw UsageError("--" + name + " must be a whole number >= " + std::to_string(minimum));
  }
  return static_cast<std::size_t>(v);
}

void split_listen(const std::string& listen, ServerOptions& options) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw UsageError("--listen must be ADDR:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string port = listen.substr(colon + 1);
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos ||
      port.size() > 5 || std::stoi(port) > 65535) {
    throw UsageError("--listen must be ADDR:PORT, got \"" + listen + "\"");
  }
  options.host = host;
  options.port = std::stoi(port);
}

// `haal-collector keygen --election DIR --key FILE --out FILE`.
int run_keygen(int argc, char** argv) {
  std::map<std::string, std::string> o;
  for (int i = 2; i < argc; i += 2) {
    const std::string a = argv[i];
    if (a != "--election" && a != "--key" && a != "--out") {
      std::cerr << "haal-collector keygen: unknown argument " << a << "\n" << kUsage;
      return 2;
    }
    if (i + 1 >= argc || !o.emplace(a.substr(2), argv[i + 1]).second) {
      std::cerr << "haal-collector keygen: missing or repeated value for " << a << "\n" << kUsage;
      return 2;
    }
  }
  if (o.size() != 3) {
    std::cerr << "haal-collector keygen: --election, --key and --out are required\n" << kUsage;
    return 2;
  }
  try {
    const std::string id = haal::election::load_manifest(o["election"]).election_id;
    if (std::filesystem::exists(o["out"])) {
      throw std::runtime_error(o["out"] + ": exists; not overwritten");
    }
    const auto key = haal::crypto::Ed25519PrivateKey::generate();
    haal::collector::write_collector_key(o["key"], key);
    haal::election::write_canonical_json_file(
        o["out"], haal::election::party_public_file(id, "collector", "", key.public_key()));
    std::cout << "collector key " << haal::crypto::to_hex(key.public_key()) << " in " << o["key"]
              << "; public file " << o["out"] << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "haal-collector keygen: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "keygen") return run_keygen(argc, argv);
  if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "help")) {
    std::cout << kUsage;
    return 0;
  }
  std::map<std::string, std::string> o;
  ServerOptions options;
  try {
    o = parse_options(argc, argv);
    split_listen(o["listen"], options);
    if (o.count("tls-cert")) options.tls_cert_file = o["tls-cert"];
    if (o.count("tls-key")) options.tls_key_file = o["tls-key"];
    options.ip_rate_per_second = number(o, "ip-rate", options.ip_rate_per_second);
    options.ip_burst =
        number(o, "ip-burst", std::max(options.ip_burst, 2 * options.ip_rate_per_second));
    options.voter_rate_per_second = number(o, "voter-rate", options.voter_rate_per_second);
    options.voter_burst = number(o, "voter-burst", options.voter_burst);
    options.challenge_rate_per_second =
        number(o, "challenge-rate", options.challenge_rate_per_second);
    options.challenge_burst = number(o, "challenge-burst", options.challenge_burst);
    options.check_lookups = count(o, "check-lookups", options.check_lookups, 0);
    options.check_window_seconds = count(o, "check-window", options.check_window_seconds, 0);
    options.max_body_bytes = count(o, "max-body", options.max_body_bytes, 1);
    options.max_header_bytes = count(o, "max-header-bytes", options.max_header_bytes, 256);
    options.max_headers = count(o, "max-headers", options.max_headers, 1);
    options.max_connections = count(o, "max-connections", options.max_connections, 1);
    options.max_connections_per_address =
        count(o, "max-connections-per-address", options.max_connections_per_address, 0);
    options.request_timeout_ms = milliseconds(o, "request-timeout", options.request_timeout_ms);
    options.idle_timeout_ms = milliseconds(o, "idle-timeout", options.idle_timeout_ms);
    options.write_timeout_ms = milliseconds(o, "write-timeout", options.write_timeout_ms);
    options.max_pending_output_bytes =
        count(o, "max-pending-output", options.max_pending_output_bytes, 1 << 20);
    options.threads = count(o, "threads", 0, 0);
    options.max_batch = count(o, "max-batch", options.max_batch, 1);
  } catch (const HelpRequested&) {
    std::cout << kUsage;
    return 0;
  } catch (const UsageError& e) {
    std::cerr << "haal-collector: " << e.what() << "\n" << kUsage;
    return 2;
  }
  // Every open connection is a descriptor: allow as many as the hard limit permits.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  // Block the stop signals in every thread; one thread waits for them and stops the server.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // One thread waits for the stop signals; what a signal stops changes as the collector starts
  // (the wait for the writer lease, then the server).
  std::atomic<bool> stop_requested{false};
  std::mutex stop_mutex;
  std::function<void()> stop_action;
  std::thread signal_thread([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "haal-collector: signal " << signal_number << ", stopping\n";
    stop_requested = true;
    std::lock_guard lock(stop_mutex);
    if (stop_action) stop_action();
  });
  signal_thread.detach();
  std::atomic<bool> lease_lost{false};

  try {
    const auto election = haal::collector::load_election_view(o["election"]);
    if (o.count("web")) {
      if (o["web"] != "none") options.web_app = haal::collector::load_web_app(o["web"]);
    } else if (std::filesystem::exists(std::filesystem::path(HAAL_DEFAULT_WEB_DIR) /
                                       "index.html")) {
      options.web_app = haal::collector::load_web_app(HAAL_DEFAULT_WEB_DIR);
    } else {
      std::cerr << "haal-collector: no web app in " << HAAL_DEFAULT_WEB_DIR
                << " (build it, or give --web DIR); serving the API only\n";
    }
    if (o.count("results")) options.results_file = o["results"];
    const auto key_path = o.count("key") ? std::filesystem::path(o["key"])
                                         : haal::collector::default_collector_key_path(o["store"]);
    auto key = haal::collector::load_collector_key(key_path);
    auto head_key = haal::collector::load_collector_key(key_path);
    haal::collector::require_pinned_collector_key(key, election.context->parties().collector_key,
                                                  key_path);
    auto store = haal::board::open_store(o["store"]);
    std::cerr << "haal-collector: opening the board in " << store->description() << "\n";
    const std::string description = store->description();
    // Recovers what the store holds now; writes nothing (but a new store's log id).
    haal::board::Board board(std::move(store), election.election_id(), std::move(key));
    auto checker = std::make_unique<haal::collector::ElectionBallotChecker>(election);
    auto state = std::make_unique<haal::collector::BoardState>();
    haal::collector::follow_board_state(board, *checker, *state);
    // Only the holder of the store's writer lease serves. A second collector on the same store
    // is a hot standby: it does not listen, follows what the active one commits (every second)
    // and takes over as soon as the active one's session ends (docs/deploy.md section 7).
    std::string holder;
    int polls = 0;
    while (!board.try_acquire_writer_lease(holder)) {
      if (stop_requested) return 0;
      if (polls % 300 == 0) {
        std::cerr << "haal-collector: standby for " << description << ": " << holder
                  << "; following the board (" << board.size()
                  << " entries) and waiting to take over\n";
      }
      if (polls % 5 == 4) {
        board.catch_up();
        haal::collector::follow_board_state(board, *checker, *state);
      }
      ++polls;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (polls > 0) std::cerr << "haal-collector: took over the writer lease; catching up\n";
    board.catch_up();  // what the last writer committed since the last look
    haal::collector::CollectorServer server(election, std::move(checker), board,
                                            std::move(head_key), options, std::move(state));
    const int port = server.bind();
    {
      std::lock_guard lock(stop_mutex);
      stop_action = [&server] { server.stop(); };
    }
    struct ForgetStopAction {  // the server dies with this scope; a late signal must not reach it
      std::mutex& mutex;
      std::function<void()>& action;
      ~ForgetStopAction() {
        std::lock_guard lock(mutex);
        action = nullptr;
      }
    } forget_stop_action{stop_mutex, stop_action};
    if (stop_requested) return 0;
    // Checks the lease every second; on losing it the collector stops serving at once, so a
    // collector cut off from the store cannot keep answering as if it were the active one.
    std::jthread lease_watch([&](std::stop_token stop) {
      std::mutex m;
      std::condition_variable_any tick;
      std::unique_lock lock(m);
      while (!tick.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; })) {
        if (stop.stop_requested()) return;
        try {
          board.check_writer_lease();
        } catch (const std::exception& e) {
          std::cerr << "haal-collector: lost the writer lease (" << e.what()
                    << "); stopping so that a standby can take over\n";
          lease_lost = true;
          kill(getpid(), SIGTERM);
          return;
        }
      }
    });
    const bool tls = options.tls_cert_file.has_value();
    const std::string host =
        options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
    std::cerr << "haal-collector: election " << election.election_id() << ", board of "
              << board.size() << " entries, collector key "
              << haal::crypto::to_hex(board.public_key()) << "\n";
    if (options.web_app) {
      std::cerr << "haal-collector: serving the voter web app from "
                << options.web_app->dir.string() << "\n";
    }
    std::cout << "haal-collector: listening on " << (tls ? "https://" : "http://") << host << ":"
              << port << std::endl;
    server.run();
    server.stop();
    lease_watch.request_stop();
    lease_watch.join();
    std::cerr << "haal-collector: stopped; board of " << board.size() << " entries\n";
    return lease_lost ? kExitLeaseLost : 0;
  } catch (const std::exception& e) {
    std::cerr << "haal-collector: " << e.what() << "\n";
    return 1;
  }
}
