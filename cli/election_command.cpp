// `haal election new|seal|show`: create an election directory from a manifest, seal it with
// the key ceremony's result, and print what it holds. Logic lives in election/.
#include <filesystem>
#include <iostream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "crypto/base/file.hpp"
#include "election/context.hpp"
#include "election/encoding.hpp"
#include "election/roll.hpp"
#include "election/strict_json.hpp"

namespace {

namespace fs = std::filesystem;
using namespace haal::election;

constexpr const char* kUsage =
    "usage:\n"
    "  haal election new --manifest FILE --out ELECTION_DIR\n"
    "      validate the manifest (every contest countable) and write\n"
    "      ELECTION_DIR/manifest.json (canonical)\n"
    "  haal election seal --election ELECTION_DIR --collector FILE --mix-servers FILE[,FILE...]\n"
    "                     [--officials FILE]\n"
    "      after the key ceremony and the parties' keygens: write ELECTION_DIR/context.json from\n"
    "      manifest.json, ceremony/result.json and the parties' public key files, which it pins:\n"
    "      --officials (default ELECTION_DIR/officials.json, from `haal officials keygen`),\n"
    "      --collector (from `haal-collector keygen`), --mix-servers in chain order (each from\n"
    "      `haal mix-server keygen`); prints context_hash\n"
    "  haal election show --election ELECTION_DIR [--lang en|et|ru]\n"
    "      print the manifest, the encoding widths, the context and the roll summary; titles\n"
    "      and contact in --lang (the manifest's translation, else its English text)\n";

int run_new(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"manifest", "out"});
  const fs::path source = args.required("manifest");
  const std::string text = haal::base::read_file(source);
  require_countable(parse_manifest(text, source.string()));
  const Manifest m = create_election(text, source.string(), args.required("out"));
  std::cout << "election " << m.election_id << ": " << m.contests.size() << " contests, group "
            << m.group_name << "\nmanifest_hash " << haal::crypto::to_hex(manifest_hash(m)) << "\n";
  return 0;
}

int run_seal(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "officials", "collector", "mix-servers"});
  const fs::path dir = args.required("election");
  const std::string id = load_manifest(dir).election_id;
  require_ceremony_result(dir);  // the first step after `election new`: say so before the rest
  // Each public file is made by the party's own keygen; say which when one is missing.
  const auto party_file = [](const std::string& file, const char* keygen) {
    if (!fs::exists(file)) {
      throw std::runtime_error(file + ": missing (made by `" + keygen + "`, before sealing)");
    }
    return file;
  };
  ElectionParties parties;
  parties.officials_key = read_party_public_file(
      party_file(args.value_or("officials", (dir / "officials.json").string()),
                 "haal officials keygen"),
      id, "officials");
  parties.collector_key = read_party_public_file(
      party_file(args.required("collector"), "haal-collector keygen"), id, "collector");
  for (const std::string& file : haal::cli::comma_list(args.required("mix-servers"))) {
    if (file.empty()) throw haal::cli::UsageError("--mix-servers: an empty file name");
    MixServerParty server;
    server.public_key = read_party_public_file(party_file(file, "haal mix-server keygen"), id,
                                               "mix-server", &server.id);
    parties.mix_servers.push_back(std::move(server));
  }
  const ElectionContext context = seal_election(dir, parties);
  std::cout << "context_hash " << haal::crypto::to_hex(context.hash()) << "\n";
  for (std::size_t i = 0; i < parties.mix_servers.size(); ++i) {
    std::cout << "mix server " << i + 1 << ": " << parties.mix_servers[i].id << "\n";
  }
  return 0;
}

void print_contest(const haal::crypto::Group& group, const Contest& c,
                   const std::string& language) {
  std::cout << "  " << c.id << " (" << contest_kind_name(c.kind) << ", " << c.min << ".." << c.max
            << (c.ranked() ? " ranks" : " choices") << ", width " << contest_width(group, c)
            << "): " << c.title.in(language) << "\n";
  for (const ContestOption& o : c.options)
    std::cout << "    - " << o.id << ": " << o.title.in(language) << "\n";
  if (c.write_in_max_bytes) {
    std::cout << "    - write-in, up to " << *c.write_in_max_bytes << " UTF-8 bytes\n";
  }
}

int run_show(const std::vector<std::string>& rest) {
  const haal::cli::Args args(rest, {"election", "lang"});
  const std::string language = haal::cli::display_language(args);
  const fs::path dir = args.required("election");
  const Manifest m = load_manifest(dir);
  std::cout << "election " << m.election_id << ": " << m.title.in(language) << "\n";
  if (m.contact) std::cout << "contact " << m.contact->in(language) << "\n";
  std::cout << "voting window " << m.opens << " .. " << m.closes << "\ngroup " << m.group_name
            << "\ntrustees " << m.trustee_threshold << " of " << m.trustee_count
            << "\nmanifest_hash " << haal::crypto::to_hex(manifest_hash(m)) << "\ncontests:\n";
  for (const Contest& c : m.contests) print_contest(m.group(), c, language);
  if (fs::exists(dir / kContextFile)) {
    const ElectionContext context = load_election_context(dir);
    std::cout << "sealed: context_hash " << haal::crypto::to_hex(context.hash()) << "\npublic_key "
              << context.group().to_hex(context.public_key()) << "\nofficials' key "
              << haal::crypto::to_hex(context.parties().officials_key) << "\ncollector's key "
              << haal::crypto::to_hex(context.parties().collector_key) << "\nmix servers:\n";
    for (const MixServerParty& s : context.parties().mix_servers) {
      std::cout << "  " << s.id << " " << haal::crypto::to_hex(s.public_key) << "\n";
    }
  } else {
    std::cout << "not sealed (no context.json)\n";
  }
  const Roll roll = load_roll(dir, m.election_id);
  std::cout << "roll: " << roll.size() << " voters, roll_hash " << haal::crypto::to_hex(roll.hash())
            << "\n";
  return 0;
}

const haal::cli::CommandRegistration reg("election", "create, seal and show an election", kUsage,
                                         {{"new", &run_new},
                                          {"seal", &run_seal},
                                          {"show", &run_show}});

}  // namespace
