// HTTP(S) client helpers for the collector's JSON API (cpp-httplib).
#pragma once

#include <httplib.h>

#include <filesystem>
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

// The file of an election directory that pins the collector's TLS certificate: the certificate
// of the CA that signed it, or the collector's self-signed certificate (docs/deploy.md
// section 2). Not part of context.json: no hashed byte depends on it.
inline constexpr const char* kCollectorCaFile = "collector-ca.pem";

// Returns the trust anchor for https: `ca_cert` if given, else ELECTION_DIR/collector-ca.pem
// when `election_dir` is given and holds that file, else nullopt (the system's trust store).
std::optional<std::string> choose_ca_cert(const std::optional<std::string>& ca_cert,
                                          const std::optional<std::filesystem::path>& election_dir);

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

// Returns the message for a failed request of `client` (no HTTP answer): for a TLS
// verification failure, what the user should do (--ca-cert, collector-ca.pem, the host name).
std::string describe_transport_error(const httplib::Client& client, httplib::Error error);

// Returns true for 502, 503 and 504: no collector could take the request now (a failover, or a
// collector that lost its store; docs/deploy.md section 7), so the same request may be re-sent.
bool status_is_transient(int status);

// Returns "<status> <code>: <message>" for an error response.
std::string describe_error(const JsonResponse& response);

}  // namespace haal::collector
