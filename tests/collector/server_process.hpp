// build/bin/haal-collector as a child process on 127.0.0.1 (any free port), for tests that need
// the real binary: crash (kill -9) and restart, TLS.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

namespace haal::collector::testing {

class ServerProcess {
 public:
  // Starts haal-collector with `args` (after the binary name) plus --listen 127.0.0.1:0 and
  // waits (up to 60 s) for its "listening on URL" line. stderr goes to `log_file`.
  ServerProcess(std::vector<std::string> args, const std::string& log_file) {
    args.insert(args.begin(), std::string(HAAL_BINARY_DIR) + "/bin/haal-collector");
    args.push_back("--listen");
    args.push_back("127.0.0.1:0");
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      const int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (log >= 0) dup2(log, STDERR_FILENO);
      close(out[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = out[0];
    url_ = read_url();
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& url() const { return url_; }
  // Returns the port of url().
  int port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }
  pid_t pid() const { return pid_; }

  // SIGKILL: no chance to flush or finish anything.
  void kill_hard() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  std::string read_url() {
    const std::string marker = "listening on ";
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buffer[256];
      const ssize_t n = read(stdout_, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
      const auto at = text.find(marker);
      const auto end = text.find('\n', at == std::string::npos ? 0 : at);
      if (at != std::string::npos && end != std::string::npos) {
        return text.substr(at + marker.size(), end - at - marker.size());
      }
    }
    throw std::runtime_error("haal-collector did not start; output: " + text);
  }

  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string url_;
};

}  // namespace haal::collector::testing
