#include "verifier-app/decryption/check_decryption.hpp"

#include <map>

#include "crypto/ed25519.hpp"
#include "verifier-app/decryption/plaintext_decoding.hpp"
#include "verifier-app/decryption/threshold_check.hpp"
#include "verifier-app/shuffle/check_mixing.hpp"

namespace haal::verifier {

namespace {

constexpr Stage kStage = Stage::kDecryption;
using crypto::Element;
using crypto::FormatError;
using crypto::Json;

// Trustee index -> Ed25519 signing key, from ceremony/result.json (checked in stage 2).
std::map<std::uint32_t, crypto::Bytes> signing_keys(const RecordReader& record) {
  std::map<std::uint32_t, crypto::Bytes> out;
  const std::string path = "ceremony/result.json";
  const Json j = record.read_json(path);
  const Json& trustees = crypto::require_array(j, "trustees", path);
  for (std::size_t k = 0; k < trustees.size(); ++k) {
    const std::string at = path + ".trustees[" + std::to_string(k) + "]";
    const auto index = static_cast<std::uint32_t>(crypto::require_uint(trustees[k], "trustee", at));
    out[index] = crypto::bytes_from_json(crypto::require_field(trustees[k], "signing_key", at),
                                         at + ".signing_key", 32);
    crypto::require_ed25519_public_key(out[index], at + ".signing_key");
  }
  return out;
}

// Returns i for "decrypt/<c>/trustee-<i>.json", 0 when the name has another form.
std::uint32_t trustee_of(const std::string& path, const std::string& dir) {
  const std::string name = path.substr(dir.size());
  const std::string head = "trustee-", tail = ".json";
  if (name.size() <= head.size() + tail.size() || name.rfind(head, 0) != 0 ||
      name.substr(name.size() - tail.size()) != tail) {
    return 0;
  }
  const std::string digits = name.substr(head.size(), name.size() - head.size() - tail.size());
  if (digits.empty() || digits.size() > 3 || digits[0] == '0' ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return static_cast<std::uint32_t>(std::stoul(digits));
}

void check_contest(const RecordReader& record, const VerifierContext& ctx,
                   const shuffle::VmnGroup& vg,
                   const std::map<std::uint32_t, crypto::Bytes>& signers, std::size_t ci,
                   Report& report) {
  const crypto::Group& G = *ctx.group;
  const ManifestContest& contest = ctx.manifest.contests[ci];
  const std::string mix_dir = "mix/" + contest.id + "/";
  const std::string dec_dir = "decrypt/" + contest.id + "/";
  const std::string pt_path = "plaintexts/" + contest.id + ".json";
  const shuffle::Workers workers{ctx.threads, ctx.progress};

  // The mixed list: the last server's output (its proof was checked in stage 6).
  std::vector<std::vector<crypto::Ciphertext>> mixed;
  if (record.exists(mix_dir + "protInfo.xml")) {
    try {
      mixed = shuffle::read_mix_output(vg, record_files(record, mix_dir), workers).ciphertexts;
    } catch (const std::exception& e) {
      report.fail(kStage, "mixed list of contest " + contest.id, mix_dir, e.what());
      return;
    }
  }
  const std::size_t w = contest.width;
  std::vector<Element> alphas, betas;
  for (std::size_t k = 0; k < mixed.size(); ++k) {
    if (mixed[k].size() != w) {
      report.fail(kStage, "mixed list of contest " + contest.id, mix_dir,
                  "ciphertext " + std::to_string(k) + " has width " +
                      std::to_string(mixed[k].size()) + ", the contest " + std::to_string(w));
      return;
    }
    for (const auto& c : mixed[k]) {  // flattened: index k * w + j
      alphas.push_back(c.alpha);
      betas.push_back(c.beta);
    }
  }

  // Every trustee file.
  std::map<std::uint32_t, decryption::PartialDecryptionFile> valid;
  for (const auto& path : record.files_under(dec_dir)) {
    const std::string check = "partial decryptions of contest " + contest.id;
    const std::uint32_t i = trustee_of(path, dec_dir);
    if (i == 0) {
      report.fail(kStage, check, path, "unexpected file (expected trustee-<i>.json)");
      continue;
    }
    const std::string check_i = check + " by trustee " + std::to_string(i);
    try {
      const TrusteeKey* key = nullptr;
      for (const auto& t : ctx.trustees) {
        if (t.index == i) key = &t;
      }
      if (key == nullptr || !key->qualified) {
        throw FormatError(path, "trustee " + std::to_string(i) + " is not a qualified trustee");
      }
      const auto signer = signers.find(i);
      if (signer == signers.end()) {
        throw FormatError(
            path, "no signing key for trustee " + std::to_string(i) + " in ceremony/result.json");
      }
      decryption::PartialDecryptionFile f =
          decryption::parse_partial_decryptions(G, record.read_json(path), path, ctx.threads);
      const decryption::PartialCheck r = decryption::check_partial_decryptions_var(
          G, f, i, ctx.manifest.election_id, ctx.context_hash_bytes, alphas, key->verification_key,
          signer->second, ctx.threads, ctx.progress);
      if (r.ok()) {
        report.pass(kStage, check_i, path);
        valid.emplace(i, std::move(f));
      } else {
        report.fail(kStage, check_i, path, r.failure);
      }
    } catch (const std::exception& e) {
      report.fail(kStage, check_i, path, e.what());
    }
  }

  // Combination by any t valid trustees: the t lowest valid indices.
  const std::size_t t = ctx.manifest.trustee_threshold;
  const std::string combine_check =
      "at least t = " + std::to_string(t) + " valid trustees decrypted contest " + contest.id;
  if (alphas.empty()) {
    report.pass(kStage, combine_check + " (no ballots)", dec_dir);
  } else if (valid.size() < t || t == 0) {
    report.fail(kStage, combine_check, dec_dir,
                "only " + std::to_string(valid.size()) + " valid partial decryption files");
    return;
  } else {
    report.pass(kStage, combine_check, dec_dir);
  }
  std::vector<std::uint32_t> used;
  std::vector<const std::vector<Element>*> parts;
  for (const auto& [i, f] : valid) {
    if (used.size() == t) break;
    used.push_back(i);
    parts.push_back(&f.values);
  }
  std::vector<Element> plain;
  if (!alphas.empty()) {
    plain = decryption::combine_partials_var(G, used, parts, betas, ctx.threads, ctx.progress);
  }

  // plaintexts/<contest>.json: elements and decoding, in mixed order.
  const std::string elements_check =
      "combined plaintexts of contest " + contest.id + " equal " + pt_path;
  const std::string decode_check =
      "decoding of contest " + contest.id + "'s plaintexts into selections equals " + pt_path;
  try {
    const Json j = record.read_json(pt_path);
    if (!j.is_object()) throw FormatError(pt_path, "must be an object");
    crypto::reject_unknown_fields(
        j, {"format", "election_id", "contest_id", "trustees_used", "ballots"}, pt_path);
    if (crypto::require_string(j, "format", pt_path) != "haal-plaintexts-v1") {
      throw FormatError(pt_path + ".format", "must be \"haal-plaintexts-v1\"");
    }
    if (crypto::require_string(j, "election_id", pt_path) != ctx.manifest.election_id) {
      throw FormatError(pt_path + ".election_id", "is for another election");
    }
    if (crypto::require_string(j, "contest_id", pt_path) != contest.id) {
      throw FormatError(pt_path + ".contest_id", "is not \"" + contest.id + "\"");
    }
    const Json& ballots = crypto::require_array(j, "ballots", pt_path);
    if (ballots.size() != mixed.size()) {
      throw FormatError(pt_path + ".ballots", std::to_string(ballots.size()) + " entries for " +
                                                  std::to_string(mixed.size()) +
                                                  " mixed ciphertexts");
    }
    std::string element_failure, decode_failure, decode_where;
    for (std::size_t k = 0; k < ballots.size(); ++k) {
      const std::string at = pt_path + ".ballots[" + std::to_string(k) + "]";
      const Json& b = ballots[k];
      if (!b.is_object()) throw FormatError(at, "must be an object");
      crypto::reject_unknown_fields(b, {"elements", "selection", "invalid"}, at);
      const Json& es = crypto::require_array(b, "elements", at);
      const std::span<const Element> mine(plain.data() + k * w, w);
      if (es.size() != w) throw FormatError(at + ".elements", "expected " + std::to_string(w));
      for (std::size_t e = 0; e < w && element_failure.empty(); ++e) {
        const std::string ep = at + ".elements[" + std::to_string(e) + "]";
        if (!es[e].is_string() || es[e].get<std::string>() != G.to_hex(mine[e])) {
          element_failure = ep + ": not the combination of the partial decryptions";
        }
      }
      const decryption::DecodedBallot decoded = decryption::decode_ballot_var(G, contest, mine);
      const Json expected = decryption::decoded_to_json(contest, decoded);
      if (decode_failure.empty()) {
        if (decoded.valid && (!b.contains("selection") || b.contains("invalid") ||
                              b.at("selection") != expected.at("selection"))) {
          decode_failure = "decodes to " + expected.dump() + ", the record says " + b.dump();
          decode_where = at;
        } else if (!decoded.valid && (!b.contains("invalid") || b.contains("selection") ||
                                      !b.at("invalid").is_string())) {
          decode_failure = "is invalid (" + decoded.reason + "), the record says " + b.dump();
          decode_where = at;
        }
      }
    }
    if (element_failure.empty()) {
      report.pass(kStage, elements_check, pt_path);
    } else {
      report.fail(kStage, elements_check, pt_path, element_failure);
    }
    if (decode_failure.empty()) {
      report.pass(kStage, decode_check, pt_path);
    } else {
      report.fail(kStage, decode_check, decode_where, decode_failure);
    }
  } catch (const std::exception& e) {
    report.fail(kStage, elements_check, pt_path, e.what());
  }
}

}  // namespace

void check_decryption(const RecordReader& record, const VerifierContext& context, Report& report) {
  if (!context.has_group()) {
    report.fail(kStage, "partial decryptions", "decrypt/",
                "skipped: stage 1 did not establish the group and public key");
    return;
  }
  std::map<std::uint32_t, crypto::Bytes> signers;
  try {
    signers = signing_keys(record);
  } catch (const std::exception& e) {
    report.fail(kStage, "trustees' signing keys", "ceremony/result.json", e.what());
    return;
  }
  const shuffle::VmnGroup vg(*context.group);
  for (std::size_t ci = 0; ci < context.manifest.contests.size(); ++ci) {
    check_contest(record, context, vg, signers, ci, report);
  }
}

}  // namespace haal::verifier
