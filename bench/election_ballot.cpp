// Ballot costs on the voter's device and at the collector: encrypt + prove + sign a 5-contest
// ballot, and verify_ballot_var on it, per group. Run build/bin/haal-bench-election.
#include <benchmark/benchmark.h>

#include "crypto/random_source.hpp"
#include "election/ballot.hpp"

namespace {

using namespace haal::election;

Json manifest_json(const std::string& group) {
  return Json::parse(R"({
    "election_id": "bench", "title": "Bench",
    "voting_window": {"opens": "2026-11-20T08:00:00Z", "closes": "2026-11-27T18:00:00Z"},
    "group": ")" + group +
                     R"(", "trustees": {"count": 3, "threshold": 2},
    "contests": [
      {"id": "mayor", "title": "Mayor", "kind": "plurality", "min": 1, "max": 1,
       "options": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}, {"id": "c", "title": "C"}],
       "write_in": {"max_bytes": 40}},
      {"id": "council", "title": "Council", "kind": "approval", "min": 0, "max": 3,
       "options": [{"id": "c1", "title": "1"}, {"id": "c2", "title": "2"}, {"id": "c3", "title": "3"},
                   {"id": "c4", "title": "4"}, {"id": "c5", "title": "5"}]},
      {"id": "measure", "title": "Measure", "kind": "referendum", "min": 0, "max": 1,
       "options": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}]},
      {"id": "board", "title": "Board", "kind": "ranked", "min": 1, "max": 3,
       "options": [{"id": "d", "title": "D"}, {"id": "e", "title": "E"}, {"id": "f", "title": "F"},
                   {"id": "g", "title": "G"}]},
      {"id": "chair", "title": "Chair", "kind": "ranked", "min": 0, "max": 4,
       "options": [{"id": "o1", "title": "1"}, {"id": "o2", "title": "2"}, {"id": "o3", "title": "3"},
                   {"id": "o4", "title": "4"}]}
    ]})");
}

const Json kChoices = Json::parse(R"({"mayor": [{"write_in": "Somebody Else"}],
  "council": ["c1", "c4"], "measure": ["yes"], "board": ["f", "d"], "chair": ["o2", "o1", "o4"]})");

struct Fixture {
  ElectionContext context;
  Credential credential;
  Roll roll;
  BallotChoices choices;
};

Fixture make_fixture(const std::string& group_name) {
  const Manifest manifest = manifest_from_json(manifest_json(group_name));
  const haal::crypto::Group& group = manifest.group();
  haal::crypto::DeterministicRandomForTests rng(haal::crypto::to_bytes("bench key"));
  const Json result = {
      {"public_key", group.to_hex(group.exp_generator(group.scalars().random_secret(rng)))}};
  haal::crypto::Ed25519PrivateKey key = haal::crypto::Ed25519PrivateKey::generate();
  const haal::crypto::Bytes public_key = key.public_key();
  haal::election::ElectionParties parties;
  parties.officials_key = haal::crypto::Ed25519PrivateKey::generate().public_key();
  parties.collector_key = haal::crypto::Ed25519PrivateKey::generate().public_key();
  parties.mix_servers = {{"mix-1", haal::crypto::Ed25519PrivateKey::generate().public_key()}};
  Fixture f{ElectionContext::seal(manifest, result, parties),
            Credential{"bench", "v1", std::move(key), public_key}, Roll("bench"),
            ballot_choices_from_json(manifest, kChoices)};
  f.roll.add("v1", public_key);
  return f;
}

void BM_EncryptBallot(benchmark::State& state, const std::string& group) {
  const Fixture f = make_fixture(group);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        encrypt_ballot_var(f.context, f.credential, f.choices, 1, haal::crypto::system_random()));
  }
}

void BM_VerifyBallot(benchmark::State& state, const std::string& group) {
  const Fixture f = make_fixture(group);
  const Json ballot =
      encrypt_ballot_var(f.context, f.credential, f.choices, 1, haal::crypto::system_random())
          .ballot;
  for (auto _ : state) benchmark::DoNotOptimize(verify_ballot_var(f.context, f.roll, ballot));
}

BENCHMARK_CAPTURE(BM_EncryptBallot, p256, std::string("P-256"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_VerifyBallot, p256, std::string("P-256"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EncryptBallot, modp2048, std::string("modp-2048"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_VerifyBallot, modp2048, std::string("modp-2048"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_EncryptBallot, modp3072, std::string("modp-3072"))
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_VerifyBallot, modp3072, std::string("modp-3072"))
    ->Unit(benchmark::kMillisecond);

}  // namespace
