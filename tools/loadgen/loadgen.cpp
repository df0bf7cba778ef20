#include "tools/loadgen/loadgen.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "board/merkle_tree.hpp"
#include "board/receipt.hpp"
#include "collector/client/officials_export.hpp"
#include "collector/protocol/election_view.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "election/ballot.hpp"
#include "election/credential.hpp"
#include "election/selection.hpp"

namespace haal::collector {

namespace {

struct PreparedBallot {
  std::string voter_id;
  std::string body;       // the JSON text sent
  crypto::Bytes payload;  // canonical bytes (the board entry's payload)
  std::string ballot_hash;
  std::string tracking_code;
};

// Returns a random valid selection of `contest` (no write-ins).
election::Selection random_selection(const election::Contest& contest, std::mt19937_64& rng) {
  std::vector<std::size_t> indices(contest.options.size());
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
  std::shuffle(indices.begin(), indices.end(), rng);
  const std::size_t hi = std::min(contest.max, indices.size());
  const std::size_t lo = std::min(contest.min, hi);
  const std::size_t k = lo + static_cast<std::size_t>(rng() % (hi - lo + 1));
  election::Selection s;
  s.candidates.assign(indices.begin(), indices.begin() + static_cast<std::ptrdiff_t>(k));
  if (!contest.ranked()) std::sort(s.candidates.begin(), s.candidates.end());
  return s;
}

std::vector<std::filesystem::path> credential_files(const std::filesystem::path& dir,
                                                    std::size_t n) {
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".json") files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  if (files.size() < n) {
    throw std::runtime_error(dir.string() + ": " + std::to_string(files.size()) +
                             " credential files, fewer than --voters " + std::to_string(n));
  }
  files.resize(n);
  return files;
}

// Returns true for what a failover looks like from outside: no answer, or 502/503/504.
bool answer_is_transient(const httplib::Result& result) {
  return !result || status_is_transient(result->status);
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()));
  return sorted[i];
}

}  // namespace

LoadgenReport run_loadgen(const LoadgenOptions& o) {
  if (o.voters == 0 || o.concurrency == 0)
    throw std::invalid_argument("--voters and --concurrency must be positive");
  if (o.revote_rate < 0 || o.revote_rate > 1)
    throw std::invalid_argument("--revote-rate must be within [0, 1]");
  const ElectionView election = load_election_view(o.election_dir);
  const auto& context = *election.context;

  auto probe = make_client(o.server_url, o.client);
  const JsonResponse info = get_json(*probe, "/api/election");
  if (info.status != 200 || !info.body.is_object()) {
    throw std::runtime_error("GET /api/election: " + describe_error(info));
  }
  if (info.body.value("election_id", "") != context.election_id() ||
      info.body.value("context_hash", "") != crypto::to_hex(context.hash())) {
    throw std::runtime_error("the server serves another election (or another context) than " +
                             o.election_dir.string());
  }
  const crypto::Bytes collector_key = context.parties().collector_key;
  if (info.body.value("collector_public_key", "") != crypto::to_hex(collector_key)) {
    throw std::runtime_error("the server's collector key is not the one context.json pins");
  }
  probe.reset();  // do not hold a server connection while preparing

  // Prepare every ballot before sending, so the measurement is the collector's, not ours.
  const auto files = credential_files(o.credentials_dir, o.voters);
  const std::size_t revoters =
      static_cast<std::size_t>(o.revote_rate * static_cast<double>(o.voters) + 0.5);
  std::vector<PreparedBallot> first(o.voters), second(revoters);
  {
    base::Progress meter("loadgen: preparing ballots", o.voters + revoters,
                         o.progress ? &std::cerr : nullptr);
    const auto passphrase = [&]() -> std::string {
      if (!o.passphrase)
        throw std::runtime_error("a credential is passphrase-protected; give a passphrase");
      return *o.passphrase;
    };
    const std::uint64_t sequence_base = unix_time_ms();
    base::parallel_for_each(o.voters, [&](std::size_t i) {
      const election::Credential credential = election::load_credential(files[i], passphrase);
      std::mt19937_64 choice_rng(i * 7919 + 17);
      for (std::uint64_t round = 1; round <= (i < revoters ? 2u : 1u); ++round) {
        // Sequences count up across runs too (the collector accepts only increasing ones).
        const std::uint64_t sequence = sequence_base + round;
        election::BallotChoices choices;
        for (const auto& contest : context.manifest().contests) {
          choices[contest.id] = random_selection(contest, choice_rng);
        }
        const auto encrypted = election::encrypt_ballot_var(context, credential, choices, sequence,
                                                            crypto::system_random());
        PreparedBallot& p = round == 1 ? first[i] : second[i];
        p.voter_id = credential.voter_id;
        p.body = encrypted.ballot.dump();
        p.payload = crypto::canonical_json_bytes(encrypted.ballot);
        p.ballot_hash = crypto::to_hex(encrypted.hash);
        p.tracking_code = encrypted.encrypted.tracking_code;
        meter.advance(1);
      }
    });
  }

  std::ofstream receipts;
  if (o.receipts_file) {
    receipts.open(*o.receipts_file, std::ios::app);
    if (!receipts) throw std::runtime_error(o.receipts_file->string() + ": cannot open");
  }
  std::mutex mutex;  // guards report, latencies and the receipts file
  LoadgenReport report;
  std::vector<double> latencies;
  std::set<crypto::Bytes> verified_heads;  // signatures of heads already checked
  latencies.reserve(o.voters + revoters);
  auto failure = [&](const std::string& text) {
    if (report.first_failures.size() < 10) report.first_failures.push_back(text);
  };

  base::Progress meter("loadgen: casting ballots", o.voters + revoters,
                       o.progress ? &std::cerr : nullptr);
  const auto start = std::chrono::steady_clock::now();
  // Phase 1: every voter's first ballot; phase 2: the re-votes (after their first ballots).
  for (const std::vector<PreparedBallot>* phase : {&first, &second}) {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> senders;
    for (std::size_t t = 0; t < o.concurrency; ++t) {
      senders.emplace_back([&] {
        auto client = make_client(o.server_url, o.client);
        for (std::size_t i; (i = next.fetch_add(1)) < phase->size();) {
          const PreparedBallot& p = (*phase)[i];
          const auto sent_at = std::chrono::steady_clock::now();
          auto result = client->Post("/api/ballots", p.body, "application/json");
          // During a failover: the same bytes again, with a growing pause, until the deadline.
          for (int resend = 1; o.retry_seconds > 0 && answer_is_transient(result); ++resend) {
            const auto pause = std::chrono::milliseconds(std::min(1000, 100 * resend));
            if (std::chrono::steady_clock::now() + pause - sent_at >
                std::chrono::duration<double>(o.retry_seconds)) {
              break;
            }
            std::this_thread::sleep_for(pause);
            {
              std::lock_guard lock(mutex);
              ++report.resends;
            }
            result = client->Post("/api/ballots", p.body, "application/json");
          }
          const double ms =
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent_at)
                  .count();
          meter.advance(1);
          if (!result) {
            std::lock_guard lock(mutex);
            ++report.sent;
            ++report.transport_errors;
            failure(p.voter_id + ": " + describe_transport_error(*client, result.error()));
            continue;
          }
          if (result->status != 200) {
            std::lock_guard lock(mutex);
            ++report.sent;
            ++report.rejected;
            JsonResponse r{result->status, Json::parse(result->body, nullptr, false)};
            failure(p.voter_id + ": " + describe_error(r));
            continue;
          }
          // Check the receipt outside the lock: senders verify in parallel.
          std::string problem;
          std::string line;
          try {
            const board::Receipt receipt = board::receipt_from_json(Json::parse(result->body));
            if (receipt.ballot_hash != p.ballot_hash || receipt.tracking_code != p.tracking_code ||
                receipt.kind != "ballot") {
              throw std::runtime_error("the receipt names another ballot");
            }
            // Many receipts share a batch's head: verify each head's signature once.
            bool known = false;
            {
              std::lock_guard lock(mutex);
              known = verified_heads.count(receipt.signed_tree_head.signature) > 0;
            }
            if (!known) {
              board::check_tree_head_signature_var(receipt.signed_tree_head, collector_key);
              std::lock_guard lock(mutex);
              verified_heads.insert(receipt.signed_tree_head.signature);
            }
            board::check_receipt_inclusion_var(receipt, p.payload);
            line =
                Json{{"voter_id", p.voter_id}, {"receipt", board::receipt_to_json(receipt)}}.dump();
          } catch (const std::exception& e) {
            problem = e.what();
          }
          std::lock_guard lock(mutex);
          ++report.sent;
          if (!problem.empty()) {
            ++report.bad_receipts;
            failure(p.voter_id + ": bad receipt: " + problem);
            continue;
          }
          ++report.accepted;
          latencies.push_back(ms);
          if (receipts.is_open()) {
            receipts << line << "\n";
            receipts.flush();
          }
        }
      });
    }
    for (auto& s : senders) s.join();
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  meter.finish();
  std::sort(latencies.begin(), latencies.end());
  report.ballots_per_second = report.accepted / std::max(report.seconds, 1e-9);
  report.p50_ms = percentile(latencies, 0.50);
  report.p90_ms = percentile(latencies, 0.90);
  report.p99_ms = percentile(latencies, 0.99);
  report.max_ms = latencies.empty() ? 0 : latencies.back();
  return report;
}

std::string format_loadgen_report(const LoadgenReport& r) {
  char text[640];
  std::snprintf(text, sizeof text,
                "sent %zu, accepted %zu (receipts verified), rejected %zu, transport errors %zu, "
                "bad receipts %zu, re-sends %zu\n"
                "throughput %.0f ballots/s over %.2f s\n"
                "latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                r.sent, r.accepted, r.rejected, r.transport_errors, r.bad_receipts, r.resends,
                r.ballots_per_second, r.seconds, r.p50_ms, r.p90_ms, r.p99_ms, r.max_ms);
  std::string out = text;
  for (const auto& f : r.first_failures) out += "  failure: " + f + "\n";
  return out;
}

ReceiptAudit audit_receipts(const std::string& server_url, const ClientOptions& client_options,
                            const std::filesystem::path& receipts_file,
                            const crypto::Bytes& collector_key, bool progress) {
  ReceiptAudit audit;
  std::vector<std::pair<std::string, board::Receipt>> receipts;
  {
    std::ifstream in(receipts_file);
    if (!in) throw std::runtime_error(receipts_file.string() + ": cannot open");
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
      if (line.empty()) continue;
      const std::string where = receipts_file.string() + ":" + std::to_string(n);
      const Json j = Json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("receipt")) {
        audit.problems.push_back(where + ": not a receipt line");
        continue;
      }
      try {
        receipts.emplace_back(j.value("voter_id", ""), board::receipt_from_json(j["receipt"]));
      } catch (const std::exception& e) {
        audit.problems.push_back(where + ": " + e.what());
      }
    }
  }
  audit.receipts = receipts.size();

  auto client = make_client(server_url, client_options);
  const JsonResponse head_response = get_json(*client, "/api/board/head");
  if (head_response.status != 200)
    throw std::runtime_error("GET /api/board/head: " + describe_error(head_response));
  const crypto::Bytes& key = collector_key;
  if (head_response.body.value("collector_public_key", "") != crypto::to_hex(key)) {
    audit.problems.push_back(
        "the server signs with another collector key than the election context pins");
    return audit;
  }
  const board::SignedTreeHead head =
      board::signed_tree_head_from_json(head_response.body.at("signed_tree_head"));
  if (!board::verify_tree_head_var(head, key)) {
    audit.problems.push_back("the board's signed head has an invalid signature");
    return audit;
  }
  audit.board_size = head.head.tree_size;

  // Download the whole board and recompute its tree.
  std::vector<board::BoardEntry> entries;
  try {
    entries = download_board(*client, head, progress);
  } catch (const std::runtime_error& e) {
    audit.problems.push_back(e.what());
    return audit;
  }
  board::MerkleTree tree;
  for (const auto& e : entries) tree.append_leaf(board::encode_leaf(e));

  std::set<std::uint64_t> checked_sizes;
  for (const auto& [voter_id, r] : receipts) {
    const std::string who =
        "receipt of " + voter_id + " (board index " + std::to_string(r.board_index) + ")";
    try {
      if (r.board_index >= entries.size())
        throw std::runtime_error("the entry is missing from the board");
      const board::BoardEntry& e = entries[r.board_index];
      if (e.kind != r.kind || e.timestamp_ms != r.timestamp_ms) {
        throw std::runtime_error("the board's entry differs from the receipted one");
      }
      if (r.kind == "ballot" && crypto::to_hex(crypto::sha256(e.payload)) != r.ballot_hash) {
        throw std::runtime_error("the board's entry holds another ballot");
      }
      board::check_receipt_var(r, e.payload, key);
      const std::uint64_t size = r.signed_tree_head.head.tree_size;
      if (size > tree.size() || tree.root(size) != r.signed_tree_head.head.root_hash) {
        throw std::runtime_error("the receipt's signed head is not a prefix of the current board");
      }
      if (checked_sizes.insert(size).second) {
        const JsonResponse c =
            get_json(*client, "/api/board/consistency?old=" + std::to_string(size) +
                                  "&new=" + std::to_string(head.head.tree_size));
        if (c.status != 200) throw std::runtime_error("consistency proof: " + describe_error(c));
        board::check_consistency_var(
            board::consistency_proof_from_json(c.body.at("consistency_proof")),
            r.signed_tree_head.head.root_hash, head.head.root_hash);
      }
      ++audit.verified;
    } catch (const std::exception& ex) {
      audit.problems.push_back(who + ": " + ex.what());
    }
  }
  return audit;
}

}  // namespace haal::collector
