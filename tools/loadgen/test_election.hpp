// A complete, sealed election for tests, demos and benchmarks: one P-256 plurality contest, a
// throw-away election key (its secret is discarded), N unprotected voter credentials and an
// officials' key. Built with the election library exactly as the real commands would.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/ed25519.hpp"

namespace haal::collector {

struct TestElectionOptions {
  std::string election_id = "loadtest-2026";
  std::string group = "P-256";
  std::string opens = "2020-01-01T00:00:00Z";  // RFC 3339 UTC
  std::string closes = "2099-12-31T23:59:59Z";
  std::size_t voters = 10;
  crypto::Bytes collector_key_seed;          // the pinned collector key's seed; empty: a fresh key
  std::filesystem::path collector_key_file;  // where to write that key (empty: not written)
};

// Creates ELECTION_DIR (manifest.json, ceremony/result.json, officials.json, context.json pinning
// the officials', the collector's and one mix server's keys, roll.json) and
// CREDENTIALS_DIR/<voter_id>.json for voters "voter-000001"... The mix server's key is discarded
// (such an election is never mixed). Returns the officials' private key. Throws if either
// directory already holds an election.
crypto::Ed25519PrivateKey make_test_election(const std::filesystem::path& election_dir,
                                             const std::filesystem::path& credentials_dir,
                                             const TestElectionOptions& options);

}  // namespace haal::collector
