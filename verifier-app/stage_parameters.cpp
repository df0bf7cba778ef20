// Stage 1: the record index, the manifest, the group and the election context.
#include <set>

#include "crypto/base/parallel.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "verifier-app/decryption/plaintext_decoding.hpp"
#include "verifier-app/manifest_parser.hpp"
#include "verifier-app/stages.hpp"

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

constexpr Stage kStage = Stage::kParameters;

// docs/record.md "Layout": a record holds the files listed there and nothing else, so that no
// unverified file (say a second results file) is published as part of the election record.
// What is inside ceremony/, mix/<contest>/, decrypt/<contest>/ and board/heads/ is checked by
// stages 2, 6, 7 and 3; here only the directory structure and the contest ids.
void check_layout(const RecordReader& record, const VerifierContext& ctx, Report& report) {
  const std::string check = "record holds only the files of an election record (docs/record.md)";
  static const std::set<std::string, std::less<>> fixed = {
      "index.json",        "manifest.json",        "context.json",        "roll.json",
      "results.json",      "results.html",         "board/entries.jsonl", "board/head.json",
      "cleanse/cast.json", "cleanse/excluded.json"};
  const auto is_contest = [&](std::string_view id) {
    return ctx.manifest.find_contest(id).has_value();
  };
  std::size_t bad = 0;
  for (const std::string& path : record.files()) {
    if (fixed.contains(path)) continue;
    const std::string_view p = path;
    const std::size_t slash = p.find('/');
    const std::string_view top = p.substr(0, slash);
    const std::string_view rest = slash == std::string_view::npos ? "" : p.substr(slash + 1);
    const std::size_t slash2 = rest.find('/');
    bool ok = false;
    if (top == "ceremony") {
      ok = !rest.empty();  // stage 2: "ceremony/ holds only ceremony messages and result.json"
    } else if (top == "mix") {
      ok = slash2 != std::string_view::npos;  // stage 6: contest ids and the proof files
    } else if (top == "board") {
      ok = rest.starts_with("heads/") && rest.find('/', 6) == std::string_view::npos;  // stage 3
    } else if (top == "decrypt") {  // decrypt/<contest>/<file>: stage 7 checks the file names
      ok = slash2 != std::string_view::npos && is_contest(rest.substr(0, slash2)) &&
           rest.find('/', slash2 + 1) == std::string_view::npos;
    } else if (top == "plaintexts") {
      ok = slash2 == std::string_view::npos && rest.ends_with(".json") &&
           is_contest(rest.substr(0, rest.size() - 5));
    }
    if (ok) continue;
    if (++bad <= 50) {
      report.fail(kStage, check, path,
                  "not a file of an election record (docs/record.md \"Layout\")");
    }
  }
  if (bad > 50) report.fail(kStage, check, "", std::to_string(bad - 50) + " more such files");
  if (bad == 0) report.pass(kStage, check, "(record)");
}

// Returns the Ed25519 key in j[field], refusing what docs/crypto.md refuses.
crypto::Bytes pinned_key(const Json& j, std::string_view field, const std::string& path) {
  const std::string where = path + "." + std::string(field);
  const crypto::Bytes key =
      crypto::bytes_from_json(crypto::require_field(j, field, path), where, 32);
  crypto::require_ed25519_public_key(key, where);
  return key;
}

// docs/ballots.md section 3: officials_key, collector_key and 1..25 mix servers with distinct
// ids; no key in two roles.
void read_pinned_parties(const Json& j, VerifierContext& ctx) {
  const std::string path = "context.json";
  ctx.officials_key = pinned_key(j, "officials_key", path);
  ctx.collector_key = pinned_key(j, "collector_key", path);
  std::set<crypto::Bytes> keys{ctx.officials_key};
  if (!keys.insert(ctx.collector_key).second) {
    throw FormatError(path + ".collector_key", "is also the officials' key");
  }
  const Json& servers = crypto::require_array(j, "mix_servers", path);
  if (servers.empty() || servers.size() > 25) {
    throw FormatError(path + ".mix_servers", "must name 1 to 25 mix servers");
  }
  ctx.mix_servers.clear();
  std::set<std::string> ids;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const std::string p = path + ".mix_servers[" + std::to_string(i) + "]";
    if (!servers[i].is_object()) throw FormatError(p, "must be a JSON object");
    crypto::reject_unknown_fields(servers[i], {"id", "public_key"}, p);
    PinnedMixServer s;
    s.id = crypto::require_string(servers[i], "id", p);
    if (!is_valid_identifier(s.id)) throw FormatError(p + ".id", "is not an identifier");
    if (!ids.insert(s.id).second) throw FormatError(p + ".id", "duplicate mix server id");
    s.public_key = pinned_key(servers[i], "public_key", p);
    if (!keys.insert(s.public_key).second) {
      throw FormatError(p + ".public_key", "is the key of another party");
    }
    ctx.mix_servers.push_back(std::move(s));
  }
}

}  // namespace

void check_record_index(const RecordReader& record, VerifierContext& context, Report& report) {
  const std::string check = "record index: every file listed with its size and SHA-256";
  Json index;
  try {
    index = record.read_json("index.json");
  } catch (const RecordError& e) {
    report.fail(kStage, check, "index.json", e.what());
    return;
  }
  std::size_t failures = 0;
  auto fail = [&](const std::string& location, const std::string& reason) {
    ++failures;
    report.fail(kStage, check, location, reason);
  };
  try {
    if (!index.is_object()) throw FormatError("index.json", "must be a JSON object");
    crypto::reject_unknown_fields(index, {"format", "election_id", "context_hash", "files"},
                                  "index.json");
    if (crypto::require_string(index, "format", "index.json") != "haal-record-v1") {
      throw FormatError("index.json.format", "must be \"haal-record-v1\"");
    }
    crypto::require_string(index, "election_id", "index.json");
    crypto::bytes_from_json(crypto::require_field(index, "context_hash", "index.json"),
                            "index.json.context_hash", 32);
    const Json& files = crypto::require_array(index, "files", "index.json");
    std::set<std::string> listed;
    std::string previous;
    struct Listed {
      std::string path;
      std::string entry;  // "index.json.files[i]"
      crypto::Bytes sha256;
    };
    std::vector<Listed> to_hash;
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string p = "index.json.files[" + std::to_string(i) + "]";
      if (!files[i].is_object()) throw FormatError(p, "must be a JSON object");
      crypto::reject_unknown_fields(files[i], {"path", "bytes", "sha256"}, p);
      const std::string& path = crypto::require_string(files[i], "path", p);
      const std::uint64_t bytes = crypto::require_uint(files[i], "bytes", p);
      const crypto::Bytes sha =
          crypto::bytes_from_json(crypto::require_field(files[i], "sha256", p), p + ".sha256", 32);
      if (i > 0 && !(previous < path)) {
        fail(p + ".path",
             "files must be sorted bytewise by path without repeats (\"" + path + "\")");
      }
      previous = path;
      listed.insert(path);
      if (path == "index.json") {
        fail(p + ".path", "index.json must not list itself");
        continue;
      }
      if (!record.exists(path)) {
        fail(path, "listed in index.json but missing from the record");
        continue;
      }
      if (record.size(path) != bytes) {
        fail(path, "size " + std::to_string(record.size(path)) + " bytes, index.json says " +
                       std::to_string(bytes) + " (" + p + ".bytes): truncated or altered");
        continue;
      }
      to_hash.push_back({path, p, sha});
    }
    // The hashes, on all threads (a record holds a file per published head: many small files).
    std::vector<crypto::Digest> actual(to_hash.size());
    base::parallel_for(
        to_hash.size(), 64,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t k = begin; k < end; ++k) actual[k] = record.sha256(to_hash[k].path);
        },
        nullptr, context.threads);
    for (std::size_t k = 0; k < to_hash.size(); ++k) {
      const Listed& f = to_hash[k];
      if (!std::equal(actual[k].begin(), actual[k].end(), f.sha256.begin())) {
        fail(f.path, "SHA-256 " + crypto::to_hex(actual[k]) + " differs from index.json (" +
                         f.entry + ".sha256 " + crypto::to_hex(f.sha256) + ")");
      }
    }
    for (const std::string& path : record.files()) {
      if (path != "index.json" && listed.count(path) == 0) {
        fail(path, "file not listed in index.json");
      }
    }
  } catch (const std::exception& e) {
    fail("index.json", e.what());
  }
  if (failures == 0) {
    report.pass(kStage, check + " (" + std::to_string(record.files().size() - 1) + " files)",
                "index.json");
  }
}

void check_parameters(const RecordReader& record, VerifierContext& ctx, Report& report) {
  // The manifest.
  try {
    ctx.manifest = parse_manifest(record.read_json("manifest.json"));
    report.pass(kStage, "manifest is well formed", "manifest.json");
  } catch (const std::exception& e) {
    report.fail(kStage, "manifest is well formed", "manifest.json", e.what());
    return;
  }
  check_layout(record, ctx, report);
  // The group: one of the known named groups, with a generator of prime order q.
  const crypto::Group* group = nullptr;
  try {
    group = &crypto::group_by_name(ctx.manifest.group_name);
    report.pass(kStage, "group is a known group (" + group->name() + ")", "manifest.json.group");
  } catch (const std::invalid_argument& e) {
    report.fail(kStage, "group is a known group", "manifest.json.group", e.what());
    return;
  }
  {
    const crypto::Element& g = group->generator();
    const crypto::ScalarField& field = group->scalars();
    const crypto::Scalar q_minus_1 = field.reduce(group->order() - 1);
    // g != 1 and g^q = g^(q-1) * g = 1: g generates the subgroup of prime order q.
    const bool ok = !group->is_identity(g) &&
                    group->is_identity(group->mul(group->exp_var(g, q_minus_1), g)) &&
                    mpz_probab_prime_p(group->order().get_mpz_t(), 30) != 0;
    if (ok) {
      report.pass(kStage, "generator has prime order q", "manifest.json.group");
    } else {
      report.fail(kStage, "generator has prime order q", "manifest.json.group",
                  "the group's generator does not have prime order q");
      return;
    }
  }
  // The election context.
  const std::string check = "context.json matches the manifest, group and widths";
  try {
    const Json j = record.read_json("context.json");
    const std::string path = "context.json";
    if (!j.is_object()) throw FormatError(path, "must be a JSON object");
    crypto::reject_unknown_fields(
        j,
        {"election_id", "manifest_hash", "group", "public_key", "ceremony_hash", "contests",
         "officials_key", "collector_key", "mix_servers"},
        path);
    if (crypto::require_string(j, "election_id", path) != ctx.manifest.election_id) {
      throw FormatError(path + ".election_id", "differs from manifest.json.election_id");
    }
    const crypto::Bytes mh = crypto::bytes_from_json(
        crypto::require_field(j, "manifest_hash", path), path + ".manifest_hash", 32);
    if (!std::equal(mh.begin(), mh.end(), ctx.manifest.hash.begin())) {
      throw FormatError(path + ".manifest_hash", "is not the canonical hash of manifest.json (" +
                                                     crypto::to_hex(ctx.manifest.hash) + ")");
    }
    if (crypto::require_string(j, "group", path) != group->name()) {
      throw FormatError(path + ".group", "differs from manifest.json.group");
    }
    crypto::bytes_from_json(crypto::require_field(j, "ceremony_hash", path),
                            path + ".ceremony_hash", 32);
    const crypto::Element key = crypto::element_from_json(
        *group, crypto::require_field(j, "public_key", path), path + ".public_key");
    const Json& contests = crypto::require_array(j, "contests", path);
    if (contests.size() != ctx.manifest.contests.size()) {
      throw FormatError(
          path + ".contests",
          "must list the manifest's " + std::to_string(ctx.manifest.contests.size()) + " contests");
    }
    for (std::size_t i = 0; i < contests.size(); ++i) {
      const std::string p = path + ".contests[" + std::to_string(i) + "]";
      if (!contests[i].is_object()) throw FormatError(p, "must be a JSON object");
      crypto::reject_unknown_fields(contests[i], {"contest_id", "width"}, p);
      ManifestContest& contest = ctx.manifest.contests[i];
      if (crypto::require_string(contests[i], "contest_id", p) != contest.id) {
        throw FormatError(p + ".contest_id", "must be \"" + contest.id + "\" (manifest order)");
      }
      const std::uint64_t width = crypto::require_uint(contests[i], "width", p);
      const std::size_t expected = decryption::plaintext_width(*group, contest);
      if (width != expected) {
        throw FormatError(p + ".width",
                          std::to_string(width) + ", but the contest's plaintext of " +
                              std::to_string(decryption::plaintext_length(contest)) +
                              " bytes needs " + std::to_string(expected) + " elements");
      }
      contest.width = expected;
    }
    read_pinned_parties(j, ctx);
    ctx.context_json = j;
    ctx.context_hash = crypto::canonical_json_hash(j);
    ctx.context_hash_bytes.assign(ctx.context_hash.begin(), ctx.context_hash.end());
    ctx.group = group;
    ctx.public_key = key;
    report.pass(kStage, check, "context.json");
  } catch (const std::exception& e) {
    report.fail(kStage, check, "context.json", e.what());
    return;
  }
  // The index names this election and context.
  try {
    const Json index = record.read_json("index.json");
    const std::string id =
        index.is_object() && index.contains("election_id") && index["election_id"].is_string()
            ? index["election_id"].get<std::string>()
            : "";
    const std::string hash =
        index.is_object() && index.contains("context_hash") && index["context_hash"].is_string()
            ? index["context_hash"].get<std::string>()
            : "";
    if (id != ctx.manifest.election_id) {
      report.fail(kStage, "index.json names this election and context", "index.json.election_id",
                  "\"" + id + "\" is not the manifest's election id");
    } else if (hash != crypto::to_hex(ctx.context_hash)) {
      report.fail(
          kStage, "index.json names this election and context", "index.json.context_hash",
          "is not the canonical hash of context.json (" + crypto::to_hex(ctx.context_hash) + ")");
    } else {
      report.pass(kStage, "index.json names this election and context", "index.json");
    }
  } catch (const std::exception& e) {
    report.fail(kStage, "index.json names this election and context", "index.json", e.what());
  }
}

}  // namespace haal::verifier
