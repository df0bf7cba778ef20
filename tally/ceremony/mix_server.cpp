#include "tally/ceremony/mix_server.hpp"

#include "crypto/canonical_json.hpp"
#include "crypto/passphrase_box.hpp"
#include "crypto/sha256.hpp"
#include "election/parties.hpp"
#include "election/strict_json.hpp"
#include "mixnet/session.hpp"
#include "tally/ceremony/record.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

namespace {

std::string key_label(const std::string& election_id, const std::string& server_id) {
  return "haal mix server key/" + election_id + "/" + server_id;
}

std::string file_hash(const fs::path& path) {
  return crypto::to_hex(crypto::sha256(crypto::ByteView(base::read_file_bytes(path))));
}

std::string canonical_line(const Json& j) {
  const crypto::Bytes bytes = crypto::canonical_json_bytes(j);
  return std::string(bytes.begin(), bytes.end()) + "\n";
}

}  // namespace

crypto::Bytes create_mix_server_key(const fs::path& server_dir, const std::string& election_id,
                                    const std::string& server_id, std::string_view passphrase) {
  if (!election::is_valid_identifier(server_id)) {
    throw std::invalid_argument("mix server id \"" + server_id +
                                "\" is not an identifier ([A-Za-z0-9][A-Za-z0-9._-]{0,63})");
  }
  const fs::path key_file = server_dir / kMixServerKeyFile;
  const fs::path public_file = server_dir / kMixServerPublicFile;
  for (const fs::path& p : {key_file, public_file}) {
    if (fs::exists(p)) throw std::runtime_error(p.string() + ": exists; not overwritten");
  }
  fs::create_directories(server_dir);
  fs::permissions(server_dir, fs::perms::owner_all);
  const auto key = crypto::Ed25519PrivateKey::generate();
  crypto::Bytes seed = key.seed();
  const Json box = crypto::passphrase_box_seal(seed, passphrase, key_label(election_id, server_id));
  crypto::wipe(seed);
  const crypto::Bytes public_key = key.public_key();
  election::create_new_file(key_file,
                            canonical_line({{"election_id", election_id},
                                            {"id", server_id},
                                            {"public_key", crypto::to_hex(public_key)},
                                            {"box", box}}),
                            true);
  election::create_new_file(
      public_file,
      canonical_line(election::party_public_file(election_id, "mix-server", server_id, public_key)),
      false);
  return public_key;
}

MixServerIdentity load_mix_server_key(const fs::path& server_dir, const std::string& election_id,
                                      std::string_view passphrase) {
  const fs::path key_file = server_dir / kMixServerKeyFile;
  const std::string where = key_file.string();
  const Json j = election::read_json_file(key_file);
  if (!j.is_object()) throw crypto::FormatError(where, "must be a JSON object");
  crypto::reject_unknown_fields(j, {"election_id", "id", "public_key", "box"}, where);
  if (crypto::require_string(j, "election_id", where) != election_id) {
    throw std::runtime_error(where + ": a mix server key of election \"" +
                             j.at("election_id").get<std::string>() + "\", not \"" + election_id +
                             "\"");
  }
  const std::string id = crypto::require_string(j, "id", where);
  crypto::Bytes seed = crypto::passphrase_box_open(crypto::require_field(j, "box", where),
                                                   passphrase, key_label(election_id, id));
  auto key = crypto::Ed25519PrivateKey::from_seed(seed);
  crypto::wipe(seed);
  if (crypto::to_hex(key.public_key()) != crypto::require_string(j, "public_key", where)) {
    throw std::runtime_error(where + ": the sealed key does not match public_key");
  }
  return MixServerIdentity{id, std::move(key)};
}

unsigned mix_server_position(const election::ElectionContext& context,
                             crypto::ByteView public_key) {
  const auto& servers = context.parties().mix_servers;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (std::equal(servers[i].public_key.begin(), servers[i].public_key.end(), public_key.begin(),
                   public_key.end())) {
      return static_cast<unsigned>(i + 1);
    }
  }
  return 0;
}

std::string mix_statement_file(unsigned l) {
  return "statements/" + mixnet::party_suffix(l) + ".json";
}

Json mix_statement(const election::ElectionContext& context, std::size_t contest_index,
                   const fs::path& mix_dir, unsigned l) {
  const fs::path nizkp = mix_dir / "nizkp";
  const fs::path proofs = nizkp / "proofs";
  const std::string ll = mixnet::party_suffix(l);
  const fs::path input = l == 1 ? nizkp / "Ciphertexts.bt"
                                : proofs / ("Ciphertexts" + mixnet::party_suffix(l - 1) + ".bt");
  // An empty list is shuffled without a proof: its proof hashes are those of no bytes.
  auto proof_hash = [&](const std::string& name) {
    const fs::path p = proofs / (name + ll + ".bt");
    return fs::exists(p) ? file_hash(p) : crypto::to_hex(crypto::sha256(std::string_view()));
  };
  return Json{{"type", kMixStatementType},
              {"election_id", context.election_id()},
              {"context_hash", crypto::to_hex(context.hash())},
              {"contest_id", context.manifest().contests.at(contest_index).id},
              {"position", l},
              {"server_id", context.parties().mix_servers.at(l - 1).id},
              {"protinfo_hash", file_hash(mix_dir / "protInfo.xml")},
              {"input_hash", file_hash(input)},
              {"permutation_commitment_hash", proof_hash("PermutationCommitment")},
              {"pos_commitment_hash", proof_hash("PoSCommitment")},
              {"pos_reply_hash", proof_hash("PoSReply")},
              {"output_hash", file_hash(proofs / ("Ciphertexts" + ll + ".bt"))}};
}

crypto::Bytes mix_statement_signed_bytes(const Json& statement) {
  crypto::Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes(kMixStatementTag));
  const crypto::Bytes body = crypto::canonical_json_bytes(statement);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

void sign_mix_statement(const election::ElectionContext& context, std::size_t contest_index,
                        const fs::path& mix_dir, unsigned l, const MixServerIdentity& identity) {
  if (mix_server_position(context, identity.key.public_key()) != l) {
    throw TallyError("the key of mix server \"" + identity.id + "\" is not server " +
                     std::to_string(l) + " of context.json mix_servers");
  }
  const Json statement = mix_statement(context, contest_index, mix_dir, l);
  const Json signed_statement{
      {"statement", statement},
      {"signature", crypto::to_hex(identity.key.sign(mix_statement_signed_bytes(statement)))}};
  write_record_json(mix_dir / mix_statement_file(l), signed_statement);
}

void check_mix_statements_var(const election::ElectionContext& context, std::size_t contest_index,
                              const fs::path& mix_dir, unsigned servers) {
  const auto& parties = context.parties().mix_servers;
  const std::string contest = context.manifest().contests.at(contest_index).id;
  for (unsigned l = 1; l <= servers; ++l) {
    const std::string name = mix_statement_file(l);
    const std::string who = "contest " + contest + ": mix server " + std::to_string(l) + " (" +
                            parties.at(l - 1).id + ")";
    if (!fs::exists(mix_dir / name)) throw TallyError(who + ": " + name + " is missing");
    const Json j = read_record_json(mix_dir / name);
    if (!j.is_object() || j.size() != 2 || !j.contains("statement") || !j.contains("signature") ||
        !j["signature"].is_string()) {
      throw TallyError(who + ": " + name + " is not {\"statement\", \"signature\"}");
    }
    const Json expected = mix_statement(context, contest_index, mix_dir, l);
    if (j["statement"] != expected) {
      throw TallyError(who + ": " + name +
                       " does not state this chain's files (a file changed after signing?)");
    }
    crypto::Bytes signature;
    try {
      signature = crypto::from_hex(j["signature"].get<std::string>());
    } catch (const std::exception&) {
      throw TallyError(who + ": " + name + ".signature is not hex");
    }
    if (!crypto::ed25519_verify(parties[l - 1].public_key, mix_statement_signed_bytes(expected),
                                signature)) {
      throw TallyError(who + ": " + name +
                       ".signature is not this server's signature under its pinned key");
    }
  }
}

}  // namespace haal::tally
