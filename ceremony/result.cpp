#include "ceremony/result.hpp"

#include "ceremony/polynomial.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"

namespace haal::ceremony {

using crypto::FormatError;

namespace {

constexpr std::string_view kResultFormat = "haal-ceremony-result-v1";
constexpr std::string_view kReasons[] = {
    "missing-commitment", "missing-reveal",       "commitment-mismatch",   "invalid-proof",
    "missing-shares",     "unanswered-complaint", "invalid-revealed-share"};

std::string trustee_name(std::uint32_t i) {
  return "trustee " + std::to_string(i);
}

// Every complaint statement lists the hashes of the messages its author verified; they must be
// the messages on this board, or trustees did not all see the same ceremony.
void check_consistent_views(const CeremonyRecord& record) {
  for (std::uint32_t j = 1; j <= record.count(); ++j) {
    const auto& complaints = record.trustee(j).complaints;
    if (!complaints) continue;
    for (const FileHash& f : complaints->verified) {
      const auto here = record.file_hash(f.file);
      if (!here || *here != f.sha256) {
        throw CeremonyError(trustee_name(j) + " verified a different version of " + f.file +
                            " than the one on this board" + (here ? "" : " (absent here)") +
                            "; collect the genuine messages before finalizing");
      }
    }
  }
}

}  // namespace

const TrusteeKeys* CeremonyResult::find(std::uint32_t trustee) const {
  for (const TrusteeKeys& k : trustees) {
    if (k.trustee == trustee) return &k;
  }
  return nullptr;
}

std::optional<Fault> qualification_fault_var(const CeremonyParameters& params,
                                             const CeremonyRecord& record, std::uint32_t i) {
  const TrusteeMessages& m = record.trustee(i);
  if (!m.commitment) return Fault{"missing-commitment", trustee_name(i) + " sent no commitment"};
  if (!m.reveal) return Fault{"missing-reveal", trustee_name(i) + " revealed no commitments"};
  if (auto fault = check_reveal_var(params, *m.reveal, *m.commitment)) return fault;
  if (!m.shares) return Fault{"missing-shares", trustee_name(i) + " sent no shares"};
  for (std::uint32_t j = 1; j <= record.count(); ++j) {
    const auto& complaints = record.trustee(j).complaints;
    if (!complaints) continue;
    for (const Complaint& c : complaints->complaints) {
      if (c.accused != i) continue;
      const RevealedShare* revealed = nullptr;
      if (m.answer) {
        for (const RevealedShare& r : m.answer->revealed) {
          if (r.complainer == j) revealed = &r;
        }
      }
      if (revealed == nullptr) {
        return Fault{"unanswered-complaint", trustee_name(j) + " complained (" + c.reason +
                                                 ") and " + trustee_name(i) +
                                                 " did not reveal the share it sent"};
      }
      const Element expected = evaluate_commitments_var(*params.group, m.reveal->commitments, j);
      if (!params.group->equal(params.group->exp_generator_var(revealed->share), expected)) {
        return Fault{"invalid-revealed-share",
                     trustee_name(i) + " revealed a share for " + trustee_name(j) +
                         " that does not match its commitments (proven to cheat)"};
      }
    }
  }
  return std::nullopt;
}

CeremonyResult compute_ceremony_result(const CeremonyParameters& params, const CeremonyBoard& board,
                                       bool allow_missing, std::ostream& log) {
  const CeremonyRecord record = CeremonyRecord::load(params, board);
  log << "checking the ceremony messages in " << board.directory().string() << "\n";
  for (Round r :
       {Round::kCommitment, Round::kReveal, Round::kShares, Round::kComplaints, Round::kAnswer}) {
    require_round(record, r, allow_missing, log);
  }
  check_consistent_views(record);

  const Group& group = *params.group;
  CeremonyResult result;
  result.election_id = params.election_id;
  result.manifest_hash = params.manifest_hash;
  result.group = params.group;
  result.trustee_count = params.trustee_count;
  result.threshold = params.threshold;
  result.messages = record.file_hashes();
  for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
    if (auto fault = qualification_fault_var(params, record, i)) {
      log << "  " << trustee_name(i) << ": DISQUALIFIED (" << fault->code << "): " << fault->detail
          << "\n";
      result.disqualified.push_back(Disqualification{i, fault->code});
    } else {
      log << "  " << trustee_name(i) << ": qualified\n";
      result.qualified.push_back(i);
    }
  }
  if (result.qualified.size() < params.threshold) {
    throw CeremonyError("only " + std::to_string(result.qualified.size()) +
                        " trustees qualified; threshold " + std::to_string(params.threshold) +
                        " needs at least that many. The ceremony has failed and must be rerun "
                        "without the disqualified trustees.");
  }
  // A_k = prod_{i in Q} C_{i,k}: the commitments to the joint polynomial sum_{i in Q} f_i.
  std::vector<Element> joint(params.threshold, group.identity());
  for (const std::uint32_t i : result.qualified) {
    const auto& c = record.trustee(i).reveal->commitments;
    for (std::size_t k = 0; k < params.threshold; ++k) joint[k] = group.mul(joint[k], c[k]);
  }
  result.joint_public_key = joint[0];
  for (const std::uint32_t j : result.qualified) {
    result.trustees.push_back(TrusteeKeys{j, record.trustee(j).identity.signing_key,
                                          evaluate_commitments_var(group, joint, j)});
  }
  log << "  joint public key: " << group.to_hex(result.joint_public_key) << "\n";
  return result;
}

Json ceremony_result_to_json(const CeremonyResult& r) {
  const Group& group = *r.group;
  Json disqualified = Json::array();
  for (const auto& d : r.disqualified) {
    disqualified.push_back(Json{{"trustee", d.trustee}, {"reason", d.reason}});
  }
  Json trustees = Json::array();
  for (const auto& k : r.trustees) {
    trustees.push_back(Json{{"trustee", k.trustee},
                            {"signing_key", crypto::to_hex(k.signing_key)},
                            {"verification_key", group.to_hex(k.verification_key)}});
  }
  Json messages = Json::array();
  for (const auto& f : r.messages) {
    messages.push_back(Json{{"file", f.file}, {"sha256", crypto::to_hex(f.sha256)}});
  }
  return Json{{"format", kResultFormat},
              {"election_id", r.election_id},
              {"manifest_hash", crypto::to_hex(r.manifest_hash)},
              {"group", group.name()},
              {"trustee_count", r.trustee_count},
              {"threshold", r.threshold},
              {"qualified", r.qualified},
              {"disqualified", std::move(disqualified)},
              {"public_key", group.to_hex(r.joint_public_key)},
              {"trustees", std::move(trustees)},
              {"messages", std::move(messages)}};
}

CeremonyResult ceremony_result_from_json(const Json& j, const std::string& path) {
  crypto::reject_unknown_fields(
      j,
      {"format", "election_id", "manifest_hash", "group", "trustee_count", "threshold", "qualified",
       "disqualified", "public_key", "trustees", "messages"},
      path);
  if (crypto::require_string(j, "format", path) != kResultFormat) {
    throw FormatError(path + ".format", "must be \"" + std::string(kResultFormat) + "\"");
  }
  CeremonyResult r;
  r.election_id = crypto::require_string(j, "election_id", path);
  const Bytes mh = crypto::bytes_from_json(crypto::require_field(j, "manifest_hash", path),
                                           path + ".manifest_hash", 32);
  std::copy(mh.begin(), mh.end(), r.manifest_hash.begin());
  try {
    r.group = &crypto::group_by_name(crypto::require_string(j, "group", path));
  } catch (const std::invalid_argument& e) {
    throw FormatError(path + ".group", e.what());
  }
  const Group& group = *r.group;
  const std::uint64_t n = crypto::require_uint(j, "trustee_count", path);
  const std::uint64_t t = crypto::require_uint(j, "threshold", path);
  if (n < 1 || n > kMaxTrustees) throw FormatError(path + ".trustee_count", "out of range");
  if (t < 1 || t > n) throw FormatError(path + ".threshold", "must be in 1..trustee_count");
  r.trustee_count = static_cast<std::uint32_t>(n);
  r.threshold = static_cast<std::uint32_t>(t);
  const Json& qualified = crypto::require_array(j, "qualified", path);
  for (std::size_t k = 0; k < qualified.size(); ++k) {
    const std::string p = path + ".qualified[" + std::to_string(k) + "]";
    if (!qualified[k].is_number_unsigned()) throw FormatError(p, "must be a trustee index");
    const auto v = qualified[k].get<std::uint64_t>();
    if (v < 1 || v > n || (!r.qualified.empty() && v <= r.qualified.back())) {
      throw FormatError(p, "must be ascending trustee indices in 1..trustee_count");
    }
    r.qualified.push_back(static_cast<std::uint32_t>(v));
  }
  if (r.qualified.size() < t) throw FormatError(path + ".qualified", "fewer than threshold");
  const Json& disqualified = crypto::require_array(j, "disqualified", path);
  for (std::size_t k = 0; k < disqualified.size(); ++k) {
    const std::string p = path + ".disqualified[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(disqualified[k], {"trustee", "reason"}, p);
    r.disqualified.push_back(Disqualification{
        static_cast<std::uint32_t>(crypto::require_uint(disqualified[k], "trustee", p)),
        crypto::require_string(disqualified[k], "reason", p)});
  }
  // Every trustee is either qualified or disqualified, never both, never neither.
  std::vector<int> seen(r.trustee_count + 1, 0);
  for (const auto i : r.qualified) ++seen[i];
  for (std::size_t k = 0; k < r.disqualified.size(); ++k) {
    const auto& d = r.disqualified[k];
    const std::string p = path + ".disqualified[" + std::to_string(k) + "]";
    if (d.trustee < 1 || d.trustee > r.trustee_count || ++seen[d.trustee] != 1) {
      throw FormatError(p + ".trustee", "must be a trustee index listed nowhere else");
    }
    if (std::find(std::begin(kReasons), std::end(kReasons), d.reason) == std::end(kReasons)) {
      throw FormatError(p + ".reason", "unknown reason code");
    }
  }
  for (std::uint32_t i = 1; i <= r.trustee_count; ++i) {
    if (seen[i] != 1) {
      throw FormatError(path + ".disqualified",
                        "trustee " + std::to_string(i) + " is neither qualified nor disqualified");
    }
  }
  r.joint_public_key = crypto::element_from_json(
      group, crypto::require_field(j, "public_key", path), path + ".public_key");
  const Json& trustees = crypto::require_array(j, "trustees", path);
  if (trustees.size() != r.qualified.size()) {
    throw FormatError(path + ".trustees", "must list exactly the qualified trustees");
  }
  for (std::size_t k = 0; k < trustees.size(); ++k) {
    const std::string p = path + ".trustees[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(trustees[k], {"trustee", "signing_key", "verification_key"}, p);
    TrusteeKeys keys;
    keys.trustee = static_cast<std::uint32_t>(crypto::require_uint(trustees[k], "trustee", p));
    if (keys.trustee != r.qualified[k]) {
      throw FormatError(p + ".trustee", "must be " + std::to_string(r.qualified[k]));
    }
    keys.signing_key = crypto::bytes_from_json(crypto::require_field(trustees[k], "signing_key", p),
                                               p + ".signing_key", 32);
    crypto::require_ed25519_public_key(keys.signing_key, p + ".signing_key");
    keys.verification_key = crypto::element_from_json(
        group, crypto::require_field(trustees[k], "verification_key", p), p + ".verification_key");
    r.trustees.push_back(std::move(keys));
  }
  const Json& messages = crypto::require_array(j, "messages", path);
  for (std::size_t k = 0; k < messages.size(); ++k) {
    const std::string p = path + ".messages[" + std::to_string(k) + "]";
    crypto::reject_unknown_fields(messages[k], {"file", "sha256"}, p);
    FileHash f;
    f.file = crypto::require_string(messages[k], "file", p);
    const Bytes h =
        crypto::bytes_from_json(crypto::require_field(messages[k], "sha256", p), p + ".sha256", 32);
    std::copy(h.begin(), h.end(), f.sha256.begin());
    r.messages.push_back(std::move(f));
  }
  return r;
}

CeremonyResult load_ceremony_result(const std::filesystem::path& election_dir) {
  const CeremonyParameters params = load_ceremony_parameters(election_dir);
  const std::filesystem::path file = election_dir / "ceremony" / kResultFile;
  if (!std::filesystem::exists(file)) {
    throw CeremonyError(file.string() + " does not exist: finish the key ceremony first");
  }
  CeremonyResult result = ceremony_result_from_json(read_json_file(file), file.string());
  if (result.election_id != params.election_id || result.manifest_hash != params.manifest_hash ||
      result.group != params.group || result.trustee_count != params.trustee_count ||
      result.threshold != params.threshold) {
    throw CeremonyError(file.string() + " belongs to another election or manifest than " +
                        (election_dir / "manifest.json").string());
  }
  return result;
}

CeremonyResult verify_ceremony_result(const std::filesystem::path& election_dir,
                                      std::ostream& log) {
  const CeremonyParameters params = load_ceremony_parameters(election_dir);
  const CeremonyBoard board(election_dir);
  CeremonyResult result = compute_ceremony_result(params, board, true, log);
  const auto published = board.load(kResultFile);
  if (!published) {
    throw CeremonyError((board.directory() / kResultFile).string() + " is missing");
  }
  if (crypto::canonical_json_bytes(*published) !=
      crypto::canonical_json_bytes(ceremony_result_to_json(result))) {
    throw CeremonyError((board.directory() / kResultFile).string() +
                        " differs from the result the published messages give");
  }
  log << "  " << kResultFile << " matches the messages\n";
  return result;
}

void publish_ceremony_result(const CeremonyBoard& board, const CeremonyResult& result,
                             std::ostream& log) {
  const Json j = ceremony_result_to_json(result);
  if (const auto existing = board.load(kResultFile)) {
    if (crypto::canonical_json_bytes(*existing) != crypto::canonical_json_bytes(j)) {
      throw CeremonyError((board.directory() / kResultFile).string() +
                          " differs from the result the published messages give; do not use it");
    }
    log << "  " << kResultFile << " exists and matches the messages\n";
    return;
  }
  board.publish(kResultFile, j);
  log << "  wrote " << (board.directory() / kResultFile).string() << " (sha256 "
      << crypto::to_hex(crypto::canonical_json_hash(j)) << ")\n";
}

}  // namespace haal::ceremony
