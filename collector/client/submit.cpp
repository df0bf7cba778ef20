#include "collector/client/submit.hpp"

#include <chrono>
#include <thread>

namespace haal::collector {

std::optional<Json> lookup_receipt(httplib::Client& client, const std::string& tracking_code,
                                   const std::string& kind) {
  const JsonResponse r = get_json(client, "/api/ballots/" + tracking_code);
  if (r.status == 404 || r.status == 503) return std::nullopt;
  if (r.status != 200 || !r.body.is_object() || !r.body.contains("receipt")) {
    throw std::runtime_error("GET /api/ballots/" + tracking_code + ": " + describe_error(r));
  }
  const Json& receipt = r.body["receipt"];
  if (!receipt.is_object() || receipt.value("kind", std::string()) != kind) return std::nullopt;
  return receipt;
}

JsonResponse submit_once(httplib::Client& client, const std::string& path, const Json& body,
                         const std::string& tracking_code, int attempts) {
  const std::string kind = path == "/api/challenges" ? "challenge" : "ballot";
  std::string last_error;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    try {
      JsonResponse r = post_json(client, path, body);
      if (!status_is_transient(r.status) || attempt == attempts) return r;
      last_error = describe_error(r);
    } catch (const std::runtime_error& e) {
      last_error = e.what();  // no answer: the entry may or may not be on the board
    }
    std::this_thread::sleep_for(std::chrono::seconds(attempt));
    try {
      if (auto receipt = lookup_receipt(client, tracking_code, kind)) {
        return JsonResponse{200, std::move(*receipt)};
      }
    } catch (const std::runtime_error& e) {
      last_error = e.what();
    }
  }
  throw std::runtime_error("POST " + path + ": no answer after " + std::to_string(attempts) +
                           " attempts (" + last_error + "); the ballot with tracking code " +
                           tracking_code + " may still be on the board: look it up later");
}

}  // namespace haal::collector
