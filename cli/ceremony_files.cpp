#include "cli/ceremony_files.hpp"

#include <iostream>

#include "ceremony/messages.hpp"
#include "ceremony/result.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::cli {

namespace fs = std::filesystem;
using ceremony::CeremonyBoard;
using ceremony::CeremonyParameters;
using crypto::Bytes;
using crypto::Json;

Bytes context_hash_of(const Args& args, const fs::path& election) {
  if (const auto hex = args.optional("context-hash")) {
    Bytes h;
    try {
      h = crypto::from_hex(*hex);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--context-hash: ") + e.what());
    }
    if (h.size() != 32) throw UsageError("--context-hash: must be 32 bytes (64 hex digits)");
    return h;
  }
  const fs::path context = election / "context.json";
  if (!fs::exists(context)) {
    throw UsageError(context.string() +
                     " does not exist (run `haal election seal`) and no --context-hash given");
  }
  const crypto::Digest d = crypto::canonical_json_hash(ceremony::read_json_file(context));
  return Bytes(d.begin(), d.end());
}

std::vector<crypto::Ciphertext> read_ciphertexts(const crypto::Group& group, const fs::path& file) {
  const Json j = ceremony::read_json_file(file);
  const std::string path = file.string();
  crypto::reject_unknown_fields(j, {"ciphertexts"}, path);
  const Json& list = crypto::require_array(j, "ciphertexts", path);
  std::vector<crypto::Ciphertext> out(list.size());
  base::parallel_for_each(list.size(), [&](std::size_t k) {
    const std::string p = path + ".ciphertexts[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(list[k], {"alpha", "beta"}, p);
    out[k] = crypto::Ciphertext{
        crypto::element_from_json(group, crypto::require_field(list[k], "alpha", p), p + ".alpha"),
        crypto::element_from_json(group, crypto::require_field(list[k], "beta", p), p + ".beta")};
  });
  return out;
}

void write_public_json(const fs::path& file, const Json& j) {
  Bytes data = crypto::canonical_json_bytes(j);
  data.push_back('\n');
  ceremony::write_file_atomically(file, data, 0644);
}

void print_status(const CeremonyParameters& params, const CeremonyBoard& board) {
  std::cout << "election " << params.election_id << ": " << params.trustee_count
            << " trustees, threshold " << params.threshold << ", group " << params.group->name()
            << "\nmessages in " << board.directory().string() << ":\n";
  const std::pair<const char*, std::string (*)(std::uint32_t)> rounds[] = {
      {"round 0 identity   ", ceremony::identity_file},
      {"round 1 commitment ", ceremony::commitment_file},
      {"round 1 reveal     ", ceremony::reveal_file},
      {"round 2 shares     ", ceremony::shares_file},
      {"round 3 complaints ", ceremony::complaints_file},
      {"round 3 answer     ", ceremony::answer_file}};
  for (const auto& [name, file_of] : rounds) {
    std::string present, missing;
    for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
      (board.has(file_of(i)) ? present : missing) += " " + std::to_string(i);
    }
    std::cout << "  " << name << " published by:" << (present.empty() ? " none" : present)
              << (missing.empty() ? "" : "   missing:" + missing) << "\n";
  }
  std::cout << "identity message hashes (compare out of band with each trustee's own):\n";
  for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
    if (const auto j = board.load(ceremony::identity_file(i))) {
      std::cout << "  trustee " << i << ": " << crypto::to_hex(crypto::canonical_json_hash(*j))
                << "\n";
    }
  }
  if (const auto result = board.load(ceremony::kResultFile)) {
    std::cout << "result.json present, sha256 "
              << crypto::to_hex(crypto::canonical_json_hash(*result)) << "\n";
  } else {
    std::cout << "result.json not yet written\n";
  }
}

}  // namespace haal::cli
