#include "election/credential.hpp"

#include <openssl/crypto.h>

#include <set>

#include "crypto/canonical_json.hpp"
#include "election/context.hpp"
#include "election/manifest.hpp"
#include "election/strict_json.hpp"

namespace haal::election {

using crypto::Bytes;
using crypto::FormatError;

std::string credential_box_label(const std::string& election_id, const std::string& voter_id) {
  return "HAAL-V1-CREDENTIAL:" + election_id + ":" + voter_id;
}

Json credential_to_json(const Credential& credential, const std::optional<std::string>& passphrase,
                        const crypto::ScryptParameters& scrypt) {
  Json j = {{"election_id", credential.election_id},
            {"voter_id", credential.voter_id},
            {"public_key", crypto::to_hex(credential.public_key)}};
  Bytes seed = credential.key.seed();
  if (passphrase) {
    j["seed_box"] = crypto::passphrase_box_seal(
        seed, *passphrase, credential_box_label(credential.election_id, credential.voter_id),
        scrypt);
  } else {
    j["seed"] = crypto::to_hex(seed);
  }
  crypto::wipe(seed);
  return j;
}

bool credential_is_protected(const Json& j) {
  return j.is_object() && j.contains("seed_box");
}

Credential credential_from_json(const Json& j, const std::function<std::string()>& passphrase) {
  const std::string path = "credential";
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(j, {"election_id", "voter_id", "public_key", "seed", "seed_box"},
                                path);
  const std::string& election_id = crypto::require_string(j, "election_id", path);
  const std::string& voter_id = crypto::require_string(j, "voter_id", path);
  if (!is_valid_identifier(voter_id)) throw FormatError(path + ".voter_id", "invalid voter id");
  const Bytes public_key =
      crypto::bytes_from_json(crypto::require_field(j, "public_key", path), path + ".public_key",
                              crypto::kEd25519PublicKeyLength);
  crypto::require_ed25519_public_key(public_key, path + ".public_key");
  if (j.contains("seed") == j.contains("seed_box")) {
    throw FormatError(path, "must hold exactly one of \"seed\" and \"seed_box\"");
  }
  Bytes seed;
  if (j.contains("seed")) {
    seed = crypto::bytes_from_json(j.at("seed"), path + ".seed", crypto::kEd25519PrivateKeyLength);
  } else {
    std::string secret = passphrase();
    seed = crypto::passphrase_box_open(j.at("seed_box"), secret,
                                       credential_box_label(election_id, voter_id));
    OPENSSL_cleanse(secret.data(), secret.size());
  }
  if (seed.size() != crypto::kEd25519PrivateKeyLength) {
    crypto::wipe(seed);
    throw FormatError(path + ".seed_box", "does not hold a 32-byte seed");
  }
  crypto::Ed25519PrivateKey key = crypto::Ed25519PrivateKey::from_seed(seed);
  crypto::wipe(seed);
  if (key.public_key() != public_key) {
    throw FormatError(path + ".public_key", "does not match the credential's seed");
  }
  return Credential{election_id, voter_id, std::move(key), public_key};
}

std::vector<VoterRow> parse_voters_csv(std::string_view text, std::string_view source) {
  const std::string src(source);
  std::vector<VoterRow> rows;
  std::map<std::string, std::size_t> first_line;
  std::size_t line = 0;
  std::size_t pos = 0;
  bool header_seen = false;
  while (pos < text.size()) {
    ++line;
    const std::string where = src + ":" + std::to_string(line);
    // Split one record into fields (RFC 4180: quotes double inside quoted fields).
    std::vector<std::string> fields(1);
    bool quoted = false;
    bool was_quoted = false;
    bool ended = false;
    while (pos < text.size() && !ended) {
      const char c = text[pos++];
      if (quoted) {
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            fields.back().push_back('"');
            ++pos;
          } else {
            quoted = false;
          }
        } else {
          fields.back().push_back(c);
        }
      } else if (c == '"') {
        if (!fields.back().empty() || was_quoted) {
          throw FormatError(where, "quote inside an unquoted field");
        }
        quoted = was_quoted = true;
      } else if (c == ',') {
        fields.emplace_back();
        was_quoted = false;
      } else if (c == '\n') {
        ended = true;
      } else if (c == '\r' && pos < text.size() && text[pos] == '\n') {
        // CRLF: the '\n' ends the record next.
      } else {
        if (was_quoted) throw FormatError(where, "text after a closing quote");
        fields.back().push_back(c);
      }
    }
    if (quoted) throw FormatError(where, "unterminated quoted field");
    if (!header_seen) {
      if (fields.size() != 2 || fields[0] != "voter_id" || fields[1] != "name") {
        throw FormatError(where, "the header line must be exactly \"voter_id,name\"");
      }
      header_seen = true;
      continue;
    }
    if (fields.size() != 2) {
      throw FormatError(
          where, "expected 2 fields (voter_id,name), found " + std::to_string(fields.size()));
    }
    VoterRow row{fields[0], fields[1], line};
    if (!is_valid_identifier(row.voter_id)) {
      throw FormatError(
          where, "invalid voter id " +
                     Json(row.voter_id).dump(-1, ' ', false, Json::error_handler_t::replace) +
                     " (expected [A-Za-z0-9][A-Za-z0-9._-]{0,63})");
    }
    if (row.name.empty()) throw FormatError(where, "empty name for voter \"" + row.voter_id + "\"");
    const auto [it, inserted] = first_line.emplace(row.voter_id, line);
    if (!inserted) {
      throw FormatError(where, "duplicate voter id \"" + row.voter_id + "\" (first on line " +
                                   std::to_string(it->second) + ")");
    }
    rows.push_back(std::move(row));
  }
  if (!header_seen)
    throw FormatError(src + ":1", "empty file (expected the header \"voter_id,name\")");
  return rows;
}

Bytes write_fresh_credential(const std::filesystem::path& path, const std::string& election_id,
                             const std::string& voter_id,
                             const std::optional<std::string>& passphrase,
                             const crypto::ScryptParameters& scrypt) {
  crypto::Ed25519PrivateKey key = crypto::Ed25519PrivateKey::generate();
  Bytes public_key = key.public_key();
  const Credential credential{election_id, voter_id, std::move(key), public_key};
  crypto::Bytes file =
      crypto::canonical_json_bytes(credential_to_json(credential, passphrase, scrypt));
  std::string content(file.begin(), file.end());
  content.push_back('\n');
  create_new_file(path, content, true);
  OPENSSL_cleanse(content.data(), content.size());
  OPENSSL_cleanse(file.data(), file.size());
  return public_key;
}

std::size_t issue_credentials(const std::filesystem::path& election_dir,
                              std::string_view voters_csv, std::string_view source,
                              const std::filesystem::path& out_dir, const IssueOptions& options) {
  const Manifest manifest = load_manifest(election_dir);
  Roll roll = load_roll(election_dir, manifest.election_id);
  const std::vector<VoterRow> rows = parse_voters_csv(voters_csv, source);
  for (const VoterRow& row : rows) {
    if (roll.find(row.voter_id)) {
      throw FormatError(std::string(source) + ":" + std::to_string(row.line),
                        "voter \"" + row.voter_id + "\" is already on the roll");
    }
  }
  std::filesystem::create_directories(out_dir);
  for (const VoterRow& row : rows) {
    const auto file = out_dir / (row.voter_id + ".json");
    if (std::filesystem::exists(file)) {
      throw std::runtime_error(file.string() +
                               ": already exists (refusing to overwrite a credential)");
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Bytes public_key =
        write_fresh_credential(out_dir / (rows[i].voter_id + ".json"), manifest.election_id,
                               rows[i].voter_id, options.passphrase, options.scrypt);
    roll.add(rows[i].voter_id, public_key);
    if (options.progress) options.progress(i + 1, rows.size());
  }
  save_roll(election_dir, roll);
  return rows.size();
}

crypto::Bytes make_own_credential(const std::filesystem::path& election_dir,
                                  const std::string& voter_id, const std::filesystem::path& out,
                                  const std::optional<std::string>& passphrase,
                                  const crypto::ScryptParameters& scrypt) {
  const Manifest manifest = load_manifest(election_dir);
  if (!is_valid_identifier(voter_id)) {
    throw std::invalid_argument(
        "--voter-id: invalid identifier \"" + voter_id +
        "\" (1 to 64 of a-z A-Z 0-9 . _ -, starting with a letter or digit)");
  }
  if (std::filesystem::exists(out)) {
    throw std::runtime_error(out.string() +
                             ": already exists (refusing to overwrite a credential)");
  }
  return write_fresh_credential(out, manifest.election_id, voter_id, passphrase, scrypt);
}

RollStanding roll_standing_var(const Roll& roll, const Credential& credential) {
  const crypto::Bytes* listed = roll.find(credential.voter_id);
  if (listed == nullptr) return RollStanding::not_listed;
  return *listed == credential.public_key ? RollStanding::listed : RollStanding::another_key;
}

void register_credential(const std::filesystem::path& election_dir, const std::string& voter_id,
                         std::string_view public_key_hex) {
  const Manifest manifest = load_manifest(election_dir);
  Roll roll = load_roll(election_dir, manifest.election_id);
  Bytes key;
  try {
    key = crypto::from_hex(public_key_hex);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--public-key: ") + e.what());
  }
  roll.add(voter_id, key);
  save_roll(election_dir, roll);
}

RollRegistration register_roll(const std::filesystem::path& election_dir,
                               const std::filesystem::path& roll_file) {
  const Manifest manifest = load_manifest(election_dir);
  Roll roll = load_roll(election_dir, manifest.election_id);
  Roll entries(manifest.election_id);
  try {
    entries = Roll::from_json(read_json_file(roll_file));
  } catch (const FormatError& e) {
    throw FormatError(roll_file.string(), e.what());
  }
  if (entries.election_id() != manifest.election_id) {
    throw std::invalid_argument(roll_file.string() + ": a roll of election \"" +
                                entries.election_id() + "\", not \"" + manifest.election_id + "\"");
  }
  RollRegistration result;
  result.file_roll_hash = entries.hash();
  for (const auto& [voter_id, public_key] : entries.voters()) {
    const Bytes* listed = roll.find(voter_id);
    if (listed == nullptr) {
      roll.add(voter_id, public_key);  // throws for a key another voter has
      ++result.added;
    } else if (*listed == public_key) {
      ++result.present;
    } else {
      throw std::invalid_argument(roll_file.string() + ": voter \"" + voter_id +
                                  "\" is already on the roll with another key; nothing was "
                                  "registered");
    }
  }
  save_roll(election_dir, roll);
  return result;
}

Credential load_credential(const std::filesystem::path& path,
                           const std::function<std::string()>& passphrase) {
  try {
    return credential_from_json(read_json_file(path), passphrase);
  } catch (const FormatError& e) {
    throw FormatError(path.string(), e.what());
  }
}

}  // namespace haal::election
