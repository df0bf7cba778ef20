// Shared helpers for the ceremony tests: a temporary election folder with a minimal manifest,
// and a ceremony driven step by step with the trustees' secrets in memory (so tests can make a
// trustee misbehave between steps).
#pragma once

#include <filesystem>
#include <random>
#include <sstream>

#include "ceremony/trustee_rounds.hpp"
#include "crypto/canonical_json.hpp"

namespace haal::ceremony::testing {

// A fresh folder under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("haal-ceremony-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline Json minimal_manifest(std::uint32_t n, std::uint32_t t, const std::string& group) {
  return Json{{"election_id", "test-election-" + std::to_string(t) + "-of-" + std::to_string(n)},
              {"group", group},
              {"trustees", {{"count", n}, {"threshold", t}}}};
}

// Writes ELECTION_DIR/manifest.json and returns ELECTION_DIR.
inline std::filesystem::path write_election(const std::filesystem::path& root, std::uint32_t n,
                                            std::uint32_t t, const std::string& group = "P-256") {
  const auto dir = root / "election";
  std::filesystem::create_directories(dir);
  const Bytes bytes = crypto::canonical_json_bytes(minimal_manifest(n, t, group));
  write_file_atomically(dir / "manifest.json", bytes, 0644);
  return dir;
}

// A ceremony whose trustees keep their secrets in memory.
struct SteppedCeremony {
  SteppedCeremony(std::uint32_t n, std::uint32_t t, const std::string& group = "P-256")
      : election(write_election(temp.path(), n, t, group)),
        params(load_ceremony_parameters(election)),
        board(election) {
    for (std::uint32_t i = 1; i <= n; ++i) secrets.push_back(new_trustee_secrets(i));
  }

  TrusteeSecrets& trustee(std::uint32_t i) { return secrets.at(i - 1); }

  void identities() {
    for (auto& s : secrets) publish_identity(params, board, s, log);
  }
  void commit() {
    for (auto& s : secrets) commit_round(params, board, s, crypto::system_random(), log);
  }
  void reveal() {
    for (auto& s : secrets) reveal_round(params, board, s, crypto::system_random(), log);
  }
  void shares() {
    for (auto& s : secrets) shares_round(params, board, s, log);
  }
  void verify(bool allow_missing = false) {
    for (auto& s : secrets) verify_shares_round(params, board, s, allow_missing, log);
  }
  void answer(bool allow_missing = false) {
    for (auto& s : secrets) answer_round(params, board, s, allow_missing, log);
  }
  // Finalizes every qualified trustee; returns the result.
  CeremonyResult finalize(bool allow_missing = false) {
    const CeremonyResult result = compute_ceremony_result(params, board, allow_missing, log);
    for (const std::uint32_t i : result.qualified) {
      finalize_round(params, board, trustee(i), allow_missing, log);
    }
    return result;
  }
  void through_shares() {
    identities();
    commit();
    reveal();
    shares();
  }

  TempDir temp;
  std::filesystem::path election;
  CeremonyParameters params;
  CeremonyBoard board;
  std::vector<TrusteeSecrets> secrets;
  std::ostringstream log;
};

}  // namespace haal::ceremony::testing
