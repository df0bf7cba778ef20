// Stage 2: the key ceremony, re-checked from its public messages (docs/ceremony.md): identities
// and signatures, hash commitments opened, Feldman commitments and their Schnorr proofs,
// complaints resolved, qualification, joint public key, verification keys, result.json.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/proof_schnorr.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

using crypto::Bytes;
using crypto::Element;
using crypto::FormatError;
using crypto::Json;

namespace {

constexpr Stage kStage = Stage::kCeremony;
const std::string kDir = "ceremony/";

crypto::Digest digest_of(const Json& j, const std::string& path,
                         std::string_view key = "commitment_hash") {
  const Bytes b = crypto::bytes_from_json(crypto::require_field(j, key, path),
                                          path + "." + std::string(key), 32);
  crypto::Digest d{};
  std::copy(b.begin(), b.end(), d.begin());
  return d;
}

std::string file_name(std::string_view round, std::uint32_t trustee) {
  return std::string(round) + "-trustee-" + std::to_string(trustee) + ".json";
}

struct Round {
  std::string_view prefix;
  std::string_view format;
  std::initializer_list<std::string_view> body;
};
const Round kIdentity{
    "round0-identity", "haal-ceremony-identity-v1", {"signing_key", "encryption_key"}};
const Round kCommitment{"round1-commitment", "haal-ceremony-commitment-v1", {"commitment_hash"}};
const Round kReveal{
    "round1-reveal", "haal-ceremony-reveal-v1", {"coefficient_commitments", "proofs"}};
const Round kShares{"round2-shares", "haal-ceremony-shares-v1", {"shares"}};
const Round kComplaints{
    "round3-complaints", "haal-ceremony-complaints-v1", {"complaints", "verified"}};
const Round kAnswer{"round3-answer", "haal-ceremony-answer-v1", {"revealed_shares"}};

// Ed25519 over LP("HAAL-V1-CEREMONY-MESSAGE") || canonical JSON of the message without
// "signature".
bool message_signature_valid(const Json& message, crypto::ByteView key, const std::string& path) {
  const Bytes signature = crypto::bytes_from_json(crypto::require_field(message, "signature", path),
                                                  path + ".signature", 64);
  Json unsigned_message = message;
  unsigned_message.erase("signature");
  Bytes input;
  crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-CEREMONY-MESSAGE"));
  const Bytes body = crypto::canonical_json_bytes(unsigned_message);
  input.insert(input.end(), body.begin(), body.end());
  return crypto::ed25519_verify(key, input, signature);
}

struct Params {
  std::string election_id;
  std::string manifest_hash_hex;
  Bytes manifest_hash;
  const crypto::Group* group = nullptr;
  std::uint32_t n = 0;
  std::uint32_t t = 0;
};

// Checks shape and header of a message of `round` from `trustee`.
void check_header(const Params& p, const Json& j, const Round& round, std::uint32_t trustee,
                  const std::string& path) {
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    const bool header = key == "format" || key == "election_id" || key == "manifest_hash" ||
                        key == "trustee" || key == "signature";
    if (!header && std::find(round.body.begin(), round.body.end(), key) == round.body.end()) {
      throw FormatError(path + "." + key, "unknown field");
    }
  }
  if (crypto::require_string(j, "format", path) != round.format) {
    throw FormatError(path + ".format", "must be \"" + std::string(round.format) + "\"");
  }
  if (crypto::require_string(j, "election_id", path) != p.election_id) {
    throw FormatError(path + ".election_id", "is for another election");
  }
  if (crypto::require_string(j, "manifest_hash", path) != p.manifest_hash_hex) {
    throw FormatError(path + ".manifest_hash", "does not match this election's manifest");
  }
  if (crypto::require_uint(j, "trustee", path) != trustee) {
    throw FormatError(path + ".trustee", "must be " + std::to_string(trustee));
  }
}

std::uint32_t trustee_index(const Params& p, const Json& j, std::string_view key,
                            const std::string& path) {
  const std::uint64_t v = crypto::require_uint(j, key, path);
  if (v < 1 || v > p.n) {
    throw FormatError(path + "." + std::string(key),
                      "must be a trustee index in 1.." + std::to_string(p.n));
  }
  return static_cast<std::uint32_t>(v);
}

// prod_k C_k^{x^k}: the Feldman commitment evaluated at x.
Element evaluate_commitments(const crypto::Group& group, const std::vector<Element>& commitments,
                             std::uint32_t x) {
  const crypto::ScalarField& field = group.scalars();
  std::vector<crypto::Scalar> powers;
  crypto::Scalar power = field.from_u64(1);
  for (std::size_t k = 0; k < commitments.size(); ++k) {
    powers.push_back(power);
    power = field.mul(power, field.from_u64(x));
  }
  return group.multi_exp_var(commitments, powers);
}

struct TrusteeState {
  Bytes signing_key;
  Bytes encryption_key;
  bool identity_ok = false;
  std::optional<crypto::Digest> commitment_hash;
  std::optional<std::vector<Element>> commitments;  // parsed and signed reveal
  bool reveal_opens = false;
  bool proofs_ok = false;
  bool shares = false;
  std::optional<std::vector<std::pair<std::uint32_t, std::string>>> complaints;  // accused, reason
  std::vector<std::pair<std::string, crypto::Digest>> verified;
  std::optional<std::map<std::uint32_t, crypto::Scalar>> answer;  // complainer -> share
};

// What the stage has read so far, handed from one section to the next.
struct Ceremony {
  const RecordReader& record;
  Params p;
  std::map<std::string, crypto::Digest> message_hashes;  // file -> canonical hash
  std::vector<TrusteeState> trustees;                    // indices 1..n

  // Returns ceremony/<file> and records its canonical hash, or nullopt when it is absent.
  std::optional<Json> load(const std::string& file) {
    if (!record.exists(kDir + file)) return std::nullopt;
    Json j = record.read_json(kDir + file);
    message_hashes[file] = crypto::canonical_json_hash(j);
    return j;
  }
};

// The qualification the messages give.
struct Qualification {
  std::vector<std::uint32_t> qualified;
  std::vector<std::pair<std::uint32_t, std::string>> disqualified;  // trustee, reason
};

// Round 0: identities, self-signed. Returns false (after reporting) when one is missing or bad.
bool check_identities(Ceremony& c, Report& report) {
  const Params& p = c.p;
  const std::string check = "trustee identities are present and self-signed";
  std::size_t failed = 0;
  std::set<Bytes> signing, encryption;
  for (std::uint32_t i = 1; i <= p.n; ++i) {
    const std::string file = file_name(kIdentity.prefix, i);
    const std::string path = kDir + file;
    try {
      const auto j = c.load(file);
      if (!j) throw FormatError(path, "missing: every trustee publishes its identity in round 0");
      check_header(p, *j, kIdentity, i, path);
      TrusteeState& s = c.trustees[i];
      s.signing_key = crypto::bytes_from_json(crypto::require_field(*j, "signing_key", path),
                                              path + ".signing_key", 32);
      crypto::require_ed25519_public_key(s.signing_key, path + ".signing_key");
      s.encryption_key = crypto::bytes_from_json(crypto::require_field(*j, "encryption_key", path),
                                                 path + ".encryption_key", 32);
      if (!message_signature_valid(*j, s.signing_key, path)) {
        throw FormatError(path + ".signature",
                          "not a valid self-signature by trustee " + std::to_string(i));
      }
      if (!signing.insert(s.signing_key).second || !encryption.insert(s.encryption_key).second) {
        throw FormatError(path, "reuses another trustee's key");
      }
      s.identity_ok = true;
    } catch (const std::exception& e) {
      ++failed;
      report.fail(kStage, check, path, e.what());
    }
  }
  if (failed > 0) return false;
  report.pass(kStage, check + " (" + std::to_string(p.n) + " trustees)",
              kDir + "round0-identity-trustee-*.json");
  return true;
}

// Round 1b body: t coefficient commitments and t Schnorr proofs.
void parse_reveal(const Params& p, const Json& j, const std::string& path,
                  std::vector<Element>& commitments, std::vector<crypto::SchnorrProof>& proofs) {
  const crypto::Group& group = *p.group;
  const Json& cs = crypto::require_array(j, "coefficient_commitments", path);
  const Json& ps = crypto::require_array(j, "proofs", path);
  if (cs.size() != p.t)
    throw FormatError(path + ".coefficient_commitments",
                      "must have threshold = " + std::to_string(p.t) + " entries");
  if (ps.size() != p.t)
    throw FormatError(path + ".proofs",
                      "must have threshold = " + std::to_string(p.t) + " entries");
  for (std::size_t k = 0; k < cs.size(); ++k) {
    commitments.push_back(crypto::element_from_json(
        group, cs[k], path + ".coefficient_commitments[" + std::to_string(k) + "]"));
    proofs.push_back(
        crypto::schnorr_proof_from_json(group, ps[k], path + ".proofs[" + std::to_string(k) + "]"));
  }
}

// Round 1: trustee i's hash commitment opens to its revealed coefficient commitments and each
// Schnorr proof verifies; a failure disqualifies the trustee (reported as such, not a FAIL: it
// is checked against result.json later).
void check_reveal(const Params& p, std::uint32_t i, TrusteeState& s,
                  const std::vector<crypto::SchnorrProof>& proofs, Report& report) {
  const crypto::Group& group = *p.group;
  const std::vector<Element>& commitments = *s.commitments;
  // SHA-256(LP("HAAL-V1-CEREMONY-COMMITMENT") || LP(manifest_hash) || u32(i) || u32(t) || C_0
  // || ... || C_{t-1}).
  if (s.commitment_hash) {
    Bytes input;
    crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-CEREMONY-COMMITMENT"));
    crypto::append_length_prefixed(input, p.manifest_hash);
    crypto::append_u32_be(input, i);
    crypto::append_u32_be(input, static_cast<std::uint32_t>(commitments.size()));
    for (const Element& c : commitments) {
      const Bytes e = group.encode(c);
      input.insert(input.end(), e.begin(), e.end());
    }
    s.reveal_opens = crypto::sha256(input) == *s.commitment_hash;
  }
  s.proofs_ok = true;
  for (std::size_t k = 0; k < commitments.size(); ++k) {
    const std::string binding =
        "ceremony/trustee:" + std::to_string(i) + "/coefficient:" + std::to_string(k);
    const crypto::ProofContext pc{p.manifest_hash, crypto::to_bytes(binding)};
    if (!crypto::schnorr_verify_var(group, pc, group.generator(), commitments[k], proofs[k])) {
      s.proofs_ok = false;
      report.pass(kStage,
                  "trustee " + std::to_string(i) +
                      " disqualified (invalid-proof): the Schnorr proof for coefficient " +
                      std::to_string(k) + " does not verify",
                  kDir + file_name(kReveal.prefix, i) + ".proofs[" + std::to_string(k) + "]");
    }
  }
  if (s.commitment_hash && !s.reveal_opens) {
    report.pass(kStage,
                "trustee " + std::to_string(i) +
                    " disqualified (commitment-mismatch): its revealed "
                    "commitments do not hash to its round-1 commitment_hash",
                kDir + file_name(kReveal.prefix, i) + ".coefficient_commitments");
  } else if (s.commitment_hash && s.proofs_ok) {
    report.pass(kStage,
                "trustee " + std::to_string(i) +
                    ": hash commitment opened, Feldman commitments proven (" +
                    std::to_string(commitments.size()) + " Schnorr proofs)",
                kDir + file_name(kReveal.prefix, i));
  }
}

// Round 2 body of trustee i: one encrypted share per other trustee, recipients ascending.
void parse_shares(const Params& p, std::uint32_t i, const Json& j, const std::string& path) {
  const Json& list = crypto::require_array(j, "shares", path);
  if (list.size() != p.n - 1)
    throw FormatError(path + ".shares", "must have one entry per other trustee");
  std::uint32_t expected = 1;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const std::string q = path + ".shares[" + std::to_string(k) + "]";
    if (!list[k].is_object()) throw FormatError(q, "must be a JSON object");
    crypto::reject_unknown_fields(list[k], {"recipient", "encrypted_share"}, q);
    if (expected == i) ++expected;
    if (trustee_index(p, list[k], "recipient", q) != expected) {
      throw FormatError(q + ".recipient", "must be " + std::to_string(expected) +
                                              " (every other trustee, ascending)");
    }
    if (!crypto::require_field(list[k], "encrypted_share", q).is_object()) {
      throw FormatError(q + ".encrypted_share", "must be a JSON object");
    }
    ++expected;
  }
}

// Round 3 complaints body of trustee i: its complaints (accused ascending) and the message files
// it verified (names ascending), into s.complaints and s.verified.
void parse_complaints(const Params& p, std::uint32_t i, const Json& j, const std::string& path,
                      TrusteeState& s) {
  std::vector<std::pair<std::uint32_t, std::string>> list;
  const Json& cs = crypto::require_array(j, "complaints", path);
  for (std::size_t k = 0; k < cs.size(); ++k) {
    const std::string q = path + ".complaints[" + std::to_string(k) + "]";
    if (!cs[k].is_object()) throw FormatError(q, "must be a JSON object");
    crypto::reject_unknown_fields(cs[k], {"accused", "reason"}, q);
    const std::uint32_t accused = trustee_index(p, cs[k], "accused", q);
    const std::string& reason = crypto::require_string(cs[k], "reason", q);
    if (accused == i) throw FormatError(q + ".accused", "accuses its sender");
    if (!list.empty() && accused <= list.back().first)
      throw FormatError(q + ".accused", "must be ascending without repeats");
    if (reason != "undecryptable-share" && reason != "share-mismatch")
      throw FormatError(q + ".reason", "unknown reason");
    list.emplace_back(accused, reason);
  }
  const Json& vs = crypto::require_array(j, "verified", path);
  for (std::size_t k = 0; k < vs.size(); ++k) {
    const std::string q = path + ".verified[" + std::to_string(k) + "]";
    if (!vs[k].is_object()) throw FormatError(q, "must be a JSON object");
    crypto::reject_unknown_fields(vs[k], {"file", "sha256"}, q);
    const std::string& f = crypto::require_string(vs[k], "file", q);
    if (!s.verified.empty() && f <= s.verified.back().first)
      throw FormatError(q + ".file", "must be ascending without repeats");
    s.verified.emplace_back(f, digest_of(vs[k], q, "sha256"));
  }
  s.complaints = std::move(list);
}

// Round 3 answer body of trustee i: the shares it reveals, complainers ascending.
std::map<std::uint32_t, crypto::Scalar> parse_answer(const Params& p, std::uint32_t i,
                                                     const Json& j, const std::string& path) {
  std::map<std::uint32_t, crypto::Scalar> revealed;
  const Json& rs = crypto::require_array(j, "revealed_shares", path);
  std::uint32_t previous = 0;
  for (std::size_t k = 0; k < rs.size(); ++k) {
    const std::string q = path + ".revealed_shares[" + std::to_string(k) + "]";
    if (!rs[k].is_object()) throw FormatError(q, "must be a JSON object");
    crypto::reject_unknown_fields(rs[k], {"complainer", "share"}, q);
    const std::uint32_t complainer = trustee_index(p, rs[k], "complainer", q);
    if (complainer == i) throw FormatError(q + ".complainer", "is the sender");
    if (complainer <= previous)
      throw FormatError(q + ".complainer", "must be ascending without repeats");
    previous = complainer;
    revealed.emplace(
        complainer,
        crypto::scalar_from_json(*p.group, crypto::require_field(rs[k], "share", q), q + ".share"));
  }
  return revealed;
}

// Rounds 1-3: parse, header, signature. A missing file is not an error here (its trustee is
// disqualified by qualify); a present but malformed or badly signed one is. Returns false
// (after reporting) when any message is bad.
bool check_messages(Ceremony& c, Report& report) {
  const Params& p = c.p;
  const std::string check = "ceremony messages are well formed and signed by their trustee";
  std::size_t failed = 0;
  std::size_t messages = 0;
  for (std::uint32_t i = 1; i <= p.n; ++i) {
    TrusteeState& s = c.trustees[i];
    auto parse = [&](const Round& round,
                     const std::function<void(const Json&, const std::string&)>& body) {
      const std::string file = file_name(round.prefix, i);
      const std::string path = kDir + file;
      try {
        const auto j = c.load(file);
        if (!j) return;
        ++messages;
        check_header(p, *j, round, i, path);
        body(*j, path);
        if (!message_signature_valid(*j, s.signing_key, path)) {
          throw FormatError(path + ".signature",
                            "not a valid signature by trustee " + std::to_string(i));
        }
      } catch (const std::exception& e) {
        ++failed;
        report.fail(kStage, check, path, e.what());
      }
    };
    std::optional<crypto::Digest> commitment_hash;
    parse(kCommitment,
          [&](const Json& j, const std::string& path) { commitment_hash = digest_of(j, path); });
    s.commitment_hash = commitment_hash;
    std::optional<std::vector<Element>> commitments;
    std::vector<crypto::SchnorrProof> proofs;
    parse(kReveal, [&](const Json& j, const std::string& path) {
      std::vector<Element> parsed;
      parse_reveal(p, j, path, parsed, proofs);
      commitments = std::move(parsed);
    });
    if (commitments) {
      s.commitments = std::move(commitments);
      check_reveal(p, i, s, proofs, report);
    }
    parse(kShares, [&](const Json& j, const std::string& path) {
      parse_shares(p, i, j, path);
      s.shares = true;
    });
    parse(kComplaints,
          [&](const Json& j, const std::string& path) { parse_complaints(p, i, j, path, s); });
    parse(kAnswer,
          [&](const Json& j, const std::string& path) { s.answer = parse_answer(p, i, j, path); });
  }
  if (failed > 0) return false;
  report.pass(kStage, check + " (" + std::to_string(messages) + " messages)", kDir);
  return true;
}

// Every trustee verified the same messages that are in the record.
void check_verified_messages(const Ceremony& c, Report& report) {
  const std::string check = "every complaint statement verified the messages in the record";
  std::size_t failed = 0;
  for (std::uint32_t j = 1; j <= c.p.n; ++j) {
    for (const auto& [file, hash] : c.trustees[j].verified) {
      const auto it = c.message_hashes.find(file);
      if (it == c.message_hashes.end() || it->second != hash) {
        ++failed;
        report.fail(kStage, check, kDir + file_name(kComplaints.prefix, j) + ".verified",
                    "trustee " + std::to_string(j) + " verified a different version of " + file +
                        (it == c.message_hashes.end() ? " (absent from the record)" : ""));
      }
    }
  }
  if (failed == 0) report.pass(kStage, check, kDir + "round3-complaints-trustee-*.json");
}

// Returns the fault that disqualifies trustee i through a complaint against it ("" when every
// complaint is answered with a share matching its commitments), reporting each resolution.
std::string complaint_fault(const Ceremony& c, std::uint32_t i, Report& report) {
  const crypto::Group& group = *c.p.group;
  const TrusteeState& s = c.trustees[i];
  for (std::uint32_t j = 1; j <= c.p.n; ++j) {
    if (!c.trustees[j].complaints) continue;
    for (const auto& [accused, reason] : *c.trustees[j].complaints) {
      if (accused != i) continue;
      const crypto::Scalar* share = nullptr;
      if (s.answer) {
        const auto it = s.answer->find(j);
        if (it != s.answer->end()) share = &it->second;
      }
      std::string fault;
      if (share == nullptr) {
        fault = "unanswered-complaint";
      } else if (!group.equal(group.exp_generator_var(*share),
                              evaluate_commitments(group, *s.commitments, j))) {
        // g^{f_i(j)} must equal prod_k C_{i,k}^{j^k}.
        fault = "invalid-revealed-share";
      }
      if (!fault.empty()) {
        report.pass(kStage,
                    "complaint against trustee " + std::to_string(i) + " by trustee " +
                        std::to_string(j) + " resolved: trustee " + std::to_string(i) +
                        " disqualified (" + fault + ")",
                    kDir + file_name(kComplaints.prefix, j));
        return fault;
      }
      report.pass(kStage,
                  "complaint against trustee " + std::to_string(i) + " by trustee " +
                      std::to_string(j) + " resolved: the revealed share matches the commitments",
                  kDir + file_name(kAnswer.prefix, i));
    }
  }
  return "";
}

// Qualification, recomputed: the first fault of each trustee in the order of docs/ceremony.md.
Qualification qualify(const Ceremony& c, Report& report) {
  Qualification q;
  for (std::uint32_t i = 1; i <= c.p.n; ++i) {
    const TrusteeState& s = c.trustees[i];
    std::string fault;
    if (!s.commitment_hash)
      fault = "missing-commitment";
    else if (!s.commitments)
      fault = "missing-reveal";
    else if (!s.reveal_opens)
      fault = "commitment-mismatch";
    else if (!s.proofs_ok)
      fault = "invalid-proof";
    else if (!s.shares)
      fault = "missing-shares";
    else
      fault = complaint_fault(c, i, report);
    if (fault.empty())
      q.qualified.push_back(i);
    else
      q.disqualified.emplace_back(i, fault);
  }
  return q;
}

// Joint key A_0 = prod_{i in Q} C_{i,0}, compared with context.json's; verification keys
// g^{s_j} = prod_k A_k^{j^k} into ctx.trustees. Returns the joint key.
Element derive_joint_key(const Ceremony& c, const Qualification& q, VerifierContext& ctx,
                         Report& report) {
  const crypto::Group& group = *c.p.group;
  std::vector<Element> joint(c.p.t, group.identity());
  for (const std::uint32_t i : q.qualified) {
    for (std::size_t k = 0; k < c.p.t; ++k)
      joint[k] = group.mul(joint[k], (*c.trustees[i].commitments)[k]);
  }
  const Element joint_key = joint[0];
  if (group.equal(joint_key, ctx.public_key)) {
    report.pass(kStage, "joint public key is the product of the qualified trustees' C_0",
                "context.json.public_key");
  } else {
    report.fail(kStage, "joint public key is the product of the qualified trustees' C_0",
                "context.json.public_key",
                "context.json's public key differs from the key the ceremony messages give (" +
                    group.to_hex(joint_key) + ")");
  }
  ctx.trustees.clear();
  for (const std::uint32_t j : q.qualified) {
    TrusteeKey key;
    key.index = j;
    key.name = "trustee-" + std::to_string(j);
    key.verification_key = evaluate_commitments(group, joint, j);
    key.qualified = true;
    ctx.trustees.push_back(std::move(key));
  }
  return joint_key;
}

// result.json: everything above, as published; and context.json's ceremony_hash.
void check_result(const Ceremony& c, const Qualification& q, const Element& joint_key,
                  const VerifierContext& ctx, Report& report) {
  const Params& p = c.p;
  const crypto::Group& group = *p.group;
  const std::string result_path = kDir + "result.json";
  const std::string check = "ceremony/result.json is what the messages give";
  try {
    const Json r = c.record.read_json(result_path);
    const std::string& path = result_path;
    if (!r.is_object()) throw FormatError(path, "must be a JSON object");
    crypto::reject_unknown_fields(
        r,
        {"format", "election_id", "manifest_hash", "group", "trustee_count", "threshold",
         "qualified", "disqualified", "public_key", "trustees", "messages"},
        path);
    std::vector<std::string> problems;
    auto expect = [&](bool ok, const std::string& field, const std::string& why) {
      if (!ok) {
        problems.push_back(field);
        report.fail(kStage, check, path + "." + field, why);
      }
    };
    expect(crypto::require_string(r, "format", path) == "haal-ceremony-result-v1", "format",
           "must be \"haal-ceremony-result-v1\"");
    expect(crypto::require_string(r, "election_id", path) == p.election_id, "election_id",
           "is not the manifest's election id");
    expect(crypto::require_string(r, "manifest_hash", path) == p.manifest_hash_hex, "manifest_hash",
           "is not the manifest's hash");
    expect(crypto::require_string(r, "group", path) == group.name(), "group",
           "is not the manifest's group");
    expect(crypto::require_uint(r, "trustee_count", path) == p.n, "trustee_count",
           "is not the manifest's trustee count");
    expect(crypto::require_uint(r, "threshold", path) == p.t, "threshold",
           "is not the manifest's threshold");
    Json expected_qualified = q.qualified;
    expect(crypto::require_field(r, "qualified", path) == expected_qualified, "qualified",
           "recomputed qualified set is " + expected_qualified.dump());
    Json expected_disqualified = Json::array();
    for (const auto& [i, reason] : q.disqualified)
      expected_disqualified.push_back({{"reason", reason}, {"trustee", i}});
    expect(crypto::require_field(r, "disqualified", path) == expected_disqualified, "disqualified",
           "recomputed disqualifications are " + expected_disqualified.dump());
    expect(crypto::require_string(r, "public_key", path) == group.to_hex(joint_key), "public_key",
           "differs from the product of the qualified trustees' C_0 (" + group.to_hex(joint_key) +
               ")");
    Json expected_trustees = Json::array();
    for (const TrusteeKey& k : ctx.trustees) {
      expected_trustees.push_back({{"signing_key", crypto::to_hex(c.trustees[k.index].signing_key)},
                                   {"trustee", k.index},
                                   {"verification_key", group.to_hex(k.verification_key)}});
    }
    const Json& published_trustees = crypto::require_array(r, "trustees", path);
    for (std::size_t k = 0; k < std::max(published_trustees.size(), expected_trustees.size());
         ++k) {
      const std::string field = "trustees[" + std::to_string(k) + "]";
      if (k >= published_trustees.size() || k >= expected_trustees.size()) {
        expect(false, field,
               "result.json lists " + std::to_string(published_trustees.size()) +
                   " trustees, the qualified set has " + std::to_string(expected_trustees.size()));
      } else if (published_trustees[k] != expected_trustees[k]) {
        const bool key_differs = !published_trustees[k].is_object() ||
                                 published_trustees[k].value("verification_key", "") !=
                                     expected_trustees[k]["verification_key"].get<std::string>();
        expect(false, field + (key_differs ? ".verification_key" : ""),
               "expected " + expected_trustees[k].dump() +
                   " (verification key g^{s_j} = prod_k A_k^{j^k})");
      }
    }
    Json expected_messages = Json::array();
    for (const auto& [file, hash] : c.message_hashes)
      expected_messages.push_back({{"file", file}, {"sha256", crypto::to_hex(hash)}});
    expect(crypto::require_field(r, "messages", path) == expected_messages, "messages",
           "does not list the canonical SHA-256 of exactly the message files in ceremony/");
    if (problems.empty()) report.pass(kStage, check, result_path);
    // context.json.ceremony_hash = canonical_json_hash(result.json).
    const std::string ceremony_hash = crypto::to_hex(crypto::canonical_json_hash(r));
    if (ctx.context_json.value("ceremony_hash", "") == ceremony_hash) {
      report.pass(kStage, "context.json.ceremony_hash is the hash of ceremony/result.json",
                  "context.json.ceremony_hash");
    } else {
      report.fail(kStage, "context.json.ceremony_hash is the hash of ceremony/result.json",
                  "context.json.ceremony_hash", "ceremony/result.json hashes to " + ceremony_hash);
    }
  } catch (const std::exception& e) {
    report.fail(kStage, check, result_path, e.what());
  }
}

// No stray files in ceremony/: only the messages read above and result.json.
void check_no_stray_files(const Ceremony& c, Report& report) {
  for (const std::string& file : c.record.files_under(kDir)) {
    const std::string name = file.substr(kDir.size());
    if (name != "result.json" && c.message_hashes.count(name) == 0) {
      report.fail(kStage, "ceremony/ holds only ceremony messages and result.json", file,
                  "unexpected file");
    }
  }
}

}  // namespace

void check_ceremony(const RecordReader& record, VerifierContext& ctx, Report& report) {
  if (!ctx.has_group()) {
    report.fail(kStage, "key ceremony", "ceremony/",
                "skipped: stage 1 did not establish the group");
    return;
  }
  Ceremony c{record, {}, {}, {}};
  c.p.election_id = ctx.manifest.election_id;
  c.p.manifest_hash.assign(ctx.manifest.hash.begin(), ctx.manifest.hash.end());
  c.p.manifest_hash_hex = crypto::to_hex(ctx.manifest.hash);
  c.p.group = ctx.group;
  c.p.n = static_cast<std::uint32_t>(ctx.manifest.trustee_count);
  c.p.t = static_cast<std::uint32_t>(ctx.manifest.trustee_threshold);
  c.trustees.resize(c.p.n + 1);

  if (!check_identities(c, report)) return;
  if (!check_messages(c, report)) return;
  check_verified_messages(c, report);
  const Qualification q = qualify(c, report);
  if (q.qualified.size() < c.p.t) {
    report.fail(kStage, "at least threshold trustees qualify", kDir,
                "only " + std::to_string(q.qualified.size()) + " of " + std::to_string(c.p.n) +
                    " trustees qualify, threshold " + std::to_string(c.p.t));
    return;
  }
  report.pass(kStage,
              "at least threshold trustees qualify (" + std::to_string(q.qualified.size()) +
                  " of " + std::to_string(c.p.n) + ", threshold " + std::to_string(c.p.t) + ")",
              kDir);
  const Element joint_key = derive_joint_key(c, q, ctx, report);
  check_result(c, q, joint_key, ctx, report);
  check_no_stray_files(c, report);
}

}  // namespace haal::verifier
