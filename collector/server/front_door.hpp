// The collector's front door: accepts connections, terminates TLS and reads each request in ONE
// event-loop thread (epoll, non-blocking sockets), and hands only complete, well-framed requests
// to a pool of workers. A slow or idle connection therefore never holds a worker: it costs a
// file descriptor and at most one request's buffer, and is closed at its deadline. Enforced
// here, before any handler runs (docs/api.md section 9): open connections per source address
// and in total (checked at accept), one deadline for the whole request (TLS handshake, head and
// body, not per read), header count and bytes, the body limit whatever the framing, strict
// framing and the JSON Content-Type of POSTs (http_request_reader.hpp). Responses are written
// by the event loop too, under a write deadline.
//
// cpp-httplib (0.11) serves each connection on one pool thread with per-read timeouts, so it
// cannot give these guarantees by configuration; it is kept for routing only (server.cpp).
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "collector/server/http_request_reader.hpp"
#include "crypto/openssl_handles.hpp"

namespace httplib {
class ThreadPool;
}

namespace haal::collector {

struct FrontDoorOptions {
  std::string host = "127.0.0.1";
  int port = 0;                              // 0: any free port
  std::optional<std::string> tls_cert_file;  // PEM; both or neither
  std::optional<std::string> tls_key_file;
  RequestLimits limits;
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 64;  // 0: no per-address cap
  int request_timeout_ms = 10'000;  // from accept (or a request's first byte) to its last byte
  int idle_timeout_ms = 5'000;      // keep-alive: from a response to the next request's first byte
  int write_timeout_ms = 10'000;    // writing one whole response
  std::size_t max_pending_output_bytes = 256u << 20;  // responses not yet sent, in total
  std::size_t keep_alive_max_requests = 100'000;
  std::size_t workers = 256;
};

// Runs on a worker thread: takes a complete request in normalized form
// (ParsedRequest::normalized()), the client's address and port, and whether the connection
// closes after this request; returns the complete HTTP response and sets `close` if the
// connection must close after it.
using RequestHandler =
    std::function<std::string(const std::string& request, const std::string& remote_address,
                              int remote_port, bool closing, bool& close)>;
// Called (on the event-loop thread) for every refused connection or request, with the reason
// (an error code of docs/api.md section 9).
using RefusalObserver = std::function<void(const std::string& reason)>;

class FrontDoor {
 public:
  // Loads the TLS certificate and key if given. Throws std::invalid_argument if only one of
  // them is given or they cannot be loaded.
  FrontDoor(FrontDoorOptions options, RequestHandler handler, RefusalObserver on_refusal);
  ~FrontDoor();
  FrontDoor(const FrontDoor&) = delete;
  FrontDoor& operator=(const FrontDoor&) = delete;

  // Binds and listens (backlog 4096); returns the port. Throws std::runtime_error on failure.
  int bind();
  // Serves on the calling thread until stop(); then finishes the requests being handled (for
  // at most 5 s), closes every connection and joins the workers. Call after bind().
  void run();
  // Makes run() return. Safe from any thread.
  void stop();

 private:
  struct Connection;
  using Clock = std::chrono::steady_clock;
  struct Finished {
    std::uint64_t id;
    std::string response;
    bool close;
  };

  void accept_all();
  void open_connection(int fd, std::string address, int port);
  bool evict_one();
  void on_event(Connection& c, std::uint32_t events);
  void handshake(Connection& c);
  void on_readable(Connection& c);
  void on_writable(Connection& c);
  void linger(Connection& c);
  void dispatch(Connection& c);
  void finish(Finished& done);
  void refuse(Connection& c, const RequestError& error);
  void start_writing(Connection& c, std::string bytes, bool close_after);
  void begin_close(Connection& c);
  void close_connection(std::uint64_t id);
  void watch(Connection& c, std::uint32_t events);
  void unwatch(Connection& c);
  void sweep(Clock::time_point now);
  // Returns > 0 bytes read, 0 at end of stream or on an error, -1 if it would block (and
  // sets what to wait for).
  long read_some(Connection& c, char* buffer, std::size_t size);
  long write_some(Connection& c, const char* data, std::size_t size);
  // Maps the result `r` of SSL_read / SSL_write like read_some.
  long tls_result(Connection& c, int r);

  FrontDoorOptions options_;
  RequestHandler handler_;
  RefusalObserver on_refusal_;
  std::unique_ptr<SSL_CTX, crypto::OpenSslDeleter<SSL_CTX, SSL_CTX_free>> tls_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  bool listening_ = false;  // the listening socket is in the epoll set
  Clock::time_point accept_paused_until_{};
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
  std::unordered_map<std::string, std::size_t> per_address_;
  std::size_t pending_output_ = 0;  // bytes of the responses held by connections
  std::unique_ptr<httplib::ThreadPool> workers_;
  std::mutex finished_mutex_;
  std::vector<Finished> finished_;
  std::atomic<bool> stopping_{false};
};

}  // namespace haal::collector
