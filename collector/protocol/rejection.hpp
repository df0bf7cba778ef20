// A request the collector refuses: an HTTP status, a stable machine-readable code and a precise
// human-readable message (field path, index). Every code is listed in docs/api.md.
#pragma once

#include <stdexcept>
#include <string>

namespace haal::collector {

class Rejection : public std::runtime_error {
 public:
  // Precondition: 400 <= status <= 599; `code` is a short kebab-case identifier.
  Rejection(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

}  // namespace haal::collector
