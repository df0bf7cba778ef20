// The eight stages of haal-verify in order (docs/verifier.md), each with the file that implements
// it, and the state stages 3-5 hand on to each other beyond VerifierContext: the decoded board
// (stage 3) and the verified ballots (stage 4). verify_record.cpp runs them in this order; every
// stage is compiled in (a missing one is a build error, never a stage reported failed).
//
//   1 parameters  stage_parameters.cpp  (check_record_index, check_parameters)
//   2 ceremony    stage_ceremony.cpp    (check_ceremony)
//   3 board       stage_board.cpp       (check_board)
//   4 ballots     stage_ballots.cpp     (check_ballots)
//   5 cleansing   stage_cleansing.cpp   (check_cleansing)
//   6 mixing      shuffle/check_mixing.cpp         (check_mixing; the proof of shuffle in shuffle/)
//   7 decryption  decryption/check_decryption.cpp  (check_decryption; helpers in decryption/)
//   8 counting    counting/check_counting.cpp      (check_counting; the recount in counting/)
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "verifier-app/counting/check_counting.hpp"
#include "verifier-app/decryption/check_decryption.hpp"
#include "verifier-app/merkle.hpp"
#include "verifier-app/record_reader.hpp"
#include "verifier-app/report.hpp"
#include "verifier-app/shuffle/check_mixing.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

// Entry kinds the collector writes (docs/api.md).
inline constexpr std::string_view kKindBallot = "ballot";
inline constexpr std::string_view kKindChallenge = "challenge";
inline constexpr std::string_view kKindPollOpen = "poll-open";
inline constexpr std::string_view kKindPollClose = "poll-close";

// One board entry as stage 3 read it from board/entries.jsonl.
struct BoardRecordEntry {
  std::string kind;
  std::uint64_t timestamp_ms = 0;
  std::string payload;  // payload bytes (the canonical JSON text of a ballot, challenge, ...)
  Digest leaf_hash{};
};

struct BoardData {
  bool entries_read = false;  // every line of entries.jsonl decoded
  std::vector<BoardRecordEntry> entries;
  std::vector<Digest> leaf_hashes;
  crypto::Bytes collector_key;
  std::optional<TreeHead> final_head;
  bool final_head_ok = false;  // signed, and its root is the MTH of all entries
  std::optional<std::size_t> poll_open_index;
  std::optional<std::size_t> poll_close_index;
};

// A ballot or challenge entry after stage 4.
struct CheckedBallot {
  std::size_t board_index = 0;
  bool challenge = false;
  bool valid = false;   // passed every check of stage 4
  std::string failure;  // the first failing check's reason when !valid
  std::string voter_id;
  std::uint64_t sequence = 0;
  Digest hash{};      // SHA-256 of the payload (ballot_hash of a ballot)
  Digest tracking{};  // tracking hash of its ciphertexts (docs/ballots.md section 7)
  std::vector<crypto::CiphertextVector> contests;
  crypto::Bytes credential;
  // SHA-256(alpha || beta) of each ciphertext's canonical encoding, contests in order (for the
  // replay check; computed from the ballot's own bytes while it is verified).
  std::vector<Digest> ciphertext_digests;
};

// Returns tracking_hash = SHA-256(canonical JSON of {"type":"haal-tracking-v1", "election_id",
// "context_hash", "contests":[{"contest_id","ciphertexts"}]}) of a ballot or challenge payload
// (docs/ballots.md section 7). Throws on a payload without those members.
Digest tracking_hash_of(const crypto::Json& payload);

struct BallotData {
  bool checked = false;
  std::vector<CheckedBallot> ballots;  // board order
};

// File-level check: index.json lists every file with its size and SHA-256 (stage 1).
void check_record_index(const RecordReader& record, VerifierContext& context, Report& report);
// Stage 1: manifest, group and generator, context.json and context_hash.
void check_parameters(const RecordReader& record, VerifierContext& context, Report& report);
// Stage 2: key-ceremony messages, qualification, joint key, verification keys, result.json.
void check_ceremony(const RecordReader& record, VerifierContext& context, Report& report);
// Stage 3: roll, entries, Merkle root, final head signature, published heads, poll events.
void check_board(const RecordReader& record, VerifierContext& context, BoardData& board,
                 Report& report);
// Stage 4: every ballot and challenge entry: shape, election, roll, signature, elements,
// proofs, replays, re-vote sequence.
void check_ballots(const VerifierContext& context, BoardData& board, BallotData& ballots,
                   Report& report);
// Stage 5: Benaloh openings of challenges; the counted set recomputed and compared with
// cleanse/cast.json and cleanse/excluded.json; fills context.cleansed.
void check_cleansing(const RecordReader& record, VerifierContext& context, const BoardData& board,
                     const BallotData& ballots, Report& report);

}  // namespace haal::verifier
