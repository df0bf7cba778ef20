#include "cli/client_options.hpp"

#include "crypto/canonical_json.hpp"
#include "election/manifest.hpp"

namespace haal::cli {

collector::ClientOptions client_options(const Args& args) {
  collector::ClientOptions options;
  const auto election = args.optional("election");
  options.ca_cert_file = collector::choose_ca_cert(
      args.optional("ca-cert"),
      election ? std::optional<std::filesystem::path>(*election) : std::nullopt);
  return options;
}

election::ElectionContext fetch_served_election(httplib::Client& client, const Args& args) {
  const collector::JsonResponse info = collector::get_json(client, "/api/election");
  if (info.status != 200)
    throw std::runtime_error("GET /api/election: " + collector::describe_error(info));
  const election::Manifest manifest = election::manifest_from_json(info.body.at("manifest"));
  auto context = election::ElectionContext::from_json(manifest, info.body.at("context"));
  if (crypto::to_hex(context.hash()) != info.body.at("context_hash").get<std::string>()) {
    throw std::runtime_error("the server's context_hash does not match its context");
  }
  if (const auto dir = args.optional("election")) {
    if (std::filesystem::exists(std::filesystem::path(*dir) / election::kContextFile) &&
        election::load_election_context(*dir).hash() != context.hash()) {
      throw std::runtime_error("the server serves another election than " + *dir +
                               "/context.json (context_hash differs): not voting");
    }
  }
  // Heads are checked under the collector key the context pins, never one served beside it.
  if (info.body.value("collector_public_key", "") !=
      crypto::to_hex(context.parties().collector_key)) {
    throw std::runtime_error("the server's collector key is not the one its context pins");
  }
  return context;
}

}  // namespace haal::cli
