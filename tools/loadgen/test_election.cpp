#include "tools/loadgen/test_election.hpp"

#include <cstdio>

#include "collector/protocol/collector_key.hpp"
#include "collector/protocol/election_view.hpp"
#include "crypto/group.hpp"
#include "crypto/random_source.hpp"
#include "election/context.hpp"
#include "election/credential.hpp"
#include "election/parties.hpp"

namespace haal::collector {

crypto::Ed25519PrivateKey make_test_election(const std::filesystem::path& election_dir,
                                             const std::filesystem::path& credentials_dir,
                                             const TestElectionOptions& o) {
  const Json manifest = {{"election_id", o.election_id},
                         {"title", "Load test " + o.election_id},
                         {"voting_window", {{"opens", o.opens}, {"closes", o.closes}}},
                         {"group", o.group},
                         {"trustees", {{"count", 1}, {"threshold", 1}}},
                         {"contests",
                          {{{"id", "mayor"},
                            {"title", "Mayor"},
                            {"kind", "plurality"},
                            {"min", 1},
                            {"max", 1},
                            {"options",
                             {{{"id", "alice"}, {"title", "Alice"}},
                              {{"id", "bob"}, {"title", "Bob"}},
                              {{"id", "carol"}, {"title", "Carol"}}}}}}}};
  election::create_election(manifest.dump(), "test manifest", election_dir);
  const crypto::Group& group = crypto::group_by_name(o.group);
  const crypto::Element public_key =
      group.exp_generator(group.scalars().random_secret(crypto::system_random()));
  std::filesystem::create_directories(election_dir / "ceremony");
  write_json_file(election_dir / election::kCeremonyResultFile,
                  {{"public_key", group.to_hex(public_key)}});
  auto officials = crypto::Ed25519PrivateKey::generate();
  write_json_file(
      election_dir / "officials.json",
      election::party_public_file(o.election_id, "officials", "", officials.public_key()));
  const auto collector = o.collector_key_seed.empty()
                             ? crypto::Ed25519PrivateKey::generate()
                             : crypto::Ed25519PrivateKey::from_seed(o.collector_key_seed);
  if (!o.collector_key_file.empty()) write_collector_key(o.collector_key_file, collector);
  election::ElectionParties parties;
  parties.officials_key = officials.public_key();
  parties.collector_key = collector.public_key();
  parties.mix_servers.push_back({"mix-1", crypto::Ed25519PrivateKey::generate().public_key()});
  election::seal_election(election_dir, parties);
  std::string csv = "voter_id,name\n";
  for (std::size_t i = 1; i <= o.voters; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "voter-%06zu", i);
    csv += std::string(id) + ",Voter " + std::to_string(i) + "\n";
  }
  election::issue_credentials(election_dir, csv, "test voters", credentials_dir, {});
  return officials;
}

}  // namespace haal::collector
