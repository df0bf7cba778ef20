#include "election/context.hpp"

#include "crypto/canonical_json.hpp"
#include "election/encoding.hpp"
#include "election/strict_json.hpp"

namespace haal::election {

using crypto::FormatError;

namespace {
Json digest_json(const crypto::Digest& d) {
  return crypto::to_hex(d);
}

Json contest_widths_json(const Manifest& manifest, const std::vector<std::size_t>& widths) {
  Json contests = Json::array();
  for (std::size_t i = 0; i < manifest.contests.size(); ++i) {
    contests.push_back({{"contest_id", manifest.contests[i].id}, {"width", widths[i]}});
  }
  return contests;
}
}  // namespace

ElectionContext::ElectionContext(Manifest manifest, const crypto::Element& public_key,
                                 const Json& ceremony_hash, ElectionParties parties)
    : manifest_(std::move(manifest)), parties_(std::move(parties)), group_(&manifest_.group()) {
  encryptor_ = std::make_shared<const crypto::ElGamalEncryptor>(*group_, public_key);
  for (const Contest& c : manifest_.contests) widths_.push_back(contest_width(*group_, c));
  json_ = Json{{"election_id", manifest_.election_id},
               {"manifest_hash", digest_json(manifest_hash(manifest_))},
               {"group", group_->name()},
               {"public_key", group_->to_hex(public_key)},
               {"ceremony_hash", ceremony_hash},
               {"contests", contest_widths_json(manifest_, widths_)}};
  json_.update(parties_to_json(parties_));
  hash_ = crypto::canonical_json_hash(json_);
}

ElectionContext ElectionContext::seal(const Manifest& manifest, const Json& ceremony_result,
                                      const ElectionParties& parties) {
  const std::string path = kCeremonyResultFile;
  if (!ceremony_result.is_object()) throw FormatError(path, "must be a JSON object");
  const crypto::Element key = crypto::element_from_json(
      manifest.group(), crypto::require_field(ceremony_result, "public_key", path),
      path + ".public_key");
  // The parties' keys are checked as a reader of context.json would.
  ElectionParties checked = parties_from_json(parties_to_json(parties), kContextFile);
  return ElectionContext(manifest, key, digest_json(crypto::canonical_json_hash(ceremony_result)),
                         std::move(checked));
}

ElectionContext ElectionContext::from_json(const Manifest& manifest, const Json& j) {
  const std::string path = kContextFile;
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(
      j,
      {"election_id", "manifest_hash", "group", "public_key", "ceremony_hash", "contests",
       "officials_key", "collector_key", "mix_servers"},
      path);
  if (crypto::require_string(j, "election_id", path) != manifest.election_id) {
    throw FormatError(path + ".election_id",
                      "does not match the manifest's election_id \"" + manifest.election_id + "\"");
  }
  if (crypto::require_string(j, "group", path) != manifest.group_name) {
    throw FormatError(path + ".group",
                      "does not match the manifest's group " + manifest.group_name);
  }
  const crypto::Bytes mh = crypto::bytes_from_json(crypto::require_field(j, "manifest_hash", path),
                                                   path + ".manifest_hash", 32);
  const crypto::Digest expected = manifest_hash(manifest);
  if (!std::equal(mh.begin(), mh.end(), expected.begin())) {
    throw FormatError(path + ".manifest_hash", "does not match the hash of manifest.json");
  }
  crypto::bytes_from_json(crypto::require_field(j, "ceremony_hash", path), path + ".ceremony_hash",
                          32);
  const crypto::Element key = crypto::element_from_json(
      manifest.group(), crypto::require_field(j, "public_key", path), path + ".public_key");
  ElectionContext context(manifest, key, j.at("ceremony_hash"), parties_from_json(j, path));
  if (context.json_ != j) {
    // Only the widths can still differ: they are derived from the manifest and the group.
    throw FormatError(path + ".contests", "does not list the manifest's contests with widths " +
                                              context.json_.at("contests").dump());
  }
  return context;
}

Manifest create_election(std::string_view manifest_text, std::string_view source,
                         const std::filesystem::path& election_dir) {
  const Manifest manifest = parse_manifest(manifest_text, source);
  const std::filesystem::path target = election_dir / kManifestFile;
  std::filesystem::create_directories(election_dir);
  if (std::filesystem::exists(target)) {
    if (load_manifest(election_dir).election_id != manifest.election_id ||
        manifest_hash(load_manifest(election_dir)) != manifest_hash(manifest)) {
      throw std::runtime_error(target.string() + " already exists with a different manifest");
    }
  }
  write_canonical_json_file(target, manifest_to_json(manifest));
  return manifest;
}

Manifest load_manifest(const std::filesystem::path& election_dir) {
  const std::filesystem::path file = election_dir / kManifestFile;
  try {
    return manifest_from_json(read_json_file(file));
  } catch (const FormatError& e) {
    const std::string what = e.what();
    if (what.rfind(file.string(), 0) == 0) throw;
    throw FormatError(file.string(), what);
  }
}

void require_ceremony_result(const std::filesystem::path& election_dir) {
  const std::filesystem::path result_file = election_dir / kCeremonyResultFile;
  if (!std::filesystem::exists(result_file)) {
    throw std::runtime_error(
        result_file.string() +
        " does not exist: run the key ceremony first (trustee by trustee, `haal trustee`, "
        "then `haal ceremony finalize`: docs/ceremony.md section 12; `haal ceremony run` for "
        "a demo), then the parties' keygens, then seal");
  }
}

ElectionContext seal_election(const std::filesystem::path& election_dir,
                              const ElectionParties& parties) {
  const Manifest manifest = load_manifest(election_dir);
  require_ceremony_result(election_dir);
  const std::filesystem::path result_file = election_dir / kCeremonyResultFile;
  const Json result = read_json_file(result_file);
  ElectionContext context = ElectionContext::seal(manifest, result, parties);
  const std::filesystem::path target = election_dir / kContextFile;
  if (std::filesystem::exists(target) && read_json_file(target) != context.to_json()) {
    throw std::runtime_error(target.string() + " already exists with a different context");
  }
  write_canonical_json_file(target, context.to_json());
  return context;
}

ElectionContext load_election_context(const std::filesystem::path& election_dir) {
  const Manifest manifest = load_manifest(election_dir);
  const std::filesystem::path file = election_dir / kContextFile;
  if (!std::filesystem::exists(file)) {
    throw std::runtime_error(file.string() + ": missing (run `haal election seal` first)");
  }
  return ElectionContext::from_json(manifest, read_json_file(file));
}

}  // namespace haal::election
