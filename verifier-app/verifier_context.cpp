#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

std::optional<std::size_t> ParsedManifest::find_contest(std::string_view id) const {
  for (std::size_t i = 0; i < contests.size(); ++i) {
    if (contests[i].id == id) return i;
  }
  return std::nullopt;
}

}  // namespace haal::verifier
