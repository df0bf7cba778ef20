#include "election/parties.hpp"

#include <map>

#include "crypto/ed25519.hpp"
#include "election/manifest.hpp"
#include "election/strict_json.hpp"

namespace haal::election {

using crypto::FormatError;

namespace {

crypto::Bytes key_field(const Json& j, std::string_view field, const std::string& path) {
  const std::string where = path + "." + std::string(field);
  const crypto::Bytes key = crypto::bytes_from_json(crypto::require_field(j, field, path), where,
                                                    crypto::kEd25519PublicKeyLength);
  crypto::require_ed25519_public_key(key, where);
  return key;
}

}  // namespace

Json parties_to_json(const ElectionParties& parties) {
  Json servers = Json::array();
  for (const MixServerParty& s : parties.mix_servers) {
    servers.push_back({{"id", s.id}, {"public_key", crypto::to_hex(s.public_key)}});
  }
  return Json{{"officials_key", crypto::to_hex(parties.officials_key)},
              {"collector_key", crypto::to_hex(parties.collector_key)},
              {"mix_servers", servers}};
}

ElectionParties parties_from_json(const Json& context, const std::string& path) {
  ElectionParties parties;
  parties.officials_key = key_field(context, "officials_key", path);
  parties.collector_key = key_field(context, "collector_key", path);
  const Json& servers = crypto::require_field(context, "mix_servers", path);
  const std::string spath = path + ".mix_servers";
  if (!servers.is_array()) throw FormatError(spath, "must be an array");
  if (servers.empty()) throw FormatError(spath, "must name at least one mix server");
  if (servers.size() > kMaxMixServers) {
    throw FormatError(spath, "more than " + std::to_string(kMaxMixServers) + " mix servers");
  }
  // A key may serve one role only: one key in two places means one operator in two roles.
  std::map<crypto::Bytes, std::string> roles{{parties.officials_key, path + ".officials_key"}};
  if (!roles.emplace(parties.collector_key, path + ".collector_key").second) {
    throw FormatError(path + ".collector_key", "is also the officials' key");
  }
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const std::string p = spath + "[" + std::to_string(i) + "]";
    const Json& s = servers[i];
    if (!s.is_object()) throw FormatError(p, "must be an object");
    crypto::reject_unknown_fields(s, {"id", "public_key"}, p);
    MixServerParty server;
    server.id = require_identifier(s, "id", p);
    for (const MixServerParty& earlier : parties.mix_servers) {
      if (earlier.id == server.id) throw FormatError(p + ".id", "duplicate mix server id");
    }
    server.public_key = key_field(s, "public_key", p);
    const auto [it, fresh] = roles.emplace(server.public_key, p + ".public_key");
    if (!fresh) throw FormatError(p + ".public_key", "is also the key of " + it->second);
    parties.mix_servers.push_back(std::move(server));
  }
  return parties;
}

Json party_public_file(const std::string& election_id, const std::string& role,
                       const std::string& id, crypto::ByteView public_key) {
  Json j{{"election_id", election_id}, {"role", role}, {"public_key", crypto::to_hex(public_key)}};
  if (role == "mix-server") j["id"] = id;
  return j;
}

crypto::Bytes read_party_public_file(const std::filesystem::path& path,
                                     const std::string& election_id, const std::string& role,
                                     std::string* id) {
  const std::string where = path.string();
  const Json j = read_json_file(path);
  if (!j.is_object()) throw FormatError(where, "must be a JSON object");
  // The role first: a file of another party is named as such, not by its other fields.
  if (crypto::require_string(j, "role", where) != role) {
    throw FormatError(where + ".role",
                      "is \"" + j.at("role").get<std::string>() + "\", expected \"" + role + "\"");
  }
  if (role == "mix-server") {
    crypto::reject_unknown_fields(j, {"election_id", "role", "id", "public_key"}, where);
  } else {
    crypto::reject_unknown_fields(j, {"election_id", "role", "public_key"}, where);
  }
  if (crypto::require_string(j, "election_id", where) != election_id) {
    throw FormatError(where + ".election_id", "is not this election's id \"" + election_id + "\"");
  }
  if (role == "mix-server") {
    const std::string server_id = require_identifier(j, "id", where);
    if (id) *id = server_id;
  }
  return key_field(j, "public_key", where);
}

}  // namespace haal::election
