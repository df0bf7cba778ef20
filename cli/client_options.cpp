#include "cli/client_options.hpp"

namespace haal::cli {

collector::ClientOptions client_options(const Args& args) {
  collector::ClientOptions options;
  const auto election = args.optional("election");
  options.ca_cert_file = collector::choose_ca_cert(
      args.optional("ca-cert"),
      election ? std::optional<std::filesystem::path>(*election) : std::nullopt);
  return options;
}

}  // namespace haal::cli
