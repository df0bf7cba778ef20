#include "tally/tally_mix.hpp"

#include <optional>

#include "crypto/canonical_json.hpp"
#include "crypto/random_source.hpp"
#include "election/context.hpp"
#include "mixnet/haal_bridge.hpp"
#include "mixnet/protocol_info.hpp"
#include "mixnet/session.hpp"
#include "tally/tally_cleanse.hpp"

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

}  // namespace

std::vector<MixStep> run_next_mix_server(const fs::path& record_dir, unsigned servers,
                                         std::ostream* progress) {
  const election::ElectionContext context = election::load_election_context(record_dir);
  const crypto::Group& group = context.group();
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
    if (counted == 0) {
      steps.push_back(step);  // nothing to mix: no directory (docs/verifier-mixing.md)
      continue;
    }
    const fs::path dir = record_dir / "mix" / contests[i].id;
    if (!fs::exists(dir / "protInfo.xml")) {
      mixnet::SessionSetup setup;
      setup.sid = mix_session_id(context.hash());
      setup.auxsid = mix_auxiliary_session_id(contests[i].id);
      setup.group_name = group.name();
      setup.width = step.width;
      setup.servers = servers;
      setup.y = mixnet::to_mix_element(group, context.public_key());
      if (!inputs) inputs = mix_inputs(record_dir, context);
      mixnet::create_session(dir, setup, mixnet::to_mix_list(group, (*inputs)[i], step.width));
    }
    step.servers = mixnet::parse_protocol_info(mixnet::read_text_file(dir / "protInfo.xml")).nopart;
    const unsigned done = servers_done(dir, step.servers);
    if (done == step.servers) {
      throw TallyError("contest " + contests[i].id + ": all " + std::to_string(step.servers) +
                       " mix servers have already mixed");
    }
    step.server = done + 1;
    if (progress) {
      *progress << "mix server " << step.server << " of " << step.servers << ", contest "
                << contests[i].id << ": " << counted << " ballots of width " << step.width << "\n";
    }
    mixnet::run_mix_server(dir, step.server, crypto::system_random());
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
  mixnet::VerifyOptions options;
  options.haal_profile = true;  // Haal's proof parameters exactly, whatever <sid> says
  const mixnet::SessionReport report =
      mixnet::verify_session(dir / "protInfo.xml", dir / "nizkp", options);
  if (!report.ok)
    throw TallyError("contest " + contest.id + ": mix chain rejected: " + report.message);
  const mixnet::ProtocolInfo info =
      mixnet::parse_protocol_info(mixnet::read_text_file(dir / "protInfo.xml"));
  if (info.sid != mix_session_id(context.hash()) ||
      mixnet::read_text_file(dir / "nizkp" / "auxsid") != mix_auxiliary_session_id(contest.id)) {
    throw TallyError("contest " + contest.id + ": the mix session is not bound to this election");
  }
  const mixnet::MixGroup& mgroup = mixnet::mix_group_for(group);
  if (mixnet::read_file(dir / "nizkp" / "FullPublicKey.bt") !=
      mixnet::write_full_public_key(mgroup, mixnet::to_mix_element(group, context.public_key()))) {
    throw TallyError("contest " + contest.id +
                     ": nizkp/FullPublicKey.bt is not the election's public key");
  }
  const crypto::Bytes expected = mixnet::ciphertexts_file(
      mgroup, mixnet::to_mix_list(group, input, context.width(contest_index)));
  if (mixnet::read_file(dir / "nizkp" / "Ciphertexts.bt") != expected) {
    throw TallyError("contest " + contest.id +
                     ": the mix input is not the counted ballots' ciphertexts in cleanse order");
  }
  return mixnet::to_haal_list(group, report.output);
}

}  // namespace haal::tally
