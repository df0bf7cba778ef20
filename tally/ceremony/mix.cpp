#include "tally/ceremony/mix.hpp"

#include <optional>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/random_source.hpp"
#include "election/context.hpp"
#include "mixnet/haal_bridge.hpp"
#include "mixnet/protocol_info.hpp"
#include "mixnet/session.hpp"
#include "tally/ceremony/cleanse.hpp"

namespace haal::tally {

namespace fs = std::filesystem;

std::string mix_session_id(const crypto::Digest& context_hash) {
  return "Haal" + crypto::to_hex(context_hash);
}

std::string mix_auxiliary_session_id(const std::string& contest_id) {
  return "c" + crypto::to_hex(crypto::to_bytes(contest_id));
}

std::vector<std::vector<crypto::CiphertextVector>> mix_inputs(
    const fs::path& record_dir, const election::ElectionContext& context) {
  const crypto::Group& group = context.group();
  const auto& contests = context.manifest().contests;
  const Json cast = read_record_json(record_dir / "cleanse" / "cast.json");
  if (cast.value("context_hash", "") != crypto::to_hex(context.hash())) {
    throw TallyError("cleanse/cast.json is for another election context");
  }
  const std::vector<Json> entries = read_board_entries(record_dir);
  const Json& ballots = cast.at("ballots");
  std::vector<std::vector<crypto::CiphertextVector>> out(
      contests.size(), std::vector<crypto::CiphertextVector>(ballots.size()));
  for (std::size_t n = 0; n < ballots.size(); ++n) {
    const std::string where = "cleanse/cast.json ballots[" + std::to_string(n) + "]";
    const std::size_t index = ballots[n].at("board_index").get<std::size_t>();
    if (index >= entries.size() || entries[index]["kind"] != "ballot") {
      throw TallyError(where + ": board entry " + std::to_string(index) + " is not a ballot");
    }
    const Json ballot = Json::parse(entries[index]["payload"].get_ref<const std::string&>());
    if (crypto::to_hex(crypto::canonical_json_hash(ballot)) != ballots[n].at("ballot_hash")) {
      throw TallyError(where + ": ballot_hash differs from the board entry's ballot");
    }
    for (std::size_t i = 0; i < contests.size(); ++i) {
      const std::size_t width = context.width(i);
      const Json& contest = ballot.at("contests").at(i);
      if (contest.at("contest_id") != contests[i].id) {
        throw TallyError(where + ": contest " + std::to_string(i) + " is not " + contests[i].id);
      }
      const Json& cts = contest.at("ciphertexts");
      if (cts.size() != width)
        throw TallyError(where + ": contest " + contests[i].id + " has the wrong width");
      const std::string path = "board entry " + std::to_string(index) + " contests[" +
                               std::to_string(i) + "].ciphertexts";
      for (std::size_t j = 0; j < width; ++j) {
        out[i][n].push_back(crypto::Ciphertext{
            crypto::element_from_json(group, cts[j].at("alpha"), path + ".alpha"),
            crypto::element_from_json(group, cts[j].at("beta"), path + ".beta")});
      }
    }
  }
  return out;
}

namespace {

// Number of servers that have shuffled in `dir` (their CiphertextsLL.bt exist).
unsigned servers_done(const fs::path& dir, unsigned servers) {
  unsigned l = 0;
  while (l < servers && fs::exists(dir / "nizkp" / "proofs" /
                                   ("Ciphertexts" + mixnet::party_suffix(l + 1) + ".bt"))) {
    ++l;
  }
  return l;
}

// Checks servers 1..servers of contest i's chain in `dir` (all of them when `servers` is the
// chain's length) and returns server `servers`' output: the protocol info names exactly the
// context's mix servers, the session is bound to the election (sid, auxsid, public key), the
// input is `input`, and every proof of shuffle and signed statement holds.
mixnet::CiphertextList checked_chain_prefix(const fs::path& dir,
                                            const election::ElectionContext& context, std::size_t i,
                                            const std::vector<crypto::CiphertextVector>& input,
                                            unsigned servers) {
  const crypto::Group& group = context.group();
  const std::string& contest = context.manifest().contests.at(i).id;
  const auto& pinned = context.parties().mix_servers;
  const mixnet::ProtocolInfo info =
      mixnet::parse_protocol_info(base::read_file(dir / "protInfo.xml"));
  if (info.nopart != pinned.size() || info.parties.size() != pinned.size()) {
    throw TallyError("contest " + contest + ": protInfo.xml names " + std::to_string(info.nopart) +
                     " mix servers, context.json mix_servers " + std::to_string(pinned.size()));
  }
  for (std::size_t l = 0; l < pinned.size(); ++l) {
    if (info.parties[l].name != pinned[l].id) {
      throw TallyError("contest " + contest + ": protInfo.xml party " + std::to_string(l + 1) +
                       " is \"" + info.parties[l].name + "\", context.json mix_servers[" +
                       std::to_string(l) + "] is \"" + pinned[l].id + "\"");
    }
  }
  if (info.sid != mix_session_id(context.hash()) ||
      base::read_file(dir / "nizkp" / "auxsid") != mix_auxiliary_session_id(contest)) {
    throw TallyError("contest " + contest + ": the mix session is not bound to this election");
  }
  if (base::read_file_bytes(dir / "nizkp" / "FullPublicKey.bt") !=
      mixnet::write_full_public_key(group, group.to_compact_var(context.public_key()))) {
    throw TallyError("contest " + contest +
                     ": nizkp/FullPublicKey.bt is not the election's public key");
  }
  const crypto::Bytes expected =
      mixnet::ciphertexts_file(group, mixnet::to_mix_list(group, input, context.width(i)));
  if (base::read_file_bytes(dir / "nizkp" / "Ciphertexts.bt") != expected) {
    throw TallyError("contest " + contest +
                     ": the mix input is not the counted ballots' ciphertexts in cleanse order");
  }
  if (servers == 0) return {};  // the first server: nothing earlier to check
  mixnet::VerifyOptions options;
  options.haal_profile = true;  // Haal's proof parameters exactly, whatever <sid> says
  options.servers = servers;
  const mixnet::SessionReport report =
      mixnet::verify_session(dir / "protInfo.xml", dir / "nizkp", options);
  if (!report.ok)
    throw TallyError("contest " + contest + ": mix chain rejected: " + report.message);
  check_mix_statements_var(context, i, dir, servers);
  return report.output;
}

}  // namespace

std::vector<MixStep> run_mix_server_turn(const fs::path& record_dir,
                                         const MixServerIdentity& identity,
                                         std::ostream* progress) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const crypto::Group& group = context.group();
  const auto& pinned = context.parties().mix_servers;
  const unsigned l = mix_server_position(context, identity.key.public_key());
  if (l == 0) {
    throw TallyError("mix server \"" + identity.id +
                     "\": its key is not one of context.json mix_servers");
  }
  const Json cast = read_record_json(record_dir / "cleanse" / "cast.json");
  const std::size_t counted = cast.at("ballots").size();
  std::vector<MixStep> steps;
  std::optional<std::vector<std::vector<crypto::CiphertextVector>>> inputs;  // read once, if needed
  const auto& contests = context.manifest().contests;
  for (std::size_t i = 0; i < contests.size(); ++i) {
    MixStep step;
    step.contest_id = contests[i].id;
    step.width = context.width(i);
    step.ciphertexts = counted;
    step.servers = static_cast<unsigned>(pinned.size());
    if (counted == 0) {
      steps.push_back(step);  // nothing to mix: no directory (docs/verifier-mixing.md)
      continue;
    }
    if (!inputs) inputs = mix_inputs(record_dir, context);
    const fs::path dir = record_dir / "mix" / contests[i].id;
    if (!fs::exists(dir / "protInfo.xml")) {
      if (l != 1) {
        throw TallyError("contest " + contests[i].id + ": mix server 1 (" + pinned[0].id +
                         ") has not mixed yet; mix server " + std::to_string(l) + " waits");
      }
      mixnet::SessionSetup setup;
      setup.sid = mix_session_id(context.hash());
      setup.auxsid = mix_auxiliary_session_id(contests[i].id);
      setup.group_name = group.name();
      setup.width = step.width;
      setup.servers = step.servers;
      setup.y = group.to_compact_var(context.public_key());
      for (const election::MixServerParty& s : pinned) {
        setup.party_names.push_back(s.id);
        setup.party_descriptions.push_back("Haal mix server, Ed25519 key " +
                                           crypto::to_hex(s.public_key));
      }
      mixnet::create_session(dir, setup, mixnet::to_mix_list(group, (*inputs)[i], step.width));
    }
    const unsigned done = servers_done(dir, step.servers);
    if (done >= l) {
      throw TallyError("contest " + contests[i].id + ": mix server " + std::to_string(l) + " (" +
                       identity.id + ") has already mixed");
    }
    if (done + 1 < l) {
      throw TallyError("contest " + contests[i].id + ": mix server " + std::to_string(done + 1) +
                       " (" + pinned[done].id + ") has not mixed yet; mix server " +
                       std::to_string(l) + " waits");
    }
    if (progress) {
      *progress << "mix server " << l << " of " << step.servers << " (" << identity.id
                << "), contest " << contests[i].id << ": checking the " << (l - 1)
                << " earlier shuffles\n";
    }
    checked_chain_prefix(dir, context, i, (*inputs)[i], l - 1);
    step.server = l;
    if (progress) {
      *progress << "mix server " << l << " of " << step.servers << ", contest " << contests[i].id
                << ": " << counted << " ballots of width " << step.width << "\n";
    }
    mixnet::run_mix_server(dir, l, crypto::system_random());
    sign_mix_statement(context, i, dir, l, identity);
    steps.push_back(step);
  }
  return steps;
}

std::vector<crypto::CiphertextVector> verified_mix_output(
    const fs::path& record_dir, const election::ElectionContext& context, std::size_t contest_index,
    const std::vector<crypto::CiphertextVector>& input) {
  const crypto::Group& group = context.group();
  const auto& contest = context.manifest().contests.at(contest_index);
  const fs::path dir = record_dir / "mix" / contest.id;
  if (input.empty()) {
    if (fs::exists(dir)) throw TallyError(dir.string() + ": a mix of a contest without ballots");
    return {};
  }
  const unsigned servers = static_cast<unsigned>(context.parties().mix_servers.size());
  const unsigned done = servers_done(dir, servers);
  if (done < servers) {
    throw TallyError("contest " + contest.id + ": only " + std::to_string(done) + " of the " +
                     std::to_string(servers) + " mix servers of context.json have mixed");
  }
  const mixnet::CiphertextList output =
      checked_chain_prefix(dir, context, contest_index, input, servers);
  return mixnet::to_haal_list(group, output);
}

}  // namespace haal::tally
