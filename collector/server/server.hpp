// The collector's HTTP(S) server: the public JSON API of docs/api.md over a Board, with the
// admission pipeline, officials' signed requests, rate limits, metrics and logging.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "board/board.hpp"
#include "collector/protocol/ballot_admission.hpp"
#include "collector/protocol/election_view.hpp"
#include "collector/protocol/officials_request.hpp"
#include "collector/server/batch_appender.hpp"
#include "collector/server/board_state.hpp"
#include "collector/server/front_door.hpp"
#include "collector/server/metrics.hpp"
#include "collector/server/rate_limiter.hpp"
#include "collector/server/web_app.hpp"

namespace haal::collector {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                              // 0: any free port (see CollectorServer::port())
  std::optional<std::string> tls_cert_file;  // PEM; both or neither
  std::optional<std::string> tls_key_file;
  // Limits enforced by the front door before a worker sees a request (front_door.hpp,
  // docs/api.md section 9).
  std::size_t max_body_bytes = 256 * 1024;
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers together
  std::size_t max_headers = 64;
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 64;  // 0: no cap (e.g. behind a proxy)
  int request_timeout_ms = 10'000;               // a whole request: TLS handshake, head and body
  int idle_timeout_ms = 5'000;                   // keep-alive wait for the next request
  int write_timeout_ms = 10'000;                 // a whole response
  std::size_t max_pending_output_bytes = 256u << 20;  // unsent responses, all connections
  std::size_t keep_alive_max_requests = 100'000;
  std::size_t threads = 0;  // workers, each on one complete request; 0: max(256, 32 x cores)
  double ip_rate_per_second = 200;  // all requests of one client address; <= 0 disables
  double ip_burst = 400;
  double voter_rate_per_second = 1;  // verified submissions of one credential; <= 0 disables
  double voter_burst = 10;
  // Anonymous Benaloh challenges of one client address (they name no voter to charge); <= 0
  // disables. Behind a proxy every request has the proxy's address: HAProxy applies the same
  // limit per source address (deploy/haproxy/haal.cfg) and the collector runs with 0.
  double challenge_rate_per_second = 0.1;
  double challenge_burst = 20;
  // The cast-ballot check on a second device (POST /api/ballots/CODE/check, docs/ballots.md
  // section 12): at most this many answers per ballot, within this many seconds of its casting.
  std::uint64_t check_lookups = 3;
  std::uint64_t check_window_seconds = 30 * 60;
  std::size_t max_batch = 2048;
  std::uint64_t store_head_interval_ms = 1000;
  std::uint64_t max_entries_per_page = 1000;
  int log_interval_seconds = 5;   // summary line period; 0 disables
  std::optional<WebApp> web_app;  // the voter web app served at / (docs/web.md); none if empty
  std::optional<std::filesystem::path> results_file;  // results.json served at GET /api/results
};

// Returns true iff `host` is a loopback address (127.0.0.0/8, ::1, localhost).
bool is_loopback_host(const std::string& host);

class CollectorServer {
 public:
  // Builds the server and rebuilds the board state from `board`; `head_key` is the board's key
  // (a second copy, for signing per-batch heads; see BatchAppender). Throws std::invalid_argument
  // if plain HTTP is requested on a non-loopback host, if only one of the TLS files is given,
  // or if the election has no officials' key; board::RecoveryError if the board is unreadable.
  CollectorServer(const ElectionView& election, std::unique_ptr<BallotChecker> checker,
                  board::Board& board, crypto::Ed25519PrivateKey head_key, ServerOptions options);
  // As above, from `followed`: the state a standby kept up to date with follow_board_state while
  // it waited for the writer lease (docs/deploy.md section 7); only the rest is read here. Call
  // once this process holds the lease (it may sign a head).
  CollectorServer(const ElectionView& election, std::unique_ptr<BallotChecker> checker,
                  board::Board& board, crypto::Ed25519PrivateKey head_key, ServerOptions options,
                  std::unique_ptr<BoardState> followed);
  ~CollectorServer();
  CollectorServer(const CollectorServer&) = delete;
  CollectorServer& operator=(const CollectorServer&) = delete;

  // Binds the listening socket; returns the port. Throws std::runtime_error on failure.
  int bind();
  // Serves until stop(); call after bind().
  void run();
  // Stops serving and commits what is queued. Safe from any thread (and a signal-watching one).
  void stop();
  int port() const { return port_; }

  const Metrics& metrics() const { return metrics_; }
  const BoardState& state() const { return state_; }

 private:
  class Router;
  // Installs every route group below on http_, in the order cpp-httplib matches them.
  void install_routes();
  void install_address_limit();         // per-address rate limit before any routing or parsing
  void install_error_responses();       // cpp-httplib's own errors in the API's JSON error form
  void install_monitoring_routes();     // GET /healthz, /metrics
  void install_election_routes();       // GET /api/election, /api/roll
  void install_submission_routes();     // POST /api/ballots, /api/challenges
  void install_ballot_lookup_routes();  // GET /api/ballots/CODE
  void install_cast_check_route();      // POST /api/ballots/CODE/check
  void install_results_route();         // GET /api/results
  void install_web_app_route();         // GET / and the web app's files (if options_.web_app)
  void install_board_routes();          // GET /api/board/head, /entries, /consistency
  void install_officials_routes();      // POST /api/officials/polls, /export

  // Answers one submission (a ballot, or a Benaloh challenge if `challenge`) with its receipt or
  // its refusal, and counts it in the metrics.
  void handle_submission(const httplib::Request& req, httplib::Response& res, bool challenge);
  // Returns the facts of the verified submission `body` if it may be posted now; throws the
  // Rejection of the first failed check in the order of docs/api.md (shape and election before
  // the voting window, then the rest, then the voter's or the address's rate limit).
  BallotFacts admit_submission(const httplib::Request& req, const Json& body, bool challenge);
  // Returns the refusal of any submission at unix time `now_ms` (outside the manifest's voting
  // window, polls not opened or closed), nullopt while voting is open.
  std::optional<Rejection> voting_closed(std::uint64_t now_ms) const;
  // Returns the entry of ballot hash or tracking code `key` (any letter case) and the latest
  // signed head. Throws Rejection 404 "not-found", 503 "not-yet-signed" if no head covers it.
  std::pair<LocatedBallot, board::SignedTreeHead> locate_ballot(const std::string& key) const;
  // Returns "cast", "superseded" (a later ballot of the voter) or "challenged".
  std::string ballot_status(const LocatedBallot& located) const;
  // Returns the receipt JSON of `located` under `head` (covering it).
  Json receipt_under(const LocatedBallot& located, const board::SignedTreeHead& head) const;
  // Counts one cast-ballot check of the ballot at `board_index`; throws Rejection 429
  // "check-limit" once it was answered options_.check_lookups times.
  void spend_cast_check(std::uint64_t board_index);
  // Returns (body, request) of an officials' signed request for `route` after recording its
  // nonce durably; throws Rejection (413, 400, 401, 409 "nonce-reused", 503).
  std::pair<Json, OfficialsRequest> admit_officials_request(const httplib::Request& req,
                                                            const std::string& route);
  // POST /api/officials/polls: opens or closes the polls on the board.
  void handle_polls_request(const httplib::Request& req, httplib::Response& res);
  void log_loop();
  // Returns the receipt (under the latest head) of the entry of this kind whose payload is
  // byte for byte `facts.payload`, if it is on the board and signed; nullopt otherwise.
  std::optional<Json> receipt_of_copy(const std::string& kind, const BallotFacts& facts);

  const ElectionView& election_;
  std::unique_ptr<BallotChecker> checker_;
  board::Board& board_;
  ServerOptions options_;
  std::unique_ptr<BoardState> owned_state_;
  BoardState& state_;
  Metrics metrics_;
  RateLimiter ip_limiter_;
  RateLimiter voter_limiter_;
  RateLimiter challenge_limiter_;
  crypto::Ed25519PrivateKey head_key_;
  std::unique_ptr<BatchAppender> appender_;
  std::unique_ptr<Router> http_;  // routes complete requests (cpp-httplib), on the workers
  std::unique_ptr<FrontDoor> front_door_;
  int port_ = 0;
  std::once_flag roll_body_once_;
  std::string roll_body_;  // GET /api/roll: canonical JSON of election_.roll
  std::atomic<bool> stopped_{false};
  std::mutex stop_mutex_;
  std::mutex log_mutex_;
  std::condition_variable log_wake_;
  std::thread log_thread_;
};

}  // namespace haal::collector
