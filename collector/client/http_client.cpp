#include "collector/client/http_client.hpp"

namespace haal::collector {

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

JsonResponse to_json_response(const httplib::Result& result, const std::string& what) {
  if (!result) {
    throw std::runtime_error(what + ": " + httplib::to_string(result.error()));
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
  return to_json_response(client.Get(path.c_str()), "GET " + path);
}

JsonResponse post_json(httplib::Client& client, const std::string& path, const Json& body) {
  return to_json_response(client.Post(path.c_str(), body.dump(), "application/json"),
                          "POST " + path);
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
