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
#include <unordered_set>

#include "board/board.hpp"
#include "collector/batch_appender.hpp"
#include "collector/board_state.hpp"
#include "collector/client/ballot_admission.hpp"
#include "collector/client/election_view.hpp"
#include "collector/metrics.hpp"
#include "collector/rate_limiter.hpp"
#include "collector/web_app.hpp"

namespace haal::collector {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                              // 0: any free port (see CollectorServer::port())
  std::optional<std::string> tls_cert_file;  // PEM; both or neither
  std::optional<std::string> tls_key_file;
  std::size_t max_body_bytes = 256 * 1024;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;
  int keep_alive_timeout_seconds = 5;
  std::size_t keep_alive_max_requests = 100'000;
  std::size_t threads = 0;          // 0: max(256, 32 x cores): each keep-alive connection holds one
  double ip_rate_per_second = 200;  // all requests of one client address; <= 0 disables
  double ip_burst = 400;
  double voter_rate_per_second = 1;  // verified submissions of one credential; <= 0 disables
  double voter_burst = 10;
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
  void install_routes();
  void log_loop();

  const ElectionView& election_;
  std::unique_ptr<BallotChecker> checker_;
  board::Board& board_;
  ServerOptions options_;
  BoardState state_;
  Metrics metrics_;
  RateLimiter ip_limiter_;
  RateLimiter voter_limiter_;
  crypto::Ed25519PrivateKey head_key_;
  std::unique_ptr<BatchAppender> appender_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::atomic<bool> stopped_{false};
  std::mutex stop_mutex_;
  // Export requests change nothing on the board, so their nonces are remembered here (for the
  // process's life; a restart cannot make an old export request fresh again: its timestamp
  // window has passed by then, or it merely re-reads public data).
  std::mutex export_mutex_;
  std::unordered_set<std::string> export_nonces_;
  std::mutex log_mutex_;
  std::condition_variable log_wake_;
  std::thread log_thread_;
};

}  // namespace haal::collector
