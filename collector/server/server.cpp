#include "collector/server/server.hpp"

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "board/receipt.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/json_strict.hpp"
#include "election/cast_check.hpp"
#include "election/manifest.hpp"

namespace haal::collector {

using httplib::Request;
using httplib::Response;

namespace {

constexpr const char* kJson = "application/json";

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void send_error(httplib::Response& res, const Rejection& r) {
  send_json(res, r.status(), {{"error", {{"code", r.code()}, {"message", r.what()}}}});
}

// Returns the request body as JSON. Throws Rejection 400 "duplicate-key" if an object repeats a
// key (two parsers could read two different documents) and 400 "bad-json" if it is not JSON.
Json parse_body(const httplib::Request& req, const std::string& what) {
  try {
    return crypto::parse_json_rejecting_duplicate_keys(req.body);
  } catch (const crypto::DuplicateKeyError& e) {
    throw Rejection(400, "duplicate-key",
                    what + ": key \"" + e.key() + "\" appears twice in " +
                        (e.path().empty() ? std::string("the top-level object") : e.path()));
  } catch (const std::exception&) {
    throw Rejection(400, "bad-json", what + ": the request body is not valid JSON");
  }
}

// Returns the decimal query parameter `name`. Throws Rejection 400 "bad-query".
std::uint64_t query_uint(const httplib::Request& req, const std::string& name) {
  if (!req.has_param(name.c_str())) {
    throw Rejection(400, "bad-query", "query parameter \"" + name + "\" is missing");
  }
  const std::string v = req.get_param_value(name.c_str());
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    throw Rejection(400, "bad-query",
                    "query parameter \"" + name + "\" must be a decimal integer, got \"" +
                        v.substr(0, 32) + "\"");
  }
  return out;
}

Json window_json(const ElectionView& e) {
  const auto& m = e.context->manifest();
  return {{"opens", m.opens},
          {"closes", m.closes},
          {"opens_at_ms", e.window.opens_at_ms},
          {"closes_at_ms", e.window.closes_at_ms}};
}

Json receipt_json(const std::string& kind, const BallotFacts& facts, const Committed& c) {
  return board::receipt_to_json(board::Receipt{kind, c.board_index, c.timestamp_ms,
                                               facts.ballot_hash, facts.tracking_code,
                                               c.inclusion_proof, c.signed_tree_head});
}

// A complete request in memory as cpp-httplib's input, and the response it writes.
class MemoryStream final : public httplib::Stream {
 public:
  MemoryStream(const std::string& input, const std::string& address, int port)
      : input_(input), address_(address), port_(port) {}
  using httplib::Stream::write;
  bool is_readable() const override { return at_ < input_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, input_.size() - at_);
    std::copy_n(input_.data() + at_, n, ptr);
    at_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    output_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = address_;
    port = port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  std::string take_output() { return std::move(output_); }

 private:
  const std::string& input_;
  std::size_t at_ = 0;
  const std::string& address_;
  int port_;
  std::string output_;
};

}  // namespace

// cpp-httplib's router, fed complete requests by the front door (its own sockets are unused).
class CollectorServer::Router : public httplib::Server {
 public:
  // Routes one complete request (ParsedRequest::normalized()) from `address`:`port`; returns
  // the response bytes and sets `close` if the connection must close after them.
  std::string handle(const std::string& request, const std::string& address, int port, bool closing,
                     bool& close) {
    MemoryStream stream(request, address, port);
    bool connection_closed = false;
    process_request(stream, closing, connection_closed, nullptr);
    close = connection_closed;
    return stream.take_output();
  }
};

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

CollectorServer::CollectorServer(const ElectionView& election,
                                 std::unique_ptr<BallotChecker> checker, board::Board& board,
                                 crypto::Ed25519PrivateKey head_key, ServerOptions options)
    : CollectorServer(election, std::move(checker), board, std::move(head_key), std::move(options),
                      std::make_unique<BoardState>()) {}

CollectorServer::CollectorServer(const ElectionView& election,
                                 std::unique_ptr<BallotChecker> checker, board::Board& board,
                                 crypto::Ed25519PrivateKey head_key, ServerOptions options,
                                 std::unique_ptr<BoardState> followed)
    : election_(election),
      checker_(std::move(checker)),
      board_(board),
      options_(std::move(options)),
      owned_state_(std::move(followed)),
      state_(*owned_state_),
      ip_limiter_(options_.ip_rate_per_second, options_.ip_burst),
      voter_limiter_(options_.voter_rate_per_second, options_.voter_burst),
      challenge_limiter_(options_.challenge_rate_per_second, options_.challenge_burst),
      head_key_(std::move(head_key)) {
  if (options_.tls_cert_file.has_value() != options_.tls_key_file.has_value()) {
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  }
  if (!options_.tls_cert_file && !is_loopback_host(options_.host)) {
    throw std::invalid_argument("plain HTTP is allowed only on a loopback address, not \"" +
                                options_.host + "\"; give --tls-cert and --tls-key");
  }
  {
    const crypto::Bytes mine = head_key_.public_key();
    if (mine != election_.context->parties().collector_key) {
      throw std::invalid_argument("the tree-head key is not the collector_key context.json pins");
    }
  }
  if (board_.log_id() != election_.election_id()) {
    throw std::invalid_argument("the board's log id differs from the election id");
  }
  rebuild_board_state(board_, *checker_, state_);
  appender_ = std::make_unique<BatchAppender>(board_, state_, head_key_, options_.max_batch,
                                              options_.store_head_interval_ms);
  http_ = std::make_unique<Router>();
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_keep_alive_timeout(std::max(1, options_.idle_timeout_ms / 1000));
  http_->set_keep_alive_max_count(options_.keep_alive_max_requests);
  install_routes();

  FrontDoorOptions door;
  door.host = options_.host;
  door.port = options_.port;
  door.tls_cert_file = options_.tls_cert_file;
  door.tls_key_file = options_.tls_key_file;
  door.limits = {options_.max_header_bytes, options_.max_headers, options_.max_body_bytes};
  door.max_connections = options_.max_connections;
  door.max_connections_per_address = options_.max_connections_per_address;
  door.request_timeout_ms = options_.request_timeout_ms;
  door.idle_timeout_ms = options_.idle_timeout_ms;
  door.write_timeout_ms = options_.write_timeout_ms;
  door.max_pending_output_bytes = options_.max_pending_output_bytes;
  door.keep_alive_max_requests = options_.keep_alive_max_requests;
  door.workers =
      options_.threads
          ? options_.threads
          : std::max<std::size_t>(256, 32 * std::max(1u, std::thread::hardware_concurrency()));
  front_door_ = std::make_unique<FrontDoor>(
      std::move(door),
      [this](const std::string& request, const std::string& address, int port, bool closing,
             bool& close) { return http_->handle(request, address, port, closing, close); },
      [this](const std::string& reason) { metrics_.count_rejected("request", reason); });
}

CollectorServer::~CollectorServer() {
  stop();
}

int CollectorServer::bind() {
  port_ = front_door_->bind();
  return port_;
}

void CollectorServer::run() {
  if (options_.log_interval_seconds > 0) log_thread_ = std::thread([this] { log_loop(); });
  front_door_->run();
}

void CollectorServer::stop() {
  // A second caller (main after run() returns, or the destructor) waits until the first one
  // (e.g. the signal thread) has joined the log thread, so no joinable thread is destroyed.
  std::lock_guard stop_lock(stop_mutex_);
  if (stopped_.exchange(true)) return;
  if (front_door_) front_door_->stop();
  if (appender_) appender_->stop();
  log_wake_.notify_all();
  if (log_thread_.joinable()) log_thread_.join();
}

void CollectorServer::log_loop() {
  std::uint64_t last_size = board_.size(), last_batches = 0, last_ballots = state_.ballots();
  std::unique_lock lock(log_mutex_);
  while (!stopped_) {
    log_wake_.wait_for(lock, std::chrono::seconds(options_.log_interval_seconds));
    const std::uint64_t size = board_.size();
    const BatchStats stats = appender_->stats();
    const std::uint64_t ballots = state_.ballots();
    if (size == last_size && stats.batches == last_batches) continue;
    std::fprintf(stderr,
                 "collector: board %llu entries (+%llu), ballots %llu (+%llu), batches +%llu "
                 "(largest so far %llu), polls %s\n",
                 static_cast<unsigned long long>(size),
                 static_cast<unsigned long long>(size - last_size),
                 static_cast<unsigned long long>(ballots),
                 static_cast<unsigned long long>(ballots - last_ballots),
                 static_cast<unsigned long long>(stats.batches - last_batches),
                 static_cast<unsigned long long>(stats.largest_batch),
                 to_string(state_.poll_status()).c_str());
    last_size = size;
    last_batches = stats.batches;
    last_ballots = ballots;
  }
}

std::optional<Json> CollectorServer::receipt_of_copy(const std::string& kind,
                                                     const BallotFacts& facts) {
  const auto located = state_.find(facts.ballot_hash);
  if (!located || located->kind != kind) return std::nullopt;
  const auto head = state_.latest_head();
  if (!head || head->head.tree_size <= located->board_index) return std::nullopt;
  const auto entries = board_.entries(located->board_index, located->board_index + 1);
  if (entries.size() != 1 || entries[0].payload != facts.payload) return std::nullopt;
  return board::receipt_to_json(
      board::Receipt{kind, located->board_index, located->timestamp_ms, located->ballot_hash,
                     located->tracking_code,
                     board_.inclusion_proof(located->board_index, head->head.tree_size), *head});
}

namespace {

// Wraps a route handler: a Rejection becomes its JSON error; anything else is a 500 that says
// nothing about internals.
template <typename Handler>
auto guarded(Handler handler) {
  return [handler](const Request& req, Response& res) {
    try {
      handler(req, res);
    } catch (const Rejection& r) {
      send_error(res, r);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "collector: internal error on %s %s: %s\n", req.method.c_str(),
                   req.path.c_str(), e.what());
      send_error(res, Rejection(500, "internal", "internal error"));
    }
  };
}

}  // namespace

void CollectorServer::install_routes() {
  install_address_limit();
  install_error_responses();
  install_monitoring_routes();
  install_election_routes();
  install_submission_routes();
  install_ballot_lookup_routes();
  install_cast_check_route();
  install_results_route();
  install_web_app_route();
  install_board_routes();
  install_officials_routes();
}

void CollectorServer::install_address_limit() {
  // Per-address limit before any routing or parsing: the cheapest refusal comes first.
  http_->set_pre_routing_handler([this](const Request& req, Response& res) {
    if (ip_limiter_.allow(req.remote_addr)) return httplib::Server::HandlerResponse::Unhandled;
    metrics_.count_rejected("request", "rate-limited");
    send_error(res,
               Rejection(429, "rate-limited", "too many requests from this address; retry later"));
    res.set_header("Retry-After", "1");
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
}

void CollectorServer::install_error_responses() {
  // cpp-httplib answers some errors itself (413 body too large, 404 unknown route) with an
  // empty body: give them the API's JSON error form.
  http_->set_error_handler(
      httplib::Server::HandlerWithResponse([this](const Request& req, Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 413) {
          // The front door refuses oversized bodies first; this is defence in depth.
          res.set_header("Connection", "close");
          const std::string kind = req.path == "/api/challenges" ? "challenge" : "ballot";
          metrics_.count_rejected(kind, "payload-too-large");
          send_error(res, Rejection(413, "payload-too-large",
                                    "request body: larger than the limit of " +
                                        std::to_string(options_.max_body_bytes) + " bytes"));
        } else if (res.status == 404) {
          send_error(
              res, Rejection(404, "not-found", "no such endpoint: " + req.method + " " + req.path));
        } else {
          send_error(
              res, Rejection(res.status, "http-error", "HTTP error " + std::to_string(res.status)));
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
}

void CollectorServer::install_monitoring_routes() {
  http_->Get("/healthz", guarded([this](const Request&, Response& res) {
               send_json(res, 200,
                         {{"status", "ok"},
                          {"board_size", board_.size()},
                          {"polls", to_string(state_.poll_status())}});
             }));

  http_->Get(
      "/metrics", guarded([this](const Request&, Response& res) {
        const BatchStats stats = appender_->stats();
        const std::map<std::string, double> gauges = {
            {"haal_collector_board_entries", static_cast<double>(board_.size())},
            {"haal_collector_commit_batches", static_cast<double>(stats.batches)},
            {"haal_collector_largest_batch", static_cast<double>(stats.largest_batch)},
            {"haal_collector_polls_open", state_.poll_status() == PollStatus::open ? 1.0 : 0.0}};
        res.status = 200;
        res.set_content(metrics_.render(gauges), "text/plain; version=0.0.4");
      }));
}

void CollectorServer::install_election_routes() {
  http_->Get("/api/election", guarded([this](const Request&, Response& res) {
               send_json(res, 200,
                         {{"election_id", election_.election_id()},
                          {"group", election_.context->group().name()},
                          {"public_key",
                           election_.context->group().to_hex(election_.context->public_key())},
                          {"manifest", election::manifest_to_json(election_.context->manifest())},
                          {"context", election_.context->to_json()},
                          {"context_hash", crypto::to_hex(election_.context->hash())},
                          {"roll_hash", crypto::to_hex(election_.roll_hash)},
                          {"voters", election_.roll->size()},
                          {"voting_window", window_json(election_)},
                          {"polls", to_string(state_.poll_status())},
                          {"collector_public_key", crypto::to_hex(board_.public_key())},
                          {"cast_check",
                           {{"lookups", options_.check_lookups},
                            {"window_seconds", options_.check_window_seconds}}}});
             }));

  // The voter roll the collector admits ballots by, as canonical JSON: its SHA-256 is the
  // roll_hash of /api/election (docs/api.md). Serialized once, on the first request.
  http_->Get("/api/roll", guarded([this](const Request&, Response& res) {
               std::call_once(roll_body_once_, [this] {
                 const crypto::Bytes bytes =
                     crypto::canonical_json_bytes(election_.roll->to_json());
                 roll_body_.assign(bytes.begin(), bytes.end());
               });
               res.status = 200;
               res.set_content(roll_body_, kJson);
             }));
}

void CollectorServer::install_submission_routes() {
  http_->Post("/api/ballots",
              [this](const Request& req, Response& res) { handle_submission(req, res, false); });
  http_->Post("/api/challenges",
              [this](const Request& req, Response& res) { handle_submission(req, res, true); });
}

std::optional<Rejection> CollectorServer::voting_closed(std::uint64_t now) const {
  const PollStatus polls = state_.poll_status();
  if (!election_.window.contains(now)) {
    return Rejection(403, "outside-voting-window",
                     "the manifest's voting window [" + election_.context->manifest().opens + ", " +
                         election_.context->manifest().closes +
                         ") does not contain the collector's time " + std::to_string(now));
  }
  if (polls == PollStatus::not_opened) {
    return Rejection(403, "polls-not-open", "the officials have not opened the polls yet");
  }
  if (polls == PollStatus::closed) {
    return Rejection(403, "polls-closed", "the officials have closed the polls");
  }
  return std::nullopt;
}

BallotFacts CollectorServer::admit_submission(const Request& req, const Json& body,
                                              bool challenge) {
  const std::optional<Rejection> closed = voting_closed(unix_time_ms());
  BallotFacts facts;
  try {
    facts = challenge ? checker_->check_challenge(body) : checker_->check_ballot(body);
  } catch (const Rejection& r) {
    // Shape and election come before the window in the documented order; the rest after.
    if (closed && !precedes_window_check(r.code())) throw *closed;
    throw;
  }
  if (closed) throw *closed;
  // A ballot is charged to its voter only once the credential's signature verified: nobody
  // can spend another voter's budget. An anonymous challenge is charged to its address.
  if (!challenge && !voter_limiter_.allow(facts.voter_id)) {
    throw Rejection(429, "rate-limited",
                    "voter \"" + facts.voter_id + "\": too many submissions; retry later");
  }
  if (challenge && !challenge_limiter_.allow(req.remote_addr)) {
    throw Rejection(429, "rate-limited", "too many challenges from this address; retry later");
  }
  return facts;
}

void CollectorServer::handle_submission(const Request& req, Response& res, bool challenge) {
  const auto start = std::chrono::steady_clock::now();
  const std::string kind(challenge ? board::kKindChallenge : board::kKindBallot);
  try {
    if (req.body.size() > options_.max_body_bytes) {
      throw Rejection(413, "payload-too-large",
                      "request body: larger than the limit of " +
                          std::to_string(options_.max_body_bytes) + " bytes");
    }
    const BallotFacts facts = admit_submission(req, parse_body(req, kind), challenge);
    // Idempotent re-send (a client that lost the answer): the very same submission already
    // on the board gets its receipt again; anything else reusing its ciphertexts is a replay.
    std::optional<Json> again = receipt_of_copy(kind, facts);
    for (std::size_t i = 0; !again && i < facts.ciphertext_fingerprints.size(); ++i) {
      if (state_.fingerprint_used(facts.ciphertext_fingerprints[i])) {
        throw Rejection(409, "replay",
                        "ciphertexts[" + std::to_string(i) +
                            "] is already on the board (a ballot is cast or challenged once)");
      }
    }
    if (!again) {
      try {
        const Committed c = appender_->submit(Submission{kind, facts.payload, facts, {}}).get();
        metrics_.count_accepted(kind);
        send_json(res, 200, receipt_json(kind, facts, c));
      } catch (const Rejection& r) {
        // A copy committed by an earlier batch while this one was being checked.
        if (r.code() != "replay" || !(again = receipt_of_copy(kind, facts))) throw;
      }
    }
    if (again) send_json(res, 200, *again);
  } catch (const Rejection& r) {
    metrics_.count_rejected(kind, r.code());
    send_error(res, r);
  } catch (const std::exception& e) {
    metrics_.count_rejected(kind, "internal");
    std::fprintf(stderr, "collector: internal error on %s: %s\n", req.path.c_str(), e.what());
    send_error(res, Rejection(500, "internal", "internal error"));
  }
  metrics_.observe_latency(
      kind, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// The entry of a ballot hash or tracking code, covered by the latest signed head.
std::pair<LocatedBallot, board::SignedTreeHead> CollectorServer::locate_ballot(
    const std::string& key) const {
  auto located = state_.find(key);
  if (!located) {  // tracking codes are shown in capitals; accept what the voter typed
    std::string upper = key;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    located = state_.find(upper);
  }
  if (!located) {
    throw Rejection(404, "not-found", "no ballot with hash or tracking code \"" + key + "\"");
  }
  const auto head = state_.latest_head();
  if (!head || head->head.tree_size <= located->board_index) {
    throw Rejection(503, "not-yet-signed", "the ballot is not yet covered by a signed head");
  }
  return std::pair{*located, *head};
}

std::string CollectorServer::ballot_status(const LocatedBallot& located) const {
  if (located.kind != board::kKindBallot) return "challenged";
  return state_.latest_ballot_of(located.voter_id) == located.board_index ? "cast" : "superseded";
}

Json CollectorServer::receipt_under(const LocatedBallot& located,
                                    const board::SignedTreeHead& head) const {
  return board::receipt_to_json(
      board::Receipt{located.kind, located.board_index, located.timestamp_ms, located.ballot_hash,
                     located.tracking_code,
                     board_.inclusion_proof(located.board_index, head.head.tree_size), head});
}

void CollectorServer::install_ballot_lookup_routes() {
  http_->Get(
      R"(/api/ballots/([A-Za-z0-9-]{1,128}))", guarded([this](const Request& req, Response& res) {
        const auto [located, head] = locate_ballot(req.matches[1]);
        send_json(res, 200,
                  {{"status", ballot_status(located)}, {"receipt", receipt_under(located, head)}});
      }));
}

void CollectorServer::install_cast_check_route() {
  // The cast-ballot check on a second device (docs/ballots.md section 12): the ballot itself,
  // for a device that proves it holds the check key, a bounded number of times within a bounded
  // window. The proof comes first, so reading a tracking code off the board spends nothing.
  http_->Post(
      R"(/api/ballots/([A-Za-z0-9-]{1,128})/check)",
      guarded([this](const Request& req, Response& res) {
        const Json request = parse_body(req, "check request");
        const auto [located, head] = locate_ballot(req.matches[1]);
        if (located.kind != board::kKindBallot) {
          throw Rejection(409, "not-cast",
                          "this tracking code belongs to a challenged ballot, which is never "
                          "counted; its opening is on the board");
        }
        const auto entries = board_.entries(located.board_index, located.board_index + 1);
        if (entries.size() != 1) throw std::runtime_error("board entry missing");
        const Json ballot = Json::parse(entries[0].payload.begin(), entries[0].payload.end());
        if (!election::check_request_valid_var(*election_.context, located.tracking_code, ballot,
                                               request)) {
          throw Rejection(401, "bad-check-proof",
                          "the request does not prove knowledge of this ballot's check key");
        }
        const std::uint64_t now = unix_time_ms();
        if (now > located.timestamp_ms + options_.check_window_seconds * 1000) {
          throw Rejection(403, "check-window-over",
                          "a cast ballot can be checked only within " +
                              std::to_string(options_.check_window_seconds / 60) +
                              " minutes of casting");
        }
        spend_cast_check(located.board_index);
        send_json(res, 200,
                  {{"status", ballot_status(located)},
                   {"ballot", ballot},
                   {"receipt", receipt_under(located, head)}});
      }));
}

void CollectorServer::spend_cast_check(std::uint64_t board_index) {
  // Counted in the board's store, durably before the answer: a restart or a failover to a
  // standby on the same store keeps the count.
  if (!board_.spend_cast_check(board_index, options_.check_lookups)) {
    const std::uint64_t limit = options_.check_lookups;
    throw Rejection(
        429, "check-limit",
        limit == 1 ? std::string("this ballot has already been checked once")
                   : "this ballot has already been checked " + std::to_string(limit) + " times");
  }
}

void CollectorServer::install_results_route() {
  // The published results (docs/web.md): 404 "no-results" until the file exists.
  http_->Get("/api/results", guarded([this](const Request&, Response& res) {
               if (!options_.results_file) {
                 throw Rejection(404, "no-results", "this collector serves no results (--results)");
               }
               std::optional<Json> results;
               try {
                 results = read_results_file(*options_.results_file, election_.election_id());
               } catch (const std::exception& e) {
                 std::fprintf(stderr, "collector: %s\n", e.what());
                 throw Rejection(503, "results-invalid", e.what());
               }
               if (!results) throw Rejection(404, "no-results", "no results published yet");
               send_json(res, 200, *results);
             }));
}

void CollectorServer::install_web_app_route() {
  // The voter web app: its files from memory, "/" is index.html. The policy keeps every
  // request of the page on this origin.
  if (!options_.web_app) return;
  http_->Get(R"(/([A-Za-z0-9_-][A-Za-z0-9._-]*)?)", [this](const Request& req, Response& res) {
    const std::string name = req.matches[1].length() ? std::string(req.matches[1]) : "index.html";
    const auto it = options_.web_app->files.find(name);
    if (it == options_.web_app->files.end()) {
      send_error(res, Rejection(404, "not-found", "no such file: " + req.path));
      return;
    }
    res.status = 200;
    res.set_header("Content-Security-Policy", kWebContentSecurityPolicy);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-cache");
    res.set_content(it->second.content, it->second.content_type.c_str());
  });
}

void CollectorServer::install_board_routes() {
  http_->Get("/api/board/head", guarded([this](const Request&, Response& res) {
               const auto head = state_.latest_head();
               if (!head) throw Rejection(503, "not-yet-signed", "no signed head yet");
               send_json(res, 200,
                         {{"signed_tree_head", board::signed_tree_head_to_json(*head)},
                          {"collector_public_key", crypto::to_hex(board_.public_key())},
                          {"final", state_.poll_status() == PollStatus::closed}});
             }));

  http_->Get(
      "/api/board/entries", guarded([this](const Request& req, Response& res) {
        const std::uint64_t from = query_uint(req, "from");
        const std::uint64_t to = query_uint(req, "to");
        const std::uint64_t size = board_.size();
        if (from > to || to > size) {
          throw Rejection(400, "bad-range",
                          "entries [" + std::to_string(from) + ", " + std::to_string(to) +
                              ") are not within the board of " + std::to_string(size) + " entries");
        }
        if (to - from > options_.max_entries_per_page) {
          throw Rejection(
              400, "bad-range",
              "at most " + std::to_string(options_.max_entries_per_page) + " entries per request");
        }
        Json entries = Json::array();
        for (const auto& e : board_.entries(from, to)) entries.push_back(board::entry_to_json(e));
        send_json(res, 200, {{"from", from}, {"to", to}, {"entries", entries}});
      }));

  http_->Get("/api/board/consistency", guarded([this](const Request& req, Response& res) {
               const std::uint64_t old_size = query_uint(req, "old");
               const std::uint64_t new_size = query_uint(req, "new");
               const std::uint64_t size = board_.size();
               if (old_size > new_size || new_size > size) {
                 throw Rejection(400, "bad-range",
                                 "need old <= new <= " + std::to_string(size) + ", got old=" +
                                     std::to_string(old_size) + " new=" + std::to_string(new_size));
               }
               send_json(
                   res, 200,
                   {{"consistency_proof", board::consistency_proof_to_json(
                                              board_.consistency_proof(old_size, new_size))}});
             }));
}

std::pair<Json, OfficialsRequest> CollectorServer::admit_officials_request(
    const Request& req, const std::string& route) {
  if (req.body.size() > options_.max_body_bytes) {
    throw Rejection(413, "payload-too-large", "request body too large");
  }
  const Json body = parse_body(req, route);
  const OfficialsRequest r = check_officials_request(
      body, election_.context->parties().officials_key, election_.election_id(), unix_time_ms());
  // Single use whatever the outcome: the nonce is recorded durably before anything else is
  // checked or done, so a request refused now (e.g. close-polls before the polls opened)
  // cannot be replayed later, when it would succeed.
  bool fresh = false;
  try {
    fresh = !state_.nonce_used(r.nonce) && board_.record_nonce(r.nonce);
  } catch (const board::StoreError& e) {
    std::fprintf(stderr, "collector: recording an officials' nonce failed: %s\n", e.what());
    throw Rejection(503, "store-unavailable", "the request could not be recorded; retry");
  }
  if (!fresh) {
    throw Rejection(409, "nonce-reused", "officials_request.request.nonce: already used");
  }
  return std::make_pair(body, r);
}

void CollectorServer::install_officials_routes() {
  http_->Post("/api/officials/polls", guarded([this](const Request& req, Response& res) {
                handle_polls_request(req, res);
              }));

  http_->Post("/api/officials/export", guarded([this](const Request& req, Response& res) {
                const auto [body, r] = admit_officials_request(req, "officials/export");
                if (r.action != kActionExport) {
                  throw Rejection(
                      400, "wrong-action",
                      "officials_request.request.action: \"" + r.action + "\" is not export");
                }
                const auto head = state_.latest_head();
                if (!head) throw Rejection(503, "not-yet-signed", "no signed head yet");
                send_json(res, 200,
                          {{"election_id", election_.election_id()},
                           {"final", state_.poll_status() == PollStatus::closed},
                           {"polls", to_string(state_.poll_status())},
                           {"ballots", state_.ballots()},
                           {"challenges", state_.challenges()},
                           {"collector_public_key", crypto::to_hex(board_.public_key())},
                           {"signed_tree_head", board::signed_tree_head_to_json(*head)}});
              }));
}

void CollectorServer::handle_polls_request(const Request& req, Response& res) {
  const auto [body, r] = admit_officials_request(req, "officials/polls");
  if (r.action != kActionOpenPolls && r.action != kActionClosePolls) {
    throw Rejection(
        400, "wrong-action",
        "officials_request.request.action: \"" + r.action + "\" is not open-polls or close-polls");
  }
  // The roll the officials signed must be the one this collector admits ballots by.
  if (r.roll_hash && *r.roll_hash != crypto::to_hex(election_.roll_hash)) {
    throw Rejection(409, "roll-mismatch",
                    "officials_request.request.roll_hash: the officials signed roll " +
                        *r.roll_hash + ", but this collector serves roll " +
                        crypto::to_hex(election_.roll_hash));
  }
  const std::string kind(r.action == kActionOpenPolls ? board::kKindPollOpen
                                                      : board::kKindPollClose);
  try {
    const Committed c =
        appender_
            ->submit(Submission{kind, crypto::canonical_json_bytes(body), std::nullopt, r.nonce})
            .get();
    metrics_.count_accepted(kind);
    std::fprintf(stderr, "collector: officials: %s at board index %llu\n", r.action.c_str(),
                 static_cast<unsigned long long>(c.board_index));
    send_json(res, 200,
              {{"action", r.action},
               {"board_index", c.board_index},
               {"timestamp_ms", c.timestamp_ms},
               {"polls", to_string(state_.poll_status())},
               {"inclusion_proof", board::inclusion_proof_to_json(c.inclusion_proof)},
               {"signed_tree_head", board::signed_tree_head_to_json(c.signed_tree_head)}});
  } catch (const Rejection& rej) {
    metrics_.count_rejected(kind, rej.code());
    throw;
  }
}

}  // namespace haal::collector
