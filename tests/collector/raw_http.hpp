// Raw HTTP/1.1 over loopback TCP (optionally TLS, without certificate checks) from a chosen
// source address in 127.0.0.0/8, for tests that send what no well-behaved client sends: slow
// heads, conflicting framing, endless bodies. Also the server's resident memory.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace haal::collector::testing {

struct RawResponse {
  int status = 0;  // 0: no complete answer
  std::string head;
  std::string body;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port` from `source`; with `tls`, completes a TLS handshake.
  // Throws std::runtime_error if the connection or handshake fails.
  explicit RawConnection(int port, const std::string& source = "127.0.0.1", bool tls = false) {
    signal(SIGPIPE, SIG_IGN);
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval five{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &five, sizeof five);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
      if (fd_ >= 0) close(fd_);
      throw std::runtime_error("cannot connect from " + source);
    }
    if (tls) {
      ctx_.reset(SSL_CTX_new(TLS_client_method()));
      ssl_.reset(SSL_new(ctx_.get()));
      SSL_set_fd(ssl_.get(), fd_);
      if (SSL_connect(ssl_.get()) != 1) {
        ERR_clear_error();
        close(fd_);
        throw std::runtime_error("TLS handshake failed");
      }
    }
  }
  ~RawConnection() {
    ssl_.reset();
    if (fd_ >= 0) close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`; returns false once the server closed or reset the connection.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const long n = ssl_ ? SSL_write(ssl_.get(), bytes.data(), static_cast<int>(bytes.size()))
                          : ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        ERR_clear_error();
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response (head, then a Content-Length body) within `timeout_ms`.
  RawResponse read_response(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    RawResponse r;
    std::size_t need = std::string::npos;
    while (true) {
      const auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        r.head = buffer_.substr(0, end + 4);
        std::string lower = r.head;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto cl = lower.find("\r\ncontent-length:");
        need = end + 4 + (cl == std::string::npos ? 0 : std::stoul(lower.substr(cl + 17)));
      }
      if (need != std::string::npos && buffer_.size() >= need) {
        r.status = std::stoi(r.head.substr(9, 3));
        r.body = buffer_.substr(r.head.size(), need - r.head.size());
        buffer_.erase(0, need);
        if (r.status == 100) return read_response(timeout_ms);
        return r;
      }
      if (!receive(deadline)) return RawResponse{};
    }
  }

  // True iff the server closes (or resets) the connection within `timeout_ms` (0: already
  // closed); what it sends before that is kept for read_response.
  bool closed_within(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
      const int r = read_once(deadline);
      if (r < 0) return false;
      if (r == 0) return true;
    }
  }

  // Returns what was received and not yet consumed by read_response.
  const std::string& received() const { return buffer_; }

 private:
  // Appends what arrives before `deadline`; false on close, reset or timeout.
  bool receive(std::chrono::steady_clock::time_point deadline) { return read_once(deadline) > 0; }

  // Waits until `deadline` (at least one poll) for bytes: 1 if some were appended, 0 if the
  // connection was closed or reset, -1 on timeout.
  int read_once(std::chrono::steady_clock::time_point deadline) {
    char chunk[16384];
    while (true) {
      if (!(ssl_ && SSL_pending(ssl_.get()) > 0)) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        pollfd p{fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(std::max<long>(0, left))) <= 0) return -1;
      }
      const long n =
          ssl_ ? SSL_read(ssl_.get(), chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return 1;
      }
      if (ssl_ && SSL_get_error(ssl_.get(), static_cast<int>(n)) == SSL_ERROR_WANT_READ) continue;
      ERR_clear_error();
      return 0;
    }
  }

  struct FreeCtx {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
  };
  struct FreeSsl {
    void operator()(SSL* s) const { SSL_free(s); }
  };
  int fd_ = -1;
  std::unique_ptr<SSL_CTX, FreeCtx> ctx_;
  std::unique_ptr<SSL, FreeSsl> ssl_;
  std::string buffer_;
};

// Returns a request with `body` as JSON and a correct Content-Length.
inline std::string json_request(const std::string& method, const std::string& path,
                                const std::string& body, const std::string& extra_headers = "") {
  return method + " " + path +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Returns the resident memory of process `pid` in MiB (VmRSS of /proc/PID/status).
inline double resident_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

}  // namespace haal::collector::testing
