#include "ceremony/record.hpp"

#include <algorithm>
#include <set>

#include "crypto/canonical_json.hpp"

namespace haal::ceremony {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string round_name(Round round) {
  switch (round) {
    case Round::kCommitment:
      return "round 1 commitments";
    case Round::kReveal:
      return "round 1 reveals";
    case Round::kShares:
      return "round 2 shares";
    case Round::kComplaints:
      return "round 3 complaint statements";
    case Round::kAnswer:
      return "round 3 answers";
  }
  return "?";
}

}  // namespace

std::string round_file(Round round, std::uint32_t trustee) {
  switch (round) {
    case Round::kCommitment:
      return commitment_file(trustee);
    case Round::kReveal:
      return reveal_file(trustee);
    case Round::kShares:
      return shares_file(trustee);
    case Round::kComplaints:
      return complaints_file(trustee);
    case Round::kAnswer:
      return answer_file(trustee);
  }
  return "?";
}

std::vector<Identity> load_identities(const CeremonyParameters& params,
                                      const CeremonyBoard& board) {
  std::vector<Identity> identities;
  std::vector<std::string> missing;
  for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
    const std::string file = identity_file(i);
    const auto j = board.load(file);
    if (!j) {
      missing.push_back(file);
      continue;
    }
    identities.push_back(parse_identity(params, *j, i, file));
  }
  if (!missing.empty()) {
    throw CeremonyError("round 0 is incomplete: missing " + join(missing) + " in " +
                        board.directory().string() +
                        " (every trustee must run `haal trustee init` and publish its identity)");
  }
  std::set<Bytes> signing, encryption;
  for (const Identity& id : identities) {
    if (!signing.insert(id.signing_key).second || !encryption.insert(id.encryption_key).second) {
      throw CeremonyError(identity_file(id.trustee) +
                          ": reuses another trustee's key; each trustee needs its own keys");
    }
  }
  return identities;
}

CeremonyRecord CeremonyRecord::load(const CeremonyParameters& params, const CeremonyBoard& board) {
  CeremonyRecord record;
  for (Identity& id : load_identities(params, board)) {
    record.hashes_.push_back(
        FileHash{identity_file(id.trustee),
                 crypto::canonical_json_hash(*board.load(identity_file(id.trustee)))});
    TrusteeMessages m;
    m.identity = std::move(id);
    record.trustees_.push_back(std::move(m));
  }
  for (TrusteeMessages& m : record.trustees_) {
    const std::uint32_t i = m.identity.trustee;
    const Bytes& key = m.identity.signing_key;
    auto load = [&](const std::string& file) {
      auto j = board.load(file);
      if (j) record.hashes_.push_back(FileHash{file, crypto::canonical_json_hash(*j)});
      return j;
    };
    if (auto j = load(commitment_file(i))) {
      m.commitment = parse_commitment(params, *j, i, key, commitment_file(i));
    }
    if (auto j = load(reveal_file(i))) m.reveal = parse_reveal(params, *j, i, key, reveal_file(i));
    if (auto j = load(shares_file(i))) m.shares = parse_shares(params, *j, i, key, shares_file(i));
    if (auto j = load(complaints_file(i))) {
      m.complaints = parse_complaints(params, *j, i, key, complaints_file(i));
    }
    if (auto j = load(answer_file(i))) m.answer = parse_answer(params, *j, i, key, answer_file(i));
  }
  std::sort(record.hashes_.begin(), record.hashes_.end(),
            [](const FileHash& a, const FileHash& b) { return a.file < b.file; });
  return record;
}

bool CeremonyRecord::has(Round round, std::uint32_t index) const {
  const TrusteeMessages& m = trustee(index);
  switch (round) {
    case Round::kCommitment:
      return m.commitment.has_value();
    case Round::kReveal:
      return m.reveal.has_value();
    case Round::kShares:
      return m.shares.has_value();
    case Round::kComplaints:
      return m.complaints.has_value();
    case Round::kAnswer:
      return m.answer.has_value();
  }
  return false;
}

std::vector<std::string> CeremonyRecord::missing(Round round) const {
  std::vector<std::string> out;
  for (std::uint32_t i = 1; i <= count(); ++i) {
    if (!has(round, i)) out.push_back(round_file(round, i));
  }
  return out;
}

std::optional<Digest> CeremonyRecord::file_hash(const std::string& file) const {
  for (const FileHash& f : hashes_) {
    if (f.file == file) return f.sha256;
  }
  return std::nullopt;
}

bool require_round(const CeremonyRecord& record, Round round, bool allow_missing,
                   std::ostream& log) {
  const std::vector<std::string> missing = record.missing(round);
  if (missing.empty()) {
    log << "  " << round_name(round) << ": all " << record.count() << " present\n";
    return true;
  }
  if (!allow_missing) {
    throw CeremonyError(round_name(round) + " are incomplete: missing " + join(missing) +
                        ". Wait for those trustees, or pass --allow-missing once the deadline "
                        "has passed to disqualify them.");
  }
  log << "  " << round_name(round) << ": missing " << join(missing)
      << " (--allow-missing: treated as absent)\n";
  return false;
}

void require_round_without_override(const CeremonyRecord& record, Round round,
                                    const std::string& step, std::ostream& log) {
  const std::vector<std::string> missing = record.missing(round);
  if (missing.empty()) {
    log << "  " << round_name(round) << ": all " << record.count() << " present\n";
    return;
  }
  throw CeremonyError(round_name(round) + " are incomplete: missing " + join(missing) + ". `" +
                      step + "` needs every trustee's, whatever the deadline (no option " +
                      "overrides this: docs/ceremony.md section 5). Wait for those trustees, " +
                      "copy their files into the election's ceremony/ folder and run `" + step +
                      "` again; if a trustee never delivers, the ceremony must start again " +
                      "with a new manifest.");
}

}  // namespace haal::ceremony
