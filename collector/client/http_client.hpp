// HTTP(S) client helpers for the collector's JSON API (cpp-httplib).
#pragma once

#include <httplib.h>

#include <memory>
#include <optional>
#include <string>

#include "crypto/json_codec.hpp"

namespace haal::collector {

using Json = nlohmann::json;

struct ClientOptions {
  std::optional<std::string> ca_cert_file;  // trust anchor for https (else the system store)
  int timeout_seconds = 30;
};

// Returns a keep-alive client for "http://host:port" or "https://host:port" (no path).
// Throws std::invalid_argument on any other URL.
std::unique_ptr<httplib::Client> make_client(const std::string& url,
                                             const ClientOptions& options = {});

struct JsonResponse {
  int status = 0;
  Json body;  // null if the body was empty or not JSON
};

// Performs the request; throws std::runtime_error naming the path on a transport error.
JsonResponse get_json(httplib::Client& client, const std::string& path);
JsonResponse post_json(httplib::Client& client, const std::string& path, const Json& body);

// Returns "<status> <code>: <message>" for an error response.
std::string describe_error(const JsonResponse& response);

}  // namespace haal::collector
