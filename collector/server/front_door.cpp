#include "collector/server/front_door.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace haal::collector {

namespace {

constexpr std::uint64_t kListenKey = 0;
constexpr std::uint64_t kWakeKey = UINT64_MAX;
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kLingerBytes = 1 << 20;  // discarded after an error answer, at most
constexpr int kLingerMs = 1000;
constexpr int kTickMs = 100;  // deadline granularity
constexpr int kStopGraceMs = 5000;

// Returns the numeric address of `sa` (IPv4-mapped IPv6 addresses as IPv4) and its port.
std::pair<std::string, int> numeric_address(const sockaddr_storage& sa) {
  char text[INET6_ADDRSTRLEN] = {};
  if (sa.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&sa);
    inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    return {text, ntohs(in->sin_port)};
  }
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&sa);
  if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
    inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], text, sizeof text);
  } else {
    inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
  }
  return {text, ntohs(in6->sin6_port)};
}

std::string openssl_errors() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    if (!out.empty()) out += "; ";
    out += text;
  }
  return out.empty() ? "unknown error" : out;
}

// True iff the head of HTTP response `response` has "Connection: close".
bool response_closes(const std::string& response) {
  const auto end = response.find("\r\n\r\n");
  std::string head = response.substr(0, end);
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return (head + "\r\n").find("\r\nconnection: close\r\n") != std::string::npos;
}

}  // namespace

struct FrontDoor::Connection {
  enum class Phase { handshake, reading, working, writing, lingering };

  Connection(std::uint64_t id_, int fd_, std::string address_, int port_, RequestLimits limits)
      : id(id_), fd(fd_), address(std::move(address_)), port(port_), reader(limits) {}

  std::uint64_t id;
  int fd;
  std::string address;
  int port;
  std::unique_ptr<SSL, crypto::OpenSslDeleter<SSL, SSL_free>> ssl;
  Phase phase = Phase::reading;
  RequestReader reader;
  std::string in;   // received, not yet consumed by the reader
  std::string out;  // the response being written
  std::size_t sent = 0;
  bool close_after_write = false;
  bool idle = false;  // after a response: the deadline is the keep-alive wait, not a request's
  std::size_t served = 0;
  std::size_t lingered = 0;
  std::uint32_t events = 0;
  bool registered = false;
  Clock::time_point since;
  Clock::time_point deadline;
};

FrontDoor::FrontDoor(FrontDoorOptions options, RequestHandler handler, RefusalObserver on_refusal)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      on_refusal_(std::move(on_refusal)) {
  if (options_.tls_cert_file.has_value() != options_.tls_key_file.has_value()) {
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  }
  if (options_.tls_cert_file) {
    tls_.reset(SSL_CTX_new(TLS_server_method()));
    if (!tls_ || SSL_CTX_set_min_proto_version(tls_.get(), TLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate_chain_file(tls_.get(), options_.tls_cert_file->c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(tls_.get(), options_.tls_key_file->c_str(), SSL_FILETYPE_PEM) !=
            1 ||
        SSL_CTX_check_private_key(tls_.get()) != 1) {
      throw std::invalid_argument("cannot load the TLS certificate or key (" +
                                  *options_.tls_cert_file + ", " + *options_.tls_key_file +
                                  "): " + openssl_errors());
    }
    SSL_CTX_set_mode(tls_.get(),
                     SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }
  options_.workers = std::max<std::size_t>(1, options_.workers);
  options_.max_connections = std::max<std::size_t>(1, options_.max_connections);
}

FrontDoor::~FrontDoor() {
  connections_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

int FrontDoor::bind() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(options_.port);
  if (getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found) != 0 || !found) {
    throw std::runtime_error("cannot resolve " + options_.host);
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  const int fd =
      socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, found->ai_protocol);
  const int yes = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
      ::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 4096) != 0) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot listen on " + options_.host + ":" + port + ": " + reason);
  }
  listen_fd_ = fd;
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("epoll/eventfd failed");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeKey;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  ev.data.u64 = kListenKey;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
  listening_ = true;
  return numeric_address(bound).second;
}

void FrontDoor::stop() {
  stopping_ = true;
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
  }
}

void FrontDoor::run() {
  workers_ = std::make_unique<httplib::ThreadPool>(options_.workers);
  std::vector<epoll_event> events(512);
  Clock::time_point next_sweep = Clock::now();
  std::optional<Clock::time_point> stop_deadline;
  while (true) {
    const int n = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), kTickMs);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t key = events[i].data.u64;
      if (key == kListenKey) {
        if (!stopping_) accept_all();
      } else if (key == kWakeKey) {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto r = ::read(wake_fd_, &count, sizeof count);
      } else if (const auto it = connections_.find(key); it != connections_.end()) {
        on_event(*it->second, events[i].events);
      }
    }
    std::vector<Finished> finished;
    {
      std::lock_guard lock(finished_mutex_);
      finished.swap(finished_);
    }
    for (auto& done : finished) finish(done);
    const auto now = Clock::now();
    if (now >= next_sweep) {
      sweep(now);
      next_sweep = now + std::chrono::milliseconds(kTickMs);
    }
    if (stopping_) {
      if (!stop_deadline) {
        stop_deadline = now + std::chrono::milliseconds(kStopGraceMs);
        if (listening_) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        listening_ = false;
        ::close(listen_fd_);
        listen_fd_ = -1;
      }
      std::vector<std::uint64_t> idle;
      bool busy = false;
      for (const auto& [id, c] : connections_) {
        if (c->phase == Connection::Phase::working || c->phase == Connection::Phase::writing) {
          busy = true;
        } else {
          idle.push_back(id);
        }
      }
      for (const auto id : idle) close_connection(id);
      if (!busy || now >= *stop_deadline) break;
    }
  }
  std::vector<std::uint64_t> all;
  for (const auto& [id, c] : connections_) all.push_back(id);
  for (const auto id : all) close_connection(id);
  workers_->shutdown();
}

void FrontDoor::accept_all() {
  while (true) {
    sockaddr_storage sa{};
    socklen_t length = sizeof sa;
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&sa), &length,
                           SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if ((errno == EMFILE || errno == ENFILE) && !evict_one()) {
        // Out of descriptors and nothing to evict: stop accepting for a tick.
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
        listening_ = false;
        accept_paused_until_ = Clock::now() + std::chrono::milliseconds(kTickMs);
        if (on_refusal_) on_refusal_("too-many-connections");
      }
      return;
    }
    auto [address, port] = numeric_address(sa);
    const auto known = per_address_.find(address);
    if (options_.max_connections_per_address > 0 && known != per_address_.end() &&
        known->second >= options_.max_connections_per_address) {
      ::close(fd);
      if (on_refusal_) on_refusal_("too-many-connections-from-address");
      continue;
    }
    if (connections_.size() >= options_.max_connections && !evict_one()) {
      ::close(fd);
      if (on_refusal_) on_refusal_("too-many-connections");
      continue;
    }
    ++per_address_[address];
    open_connection(fd, std::move(address), port);
  }
}

void FrontDoor::open_connection(int fd, std::string address, int port) {
  const int yes = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  const std::uint64_t id = next_id_++;
  auto c = std::make_unique<Connection>(id, fd, std::move(address), port, options_.limits);
  c->since = Clock::now();
  c->deadline = c->since + std::chrono::milliseconds(options_.request_timeout_ms);
  Connection& ref = *c;
  connections_.emplace(id, std::move(c));
  if (tls_) {
    ref.ssl.reset(SSL_new(tls_.get()));
    if (!ref.ssl || SSL_set_fd(ref.ssl.get(), fd) != 1) {
      ERR_clear_error();
      close_connection(id);
      return;
    }
    SSL_set_accept_state(ref.ssl.get());
    ref.phase = Connection::Phase::handshake;
    watch(ref, EPOLLIN);
    return;
  }
  watch(ref, EPOLLIN);
}

// Closes the connection that has waited longest without a request in progress (else the
// oldest one still reading its request) to make room for a new one. Returns false if every
// connection is being served.
bool FrontDoor::evict_one() {
  Connection* best = nullptr;
  auto rank = [](const Connection& c) {
    if (c.phase == Connection::Phase::lingering) return 0;
    if (c.phase == Connection::Phase::handshake ||
        (c.phase == Connection::Phase::reading && !c.reader.started()))
      return 1;
    if (c.phase == Connection::Phase::reading) return 2;
    return 3;
  };
  for (auto& [id, c] : connections_) {
    const int r = rank(*c);
    if (r == 3) continue;
    if (!best || r < rank(*best) || (r == rank(*best) && c->since < best->since)) best = c.get();
  }
  if (!best) return false;
  if (on_refusal_) on_refusal_("evicted");
  close_connection(best->id);
  return true;
}

void FrontDoor::watch(Connection& c, std::uint32_t events) {
  if (c.registered && c.events == events) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = c.id;
  epoll_ctl(epoll_fd_, c.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd, &ev);
  c.registered = true;
  c.events = events;
}

void FrontDoor::unwatch(Connection& c) {
  if (!c.registered) return;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  c.registered = false;
  c.events = 0;
}

void FrontDoor::on_event(Connection& c, std::uint32_t events) {
  switch (c.phase) {
    case Connection::Phase::handshake:
      return handshake(c);
    case Connection::Phase::reading:
      return on_readable(c);
    case Connection::Phase::writing:
      return on_writable(c);
    case Connection::Phase::lingering:
      return linger(c);
    case Connection::Phase::working:
      (void)events;
      return;
  }
}

void FrontDoor::handshake(Connection& c) {
  const int r = SSL_do_handshake(c.ssl.get());
  if (r == 1) {
    c.phase = Connection::Phase::reading;
    return on_readable(c);
  }
  const int e = SSL_get_error(c.ssl.get(), r);
  if (e == SSL_ERROR_WANT_READ) return watch(c, EPOLLIN);
  if (e == SSL_ERROR_WANT_WRITE) return watch(c, EPOLLOUT);
  ERR_clear_error();
  close_connection(c.id);
}

long FrontDoor::tls_result(Connection& c, int r) {
  if (r > 0) return r;
  const int e = SSL_get_error(c.ssl.get(), r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
    watch(c, e == SSL_ERROR_WANT_READ ? EPOLLIN : EPOLLOUT);
    return -1;
  }
  ERR_clear_error();
  return 0;
}

long FrontDoor::read_some(Connection& c, char* buffer, std::size_t size) {
  if (c.ssl) return tls_result(c, SSL_read(c.ssl.get(), buffer, static_cast<int>(size)));
  while (true) {
    const ssize_t r = ::recv(c.fd, buffer, size, 0);
    if (r > 0) return static_cast<long>(r);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      watch(c, EPOLLIN);
      return -1;
    }
    return 0;
  }
}

long FrontDoor::write_some(Connection& c, const char* data, std::size_t size) {
  if (c.ssl) {
    return tls_result(
        c, SSL_write(c.ssl.get(), data, static_cast<int>(std::min<std::size_t>(size, 1 << 20))));
  }
  while (true) {
    const ssize_t r = ::send(c.fd, data, size, MSG_NOSIGNAL);
    if (r >= 0) return static_cast<long>(r);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      watch(c, EPOLLOUT);
      return -1;
    }
    return 0;
  }
}

void FrontDoor::on_readable(Connection& c) {
  char buffer[kReadChunk];
  while (true) {
    const auto state = c.reader.feed(c.in);
    if (state == RequestReader::State::failed) return refuse(c, c.reader.error());
    if (state == RequestReader::State::complete) return dispatch(c);
    if (state == RequestReader::State::head_complete) {
      if (c.reader.expects_continue()) {
        // RFC 9110 10.1.1: the client waits for this before sending the body. It is tiny and
        // the socket's send buffer is empty here, so it goes out in one write or not at all.
        static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (write_some(c, kContinue, sizeof kContinue - 1) != sizeof kContinue - 1) {
          return close_connection(c.id);
        }
      }
      continue;  // the body's first bytes may be buffered already
    }
    if (c.idle && c.reader.started()) {
      // The first byte of a request after an idle keep-alive wait: its own deadline starts.
      c.idle = false;
      c.deadline = Clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    }
    const long n = read_some(c, buffer, sizeof buffer);
    if (n < 0) return;
    if (n == 0) return close_connection(c.id);
    c.in.append(buffer, static_cast<std::size_t>(n));
  }
}

void FrontDoor::dispatch(Connection& c) {
  unwatch(c);
  c.phase = Connection::Phase::working;
  ++c.served;
  const bool closing =
      !c.reader.request().keep_alive || c.served >= options_.keep_alive_max_requests;
  std::string request = c.reader.request().normalized();
  c.reader.reset();
  workers_->enqueue(
      [this, id = c.id, request = std::move(request), address = c.address, port = c.port, closing] {
        Finished done{id, {}, closing};
        try {
          bool close = false;
          done.response = handler_(request, address, port, closing, close);
          done.close = close || closing || response_closes(done.response);
          if (done.response.empty()) throw std::logic_error("the router wrote no response");
        } catch (...) {
          done.response = error_response({500, "internal", "internal error"});
          done.close = true;
        }
        {
          std::lock_guard lock(finished_mutex_);
          finished_.push_back(std::move(done));
        }
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
      });
}

void FrontDoor::finish(Finished& done) {
  const auto it = connections_.find(done.id);
  if (it == connections_.end()) return;
  start_writing(*it->second, std::move(done.response), done.close);
  // Responses held for clients that do not read them (a board page is megabytes): beyond the
  // limit the connection with the most unsent bytes is closed.
  while (pending_output_ > options_.max_pending_output_bytes) {
    Connection* slowest = nullptr;
    for (auto& [id, c] : connections_) {
      if (c->phase == Connection::Phase::writing &&
          (!slowest || c->out.size() - c->sent > slowest->out.size() - slowest->sent)) {
        slowest = c.get();
      }
    }
    if (!slowest) break;
    if (on_refusal_) on_refusal_("slow-reader");
    close_connection(slowest->id);
  }
}

void FrontDoor::refuse(Connection& c, const RequestError& error) {
  if (on_refusal_) on_refusal_(error.code);
  c.in.clear();
  start_writing(c, error_response(error), true);
}

void FrontDoor::start_writing(Connection& c, std::string bytes, bool close_after) {
  c.phase = Connection::Phase::writing;
  c.out = std::move(bytes);
  pending_output_ += c.out.size();
  c.sent = 0;
  c.close_after_write = close_after;
  c.deadline = Clock::now() + std::chrono::milliseconds(options_.write_timeout_ms);
  on_writable(c);
}

void FrontDoor::on_writable(Connection& c) {
  while (c.sent < c.out.size()) {
    const long n = write_some(c, c.out.data() + c.sent, c.out.size() - c.sent);
    if (n < 0) return;
    if (n == 0) return close_connection(c.id);
    c.sent += static_cast<std::size_t>(n);
  }
  pending_output_ -= c.out.size();
  std::string().swap(c.out);  // release the response's memory
  if (c.close_after_write) return begin_close(c);
  c.phase = Connection::Phase::reading;
  c.idle = true;
  c.since = Clock::now();
  c.deadline = c.since + std::chrono::milliseconds(options_.idle_timeout_ms);
  on_readable(c);  // a pipelined request, or bytes TLS has already decrypted
}

void FrontDoor::begin_close(Connection& c) {
  // Lingering close: stop sending, then read and drop what the client still sends for a
  // moment, so the kernel does not answer it with a reset that could destroy the answer.
  if (c.ssl) SSL_shutdown(c.ssl.get());
  ERR_clear_error();
  ::shutdown(c.fd, SHUT_WR);
  c.phase = Connection::Phase::lingering;
  c.deadline = Clock::now() + std::chrono::milliseconds(kLingerMs);
  watch(c, EPOLLIN);
  linger(c);
}

void FrontDoor::linger(Connection& c) {
  char buffer[kReadChunk];
  while (true) {
    const ssize_t r = ::recv(c.fd, buffer, sizeof buffer, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (r <= 0) return close_connection(c.id);
    c.lingered += static_cast<std::size_t>(r);
    if (c.lingered > kLingerBytes) return close_connection(c.id);
  }
}

void FrontDoor::close_connection(std::uint64_t id) {
  const auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = *it->second;
  unwatch(c);
  pending_output_ -= c.out.size();
  c.ssl.reset();
  ::close(c.fd);
  if (const auto a = per_address_.find(c.address); a != per_address_.end() && --a->second == 0) {
    per_address_.erase(a);
  }
  connections_.erase(it);
}

void FrontDoor::sweep(Clock::time_point now) {
  if (!listening_ && !stopping_ && listen_fd_ >= 0 && now >= accept_paused_until_) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenKey;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    listening_ = true;
  }
  std::vector<std::uint64_t> late;
  for (const auto& [id, c] : connections_) {
    if (c->phase != Connection::Phase::working && c->deadline <= now) late.push_back(id);
  }
  for (const auto id : late) {
    Connection& c = *connections_.at(id);
    if (c.phase == Connection::Phase::reading && c.reader.started()) {
      // A request begun but not finished in time: say so, briefly, then close.
      refuse(c, {408, "request-timeout",
                 "the request was not received within " +
                     std::to_string(options_.request_timeout_ms) + " ms"});
      if (const auto it = connections_.find(id); it != connections_.end()) {
        it->second->deadline = now + std::chrono::milliseconds(kLingerMs);
      }
    } else {
      close_connection(id);  // idle, handshaking, or not reading its answer: nothing to say
    }
  }
}

}  // namespace haal::collector
