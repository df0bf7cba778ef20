// Stage 4: every ballot and challenge on the board, re-verified from docs/ballots.md: canonical
// payload, shape, election and context hash, credential on the roll, Ed25519 signature, group
// membership of every element, ciphertext-randomness proofs (challenges, which name no voter:
// canonical payload, shape, election, elements; their openings are stage 5's); the tracking
// hash of each; then no replayed ciphertext and re-vote sequence numbers that count up.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/sha256.hpp"
#include "verifier-app/bulk_check.hpp"
#include "verifier-app/manifest_parser.hpp"
#include "verifier-app/randomness_proof.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

using crypto::Bytes;
using crypto::FormatError;
using crypto::Json;

namespace {

constexpr Stage kStage = Stage::kBallots;
constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << 53) - 1;

// The checks of one ballot, in the order they run; the first failing one is reported.
enum Check { kCanonical, kShape, kElection, kRoll, kSignature, kElements, kProofs, kCheckCount };
const char* const kCheckNames[kCheckCount] = {
    "board payload is canonical JSON",
    "ballot is well formed",
    "ballot is for this election and context",
    "credential is the roll's key for the voter",
    "ballot signature",
    "ciphertext elements are in the group",
    "ballot proofs (ciphertext randomness)",
};

struct Failure {
  Check check;
  std::string field;
  std::string reason;
};

std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Bytes the voter signs: canonical JSON of the object without "signature".
Bytes signed_bytes(const Json& j) {
  Json copy = j;
  copy.erase("signature");
  return crypto::canonical_json_bytes(copy);
}

// Parses the ciphertexts of one contest (exactly `width` objects {alpha, beta} of canonical hex
// of the element length) into `out`. Throws FormatError.
void parse_ciphertexts(const crypto::Group& group, const Json& c, const std::string& path,
                       std::size_t width, std::vector<std::pair<Bytes, Bytes>>& out) {
  const Json& cts = crypto::require_array(c, "ciphertexts", path);
  if (cts.size() != width)
    throw FormatError(
        path + ".ciphertexts",
        "expected " + std::to_string(width) + " ciphertexts, found " + std::to_string(cts.size()));
  for (std::size_t k = 0; k < cts.size(); ++k) {
    const std::string cp = at(path + ".ciphertexts", k);
    if (!cts[k].is_object()) throw FormatError(cp, "must be a JSON object");
    crypto::reject_unknown_fields(cts[k], {"alpha", "beta"}, cp);
    out.emplace_back(crypto::bytes_from_json(crypto::require_field(cts[k], "alpha", cp),
                                             cp + ".alpha", group.element_length()),
                     crypto::bytes_from_json(crypto::require_field(cts[k], "beta", cp),
                                             cp + ".beta", group.element_length()));
  }
}

// Decodes every ciphertext into `out.contests` (membership checked) and records each one's
// SHA-256(alpha || beta); returns the first element that is not in the group.
std::optional<std::pair<std::string, std::string>> decode_ciphertexts(
    const crypto::Group& group, const std::vector<std::vector<std::pair<Bytes, Bytes>>>& raw,
    const std::string& prefix, CheckedBallot& out) {
  out.contests.clear();
  out.ciphertext_digests.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    crypto::CiphertextVector cts;
    for (std::size_t k = 0; k < raw[i].size(); ++k) {
      const std::string path = at(at(prefix + "contests", i) + ".ciphertexts", k);
      crypto::Ciphertext c;
      try {
        c.alpha = group.decode_var(raw[i][k].first);
      } catch (const std::invalid_argument& e) {
        return std::pair{path + ".alpha", std::string(e.what())};
      }
      try {
        c.beta = group.decode_var(raw[i][k].second);
      } catch (const std::invalid_argument& e) {
        return std::pair{path + ".beta", std::string(e.what())};
      }
      cts.push_back(std::move(c));
      // Decoding accepted the bytes, so they are the canonical encodings.
      thread_local crypto::Sha256 hasher;
      hasher.update(raw[i][k].first);
      hasher.update(raw[i][k].second);
      out.ciphertext_digests.push_back(hasher.finish());
    }
    out.contests.push_back(std::move(cts));
  }
  return std::nullopt;
}

// The proof bindings: canonical JSON of {"type":"haal-ballot-contest-v1", "context_hash",
// "credential", "contest_id"} per contest. Made once with a placeholder credential (64 hex
// digits, which need no escaping); each ballot's credential is then written over the
// placeholder, which gives byte-for-byte canonical_json_bytes of the ballot's object.
class BindingTemplates {
 public:
  explicit BindingTemplates(const VerifierContext& ctx) : ctx_(ctx) {
    const std::string placeholder(64, '0');
    const std::string key = "\"credential\":\"" + placeholder + "\"";
    for (std::size_t c = 0; c < ctx.manifest.contests.size(); ++c) {
      // A contest id canonical JSON rejects gets no template: binding() then fails per ballot,
      // as before.
      Bytes t;
      std::size_t at_key = std::string_view::npos;
      try {
        t = make(c, placeholder);
        at_key = std::string_view(reinterpret_cast<const char*>(t.data()), t.size()).find(key);
      } catch (const std::exception&) {
      }
      templates_.emplace_back(std::move(t), at_key == std::string_view::npos
                                                ? std::string_view::npos
                                                : at_key + key.size() - 1 - placeholder.size());
    }
  }
  // Returns the binding of contest i for this credential.
  Bytes binding(std::size_t i, const Bytes& credential) const {
    if (credential.size() != 32 || templates_.at(i).second == std::string_view::npos) {
      return make(i, crypto::to_hex(credential));
    }
    Bytes out = templates_.at(i).first;
    const std::string hex = crypto::to_hex(credential);
    std::copy(hex.begin(), hex.end(),
              out.begin() + static_cast<std::ptrdiff_t>(templates_[i].second));
    return out;
  }

 private:
  Bytes make(std::size_t i, const std::string& credential_hex) const {
    return crypto::canonical_json_bytes(Json{{"type", "haal-ballot-contest-v1"},
                                             {"context_hash", crypto::to_hex(ctx_.context_hash)},
                                             {"credential", credential_hex},
                                             {"contest_id", ctx_.manifest.contests[i].id}});
  }
  const VerifierContext& ctx_;
  std::vector<std::pair<Bytes, std::size_t>> templates_;  // bytes, offset of the credential
};

// Verifies one ballot object; `prefix` is its field path inside the payload ("" or "ballot.").
// Fills `out` (voter, sequence, hash, ciphertexts) or returns the first failure.
std::optional<Failure> verify_ballot(const VerifierContext& ctx, const BindingTemplates& bindings,
                                     const Json& j, const std::string& prefix, CheckedBallot& out,
                                     std::string_view canonical_text = {}) {
  const crypto::Group& group = *ctx.group;
  const std::string top = prefix.empty() ? "(top)" : prefix.substr(0, prefix.size() - 1);
  struct RawContest {
    Bytes challenge;
    std::vector<Bytes> responses;
  };
  std::vector<RawContest> raw;
  std::vector<std::vector<std::pair<Bytes, Bytes>>> encodings;  // (alpha, beta) per contest
  std::string election_id;
  Bytes context_hash;
  Bytes signature;
  // 1. Shape.
  try {
    if (!j.is_object()) throw FormatError(top, "must be a JSON object");
    crypto::reject_unknown_fields(j,
                                  {"type", "election_id", "context_hash", "voter_id", "credential",
                                   "sequence", "contests", "signature"},
                                  top);
    if (crypto::require_string(j, "type", top) != "haal-ballot-v2")
      throw FormatError(prefix + "type", "must be \"haal-ballot-v2\"");
    election_id = crypto::require_string(j, "election_id", top);
    context_hash = crypto::bytes_from_json(crypto::require_field(j, "context_hash", top),
                                           prefix + "context_hash", 32);
    out.voter_id = crypto::require_string(j, "voter_id", top);
    if (!is_valid_identifier(out.voter_id))
      throw FormatError(prefix + "voter_id", "invalid voter id");
    out.credential = crypto::bytes_from_json(crypto::require_field(j, "credential", top),
                                             prefix + "credential", 32);
    out.sequence = crypto::require_uint(j, "sequence", top);
    if (out.sequence < 1 || out.sequence > kMaxSequence)
      throw FormatError(prefix + "sequence", "must be between 1 and 2^53 - 1");
    signature = crypto::bytes_from_json(crypto::require_field(j, "signature", top),
                                        prefix + "signature", 64);
    const Json& contests = crypto::require_array(j, "contests", top);
    if (contests.size() != ctx.manifest.contests.size()) {
      throw FormatError(prefix + "contests",
                        "expected " + std::to_string(ctx.manifest.contests.size()) +
                            " contests, found " + std::to_string(contests.size()));
    }
    const std::size_t scalar_length = group.scalars().byte_length();
    for (std::size_t i = 0; i < contests.size(); ++i) {
      const ManifestContest& contest = ctx.manifest.contests[i];
      const std::string path = at(prefix + "contests", i);
      const Json& c = contests[i];
      if (!c.is_object()) throw FormatError(path, "must be a JSON object");
      crypto::reject_unknown_fields(c, {"contest_id", "ciphertexts", "proof"}, path);
      if (crypto::require_string(c, "contest_id", path) != contest.id) {
        throw FormatError(path + ".contest_id", "expected \"" + contest.id + "\" (manifest order)");
      }
      RawContest rc;
      parse_ciphertexts(group, c, path, contest.width, encodings.emplace_back());
      const Json& proof = crypto::require_field(c, "proof", path);
      if (!proof.is_object()) throw FormatError(path + ".proof", "must be a JSON object");
      crypto::reject_unknown_fields(proof, {"challenge", "responses"}, path + ".proof");
      rc.challenge =
          crypto::bytes_from_json(crypto::require_field(proof, "challenge", path + ".proof"),
                                  path + ".proof.challenge", scalar_length);
      const Json& responses = crypto::require_array(proof, "responses", path + ".proof");
      if (responses.size() != contest.width)
        throw FormatError(path + ".proof.responses",
                          "expected " + std::to_string(contest.width) + " responses");
      for (std::size_t k = 0; k < responses.size(); ++k) {
        rc.responses.push_back(
            crypto::bytes_from_json(responses[k], at(path + ".proof.responses", k), scalar_length));
      }
      raw.push_back(std::move(rc));
    }
  } catch (const FormatError& e) {
    const std::string what = e.what();
    return Failure{kShape, what.substr(0, what.find(':')), what};
  }
  // When the canonical text is at hand (a top-level ballot), hash it directly.
  out.hash =
      canonical_text.empty() ? crypto::canonical_json_hash(j) : crypto::sha256(canonical_text);
  out.tracking = tracking_hash_of(j);
  // 2. Election and context.
  if (election_id != ctx.manifest.election_id) {
    return Failure{kElection, prefix + "election_id",
                   "\"" + election_id + "\" is not this election"};
  }
  if (!std::equal(context_hash.begin(), context_hash.end(), ctx.context_hash.begin())) {
    return Failure{kElection, prefix + "context_hash", "is not this election's context hash"};
  }
  // 3. Roll.
  const auto voter = ctx.roll.find(out.voter_id);
  if (voter == ctx.roll.end())
    return Failure{kRoll, prefix + "voter_id", "voter \"" + out.voter_id + "\" is not on the roll"};
  if (voter->second != out.credential) {
    return Failure{kRoll, prefix + "credential",
                   "is not the roll's key for voter \"" + out.voter_id + "\""};
  }
  // 4. Signature.
  // The signed bytes are canonical(ballot without "signature"). From canonical text they are
  // the text without its one `,"signature":"<hex>"` member (a quote cannot occur unescaped
  // inside a string, and the shape check admitted no other "signature" key).
  Bytes signed_text;
  const std::string member = ",\"signature\":\"" + crypto::to_hex(signature) + "\"";
  const std::size_t at_member =
      canonical_text.empty() ? std::string_view::npos : canonical_text.find(member);
  if (at_member != std::string_view::npos) {
    signed_text.assign(canonical_text.begin(),
                       canonical_text.begin() + static_cast<std::ptrdiff_t>(at_member));
    signed_text.insert(
        signed_text.end(),
        canonical_text.begin() + static_cast<std::ptrdiff_t>(at_member + member.size()),
        canonical_text.end());
  } else {
    signed_text = signed_bytes(j);
  }
  if (!crypto::ed25519_verify(out.credential, signed_text, signature)) {
    return Failure{kSignature, prefix + "signature",
                   "does not verify under the voter's credential"};
  }
  // 5. Elements.
  if (const auto bad = decode_ciphertexts(group, encodings, prefix, out)) {
    return Failure{kElements, bad->first, bad->second};
  }
  // 6. Proofs, each bound to the context hash, the credential and the contest id.
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string path = at(prefix + "contests", i) + ".proof";
    const ManifestContest& contest = ctx.manifest.contests[i];
    crypto::CiphertextRandomnessProof proof;
    try {
      proof.challenge = group.scalars().decode(raw[i].challenge);
      for (const Bytes& r : raw[i].responses) proof.responses.push_back(group.scalars().decode(r));
    } catch (const std::invalid_argument& e) {
      return Failure{kProofs, path, std::string("scalar out of range: ") + e.what()};
    }
    const Bytes binding = bindings.binding(i, out.credential);
    const crypto::ProofContext pc{ctx.context_hash_bytes, binding};
    std::vector<EncodedCiphertext> encoded;
    for (const auto& [alpha, beta] : encodings[i]) encoded.push_back({alpha, beta});
    if (!randomness_proof_valid_var(group, pc, out.contests[i], encoded, proof)) {
      return Failure{kProofs, path,
                     "proof of randomness for contest \"" + contest.id + "\" does not verify"};
    }
  }
  return std::nullopt;
}

// Verifies one challenge record {"type":"haal-challenge-v2", "election_id", "context_hash",
// "contests":[{"contest_id","ciphertexts","choices","randomness"}]} up to its elements; the
// openings (choices and randomness) are checked in stage 5. Fills `out` (hash, tracking hash,
// ciphertexts) or returns the first failure.
std::optional<Failure> verify_challenge(const VerifierContext& ctx, const Json& j,
                                        std::string_view canonical_text, CheckedBallot& out) {
  const crypto::Group& group = *ctx.group;
  std::vector<std::vector<std::pair<Bytes, Bytes>>> encodings;
  std::string election_id;
  Bytes context_hash;
  try {
    if (!j.is_object()) throw FormatError("(top)", "must be a JSON object");
    crypto::reject_unknown_fields(j, {"type", "election_id", "context_hash", "contests"}, "");
    if (crypto::require_string(j, "type", "") != "haal-challenge-v2")
      throw FormatError("type", "must be \"haal-challenge-v2\"");
    election_id = crypto::require_string(j, "election_id", "");
    context_hash =
        crypto::bytes_from_json(crypto::require_field(j, "context_hash", ""), "context_hash", 32);
    const Json& contests = crypto::require_array(j, "contests", "");
    if (contests.size() != ctx.manifest.contests.size()) {
      throw FormatError("contests", "expected " + std::to_string(ctx.manifest.contests.size()) +
                                        " contests, found " + std::to_string(contests.size()));
    }
    const std::size_t scalar_length = group.scalars().byte_length();
    for (std::size_t i = 0; i < contests.size(); ++i) {
      const ManifestContest& contest = ctx.manifest.contests[i];
      const std::string path = at("contests", i);
      const Json& c = contests[i];
      if (!c.is_object()) throw FormatError(path, "must be a JSON object");
      crypto::reject_unknown_fields(c, {"contest_id", "ciphertexts", "choices", "randomness"},
                                    path);
      if (crypto::require_string(c, "contest_id", path) != contest.id) {
        throw FormatError(path + ".contest_id", "expected \"" + contest.id + "\" (manifest order)");
      }
      parse_ciphertexts(group, c, path, contest.width, encodings.emplace_back());
      crypto::require_field(c, "choices", path);
      const Json& r = crypto::require_array(c, "randomness", path);
      if (r.size() != contest.width)
        throw FormatError(path + ".randomness", "expected " + std::to_string(contest.width) +
                                                    " scalars, found " + std::to_string(r.size()));
      for (std::size_t k = 0; k < r.size(); ++k)
        crypto::bytes_from_json(r[k], at(path + ".randomness", k), scalar_length);
    }
  } catch (const FormatError& e) {
    const std::string what = e.what();
    return Failure{kShape, what.substr(0, what.find(':')), what};
  }
  out.hash = crypto::sha256(canonical_text);
  out.tracking = tracking_hash_of(j);
  if (election_id != ctx.manifest.election_id) {
    return Failure{kElection, "election_id", "\"" + election_id + "\" is not this election"};
  }
  if (!std::equal(context_hash.begin(), context_hash.end(), ctx.context_hash.begin())) {
    return Failure{kElection, "context_hash", "is not this election's context hash"};
  }
  if (const auto bad = decode_ciphertexts(group, encodings, "", out)) {
    return Failure{kElements, bad->first, bad->second};
  }
  return std::nullopt;
}

std::optional<Failure> verify_entry(const VerifierContext& ctx, const BindingTemplates& bindings,
                                    const BoardRecordEntry& entry, CheckedBallot& out) {
  Json j = Json::parse(entry.payload, nullptr, false);
  if (j.is_discarded()) return Failure{kCanonical, "", "not JSON"};
  try {
    const Bytes canonical = crypto::canonical_json_bytes(j);
    if (std::string_view(reinterpret_cast<const char*>(canonical.data()), canonical.size()) !=
        entry.payload) {
      return Failure{kCanonical, "",
                     "the payload is not in canonical JSON form (docs/crypto.md section 3)"};
    }
  } catch (const std::exception& e) {
    return Failure{kCanonical, "", e.what()};
  }
  if (!out.challenge) return verify_ballot(ctx, bindings, j, "", out, entry.payload);
  return verify_challenge(ctx, j, entry.payload, out);
}

}  // namespace

// tracking_hash = SHA-256(canonical JSON of {"type":"haal-tracking-v1", "election_id",
// "context_hash", "contests":[{"contest_id","ciphertexts"}]}) of a shape-checked ballot or
// challenge (docs/ballots.md section 7).
Digest tracking_hash_of(const Json& j) {
  Json contests = Json::array();
  for (const Json& c : j.at("contests")) {
    contests.push_back({{"contest_id", c.at("contest_id")}, {"ciphertexts", c.at("ciphertexts")}});
  }
  return crypto::canonical_json_hash(Json{{"type", "haal-tracking-v1"},
                                          {"election_id", j.at("election_id")},
                                          {"context_hash", j.at("context_hash")},
                                          {"contests", std::move(contests)}});
}

void check_ballots(const VerifierContext& ctx, BoardData& board, BallotData& ballots,
                   Report& report) {
  if (!ctx.has_group() || !board.entries_read) {
    report.fail(kStage, "ballots", "board/entries.jsonl",
                "skipped: stages 1 and 3 did not establish the group and the board entries");
    return;
  }
  for (std::size_t i = 0; i < board.entries.size(); ++i) {
    const std::string& kind = board.entries[i].kind;
    if (kind == kKindBallot || kind == kKindChallenge) {
      CheckedBallot b;
      b.board_index = i;
      b.challenge = kind == kKindChallenge;
      ballots.ballots.push_back(std::move(b));
    }
  }
  std::vector<std::unique_ptr<BulkCheck>> checks;
  for (const char* name : kCheckNames)
    checks.push_back(std::make_unique<BulkCheck>(report, kStage, name));
  std::size_t challenges = 0;
  for (const CheckedBallot& b : ballots.ballots) challenges += b.challenge ? 1 : 0;
  const BindingTemplates bindings(ctx);
  {
    base::Progress progress("stage 4: ballots", ballots.ballots.size(), ctx.progress);
    base::parallel_for(
        ballots.ballots.size(), 64,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t k = begin; k < end; ++k) {
            CheckedBallot& b = ballots.ballots[k];
            const BoardRecordEntry& entry = board.entries[b.board_index];
            std::optional<Failure> failure;
            try {
              failure = verify_entry(ctx, bindings, entry, b);
            } catch (const std::exception& e) {
              failure = Failure{kShape, "", e.what()};
            }
            const std::string location =
                "board/entries.jsonl line " + std::to_string(b.board_index + 1) + " (entry " +
                std::to_string(b.board_index) + ", " + entry.kind + ").payload" +
                (failure && !failure->field.empty() ? "." + failure->field : "");
            if (failure) {
              b.failure = failure->reason;
              checks[failure->check]->fail(k, location, failure->reason);
            } else {
              b.valid = true;
            }
          }
        },
        &progress, ctx.threads);
  }
  const std::size_t total = ballots.ballots.size();
  for (int c = 0; c < kCheckCount; ++c) {
    if (c == kRoll || c == kSignature || c == kProofs) {
      checks[c]->finish(total - challenges, "ballots", "board/entries.jsonl");
    } else {
      checks[c]->finish(total, "ballots and challenges", "board/entries.jsonl");
    }
  }

  // No replays: each ciphertext (alpha || beta) appears once on the board, and so does each
  // ballot (a ballot is either cast or challenged, once).
  {
    BulkCheck replay(report, kStage, "no replayed ballot or ciphertext");
    std::unordered_map<std::string, std::size_t> seen_ciphertexts;
    std::map<Digest, std::size_t> seen_ballots;
    std::size_t k = 0;
    for (const CheckedBallot& b : ballots.ballots) {
      const std::string location = "board/entries.jsonl line " + std::to_string(b.board_index + 1) +
                                   " (entry " + std::to_string(b.board_index) + ")";
      if (b.contests.empty()) {
        ++k;
        continue;
      }
      const auto [it, fresh] = seen_ballots.emplace(b.hash, b.board_index);
      if (!fresh) {
        replay.fail(k++, location,
                    "ballot " + crypto::to_hex(b.hash) + " already on the board at entry " +
                        std::to_string(it->second));
        continue;
      }
      std::size_t flat = 0;
      for (std::size_t i = 0; i < b.contests.size(); ++i) {
        for (std::size_t w = 0; w < b.contests[i].size(); ++w) {
          const crypto::Digest& d = b.ciphertext_digests.at(flat++);
          const auto [at_it, new_ct] =
              seen_ciphertexts.emplace(std::string(d.begin(), d.end()), b.board_index);
          if (!new_ct) {
            replay.fail(
                k,
                location + ".payload.contests[" + std::to_string(i) + "].ciphertexts[" +
                    std::to_string(w) + "]",
                "ciphertext already on the board at entry " + std::to_string(at_it->second));
          }
        }
      }
      ++k;
    }
    replay.finish(total, "ballots and challenges", "board/entries.jsonl");
  }
  // Re-votes count up: each cast ballot's sequence exceeds the voter's previous cast ballot's.
  {
    BulkCheck sequence(report, kStage, "re-vote sequence numbers increase in board order");
    std::unordered_map<std::string, std::pair<std::uint64_t, std::size_t>> latest;
    std::size_t cast = 0;
    for (std::size_t k = 0; k < ballots.ballots.size(); ++k) {
      const CheckedBallot& b = ballots.ballots[k];
      if (b.challenge || !b.valid) continue;
      ++cast;
      auto [it, fresh] = latest.emplace(b.voter_id, std::pair{b.sequence, b.board_index});
      if (fresh) continue;
      if (b.sequence <= it->second.first) {
        sequence.fail(k,
                      "board/entries.jsonl line " + std::to_string(b.board_index + 1) + " (entry " +
                          std::to_string(b.board_index) + ").payload.sequence",
                      std::to_string(b.sequence) + " is not above " +
                          std::to_string(it->second.first) + " of the voter's ballot at entry " +
                          std::to_string(it->second.second));
      }
      it->second = {std::max(b.sequence, it->second.first), b.board_index};
    }
    sequence.finish(cast, "cast ballots", "board/entries.jsonl");
  }
  ballots.checked = true;
  // The payload text is no longer needed; free it before the later stages.
  for (BoardRecordEntry& e : board.entries) {
    if (e.kind == kKindBallot) std::string().swap(e.payload);
  }
}

}  // namespace haal::verifier
