// The load generator (`haal loadgen`): casts real, valid ballots from N credentials over C
// concurrent keep-alive connections, checks every receipt, measures throughput and latency,
// and appends each receipt to a file as soon as it arrives; and the later audit of such a
// receipts file against the board (`haal loadgen check`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "collector/client/http_client.hpp"
#include "crypto/bytes.hpp"

namespace haal::collector {

struct LoadgenOptions {
  std::string server_url;
  ClientOptions client;
  std::filesystem::path election_dir;
  std::filesystem::path credentials_dir;
  std::size_t voters = 0;       // the first N credential files in voter id order
  std::size_t concurrency = 8;  // connections (one sending thread each)
  double revote_rate = 0;       // fraction of voters who cast a second ballot (sequence 2)
  std::optional<std::filesystem::path> receipts_file;  // JSON lines, appended and flushed
  std::optional<std::string> passphrase;               // for passphrase-protected credential files
  bool progress = true;                                // counter with rate and ETA on stderr
  // Re-send the same bytes after no answer or a 502/503/504 (a failover, docs/deploy.md) for up
  // to this long after the first send; 0 = send once. The collector answers a copy of a ballot
  // already on its board with that ballot's receipt, so a re-send never casts twice.
  double retry_seconds = 0;
};

struct LoadgenReport {
  std::size_t sent = 0;
  std::size_t accepted = 0;          // receipt received and verified
  std::size_t rejected = 0;          // 4xx/5xx answers
  std::size_t transport_errors = 0;  // no answer (connection refused, reset, timeout)
  std::size_t bad_receipts = 0;      // 200 answers whose receipt did not verify
  std::size_t resends = 0;           // re-sends after no answer or 502/503/504 (retry_seconds)
  double seconds = 0;                // sending phase only (ballots are prepared beforehand)
  double ballots_per_second = 0;     // accepted / seconds
  // Latency of accepted ballots, from the first send to the receipt (re-sends included).
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::vector<std::string> first_failures;  // up to 10 descriptions
};

// Runs the load. Throws std::runtime_error if the election or credentials cannot be read or
// the server serves another election; failures of individual ballots are counted instead.
LoadgenReport run_loadgen(const LoadgenOptions& options);

// Returns the report as human-readable lines.
std::string format_loadgen_report(const LoadgenReport& report);

struct ReceiptAudit {
  std::size_t receipts = 0;
  std::size_t verified = 0;  // entry present, unchanged, provably in the current head
  std::uint64_t board_size = 0;
  std::vector<std::string> problems;  // one line per failed receipt or board check
  bool ok() const { return problems.empty() && verified == receipts; }
};

// Audits a receipts file against the server's board under `collector_key`, the key the
// election context pins (never the one the server serves: a server that signs with another key
// is a problem, and the audit stops there). Downloads every entry, recomputes the Merkle root
// and checks it against the signed head; checks every receipt (signature under the pinned key,
// inclusion proof, entry content = the receipted ballot) and that each receipt's head is
// consistent with the current one (also through the server's consistency proofs). Throws
// std::runtime_error if the server cannot be reached.
ReceiptAudit audit_receipts(const std::string& server_url, const ClientOptions& client,
                            const std::filesystem::path& receipts_file,
                            const crypto::Bytes& collector_key, bool progress = true);

}  // namespace haal::collector
