#include "collector/client/http_client.hpp"

#include <openssl/x509.h>

namespace haal::collector {

std::optional<std::string> choose_ca_cert(
    const std::optional<std::string>& ca_cert,
    const std::optional<std::filesystem::path>& election_dir) {
  if (ca_cert) return ca_cert;
  if (election_dir && std::filesystem::exists(*election_dir / kCollectorCaFile)) {
    return (*election_dir / kCollectorCaFile).string();
  }
  return std::nullopt;
}

std::string describe_transport_error(const httplib::Client& client, httplib::Error error) {
  const std::string name = httplib::to_string(error);
  if (error == httplib::Error::SSLLoadingCerts) {
    return name + ": the CA certificate file (--ca-cert or the election's " +
           std::string(kCollectorCaFile) + ") cannot be read or holds no PEM certificate";
  }
  if (error != httplib::Error::SSLServerVerification) return name;
  const long result = client.get_openssl_verify_result();
  if (result == X509_V_OK) {
    // The chain verified, so the host name did not match (cpp-httplib checks it after).
    return name + ": the collector's TLS certificate is not issued for the host name of the " +
           "server URL: use the URL with the host name the certificate names (its " +
           "subjectAltName), not another name or an IP address";
  }
  return name + " (" + X509_verify_cert_error_string(result) +
         "): the collector's TLS certificate does not verify against the trusted CAs. Give " +
         "--ca-cert FILE with the certificate of the CA that signed the collector's " +
         "certificate (as published with the election; compare its SHA-256 fingerprint), or put " +
         "that file in the election directory as " + kCollectorCaFile + " (docs/deploy.md " +
         "section 2); without either, the system's trust store is used";
}

std::unique_ptr<httplib::Client> make_client(const std::string& url, const ClientOptions& options) {
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    throw std::invalid_argument("server URL must start with http:// or https://: " + url);
  }
  const std::string rest = url.substr(https ? 8 : 7);
  if (rest.empty() || rest.find('/') != std::string::npos) {
    throw std::invalid_argument("server URL must be scheme://host[:port] without a path: " + url);
  }
  auto client = std::make_unique<httplib::Client>(url);
  if (https) {
    client->enable_server_certificate_verification(true);
    if (options.ca_cert_file) client->set_ca_cert_path(options.ca_cert_file->c_str());
  }
  client->set_keep_alive(true);
  client->set_tcp_nodelay(
      true);  // headers and body go in separate writes: avoid Nagle + delayed ACK
  client->set_connection_timeout(options.timeout_seconds, 0);
  client->set_read_timeout(options.timeout_seconds, 0);
  client->set_write_timeout(options.timeout_seconds, 0);
  return client;
}

namespace {

JsonResponse to_json_response(const httplib::Client& client, const httplib::Result& result,
                              const std::string& what) {
  if (!result) {
    throw std::runtime_error(what + ": " + describe_transport_error(client, result.error()));
  }
  JsonResponse out;
  out.status = result->status;
  if (!result->body.empty()) {
    out.body = Json::parse(result->body, nullptr, /*allow_exceptions=*/false);
    if (out.body.is_discarded()) out.body = nullptr;
  }
  return out;
}

}  // namespace

JsonResponse get_json(httplib::Client& client, const std::string& path) {
  return to_json_response(client, client.Get(path.c_str()), "GET " + path);
}

JsonResponse post_json(httplib::Client& client, const std::string& path, const Json& body) {
  return to_json_response(client, client.Post(path.c_str(), body.dump(), "application/json"),
                          "POST " + path);
}

bool status_is_transient(int status) {
  return status == 502 || status == 503 || status == 504;
}

std::string describe_error(const JsonResponse& response) {
  std::string out = std::to_string(response.status);
  if (response.body.is_object() && response.body.contains("error")) {
    const Json& e = response.body["error"];
    out += " " + e.value("code", std::string("?")) + ": " + e.value("message", std::string());
  }
  return out;
}

}  // namespace haal::collector
