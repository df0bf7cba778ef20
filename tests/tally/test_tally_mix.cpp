// The trustees' check before decrypting (tally/ceremony/mix.hpp verified_mix_output): it accepts an
// honest chain and refuses a proof forged under a short challenge (naming <vbitlenro>), a chain
// made under another public key (nizkp/FullPublicKey.bt) and a chain with another contest's
// auxsid. The producer's auxsid rule equals the verifier's and is injective.
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <set>

#include "mixnet/haal_bridge.hpp"
#include "tally/ceremony/mix.hpp"
#include "tests/election/fixtures.hpp"
#include "tests/mixnet/forge_shuffle.hpp"
#include "verifier-app/shuffle/check_mixing.hpp"

namespace fs = std::filesystem;
using namespace haal;

namespace {

struct Record {
  fs::path dir;
  Record() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("haal-tally-mix-" + std::to_string(rd()));
    fs::create_directories(dir);
  }
  ~Record() { fs::remove_all(dir); }
};

// N ballots of contest 0's width, each component a random message.
std::vector<crypto::CiphertextVector> ballots(const election::ElectionContext& ctx, std::size_t n,
                                              crypto::RandomSource& rng) {
  const crypto::Group& g = ctx.group();
  std::vector<crypto::CiphertextVector> out(n);
  for (auto& b : out) {
    for (std::size_t j = 0; j < ctx.width(0); ++j) {
      crypto::Bytes m(8);
      rng.fill(m);
      b.push_back(ctx.encryptor().encrypt(g.encode_message_var(m), g.scalars().random_secret(rng)));
    }
  }
  return out;
}

// Creates contest 0's one-server session in `record` over `input`, under key `y`.
fs::path create(const fs::path& record, const election::ElectionContext& ctx,
                const std::vector<crypto::CiphertextVector>& input, const crypto::Element& y,
                const std::string& auxsid) {
  const crypto::Group& g = ctx.group();
  const fs::path dir = record / "mix" / ctx.manifest().contests[0].id;
  mixnet::SessionSetup setup;
  setup.sid = tally::mix_session_id(ctx.hash());
  setup.auxsid = auxsid;
  setup.width = ctx.width(0);
  setup.y = g.to_compact_var(y);
  setup.party_names = {ctx.parties().mix_servers[0].id};  // the context's one mix server
  mixnet::create_session(dir, setup, mixnet::to_mix_list(g, input, ctx.width(0)));
  return dir;
}

// The context's one mix server, as election::test::test_parties(1) derives its key.
tally::MixServerIdentity mix_server_1() {
  return {"mix-1", crypto::Ed25519PrivateKey::from_seed(crypto::sha256("test party mix 1"))};
}

}  // namespace

TEST_CASE("the trustees' mix check refuses forged, foreign-key and misbound chains", "[mix]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("tally-mix"));
  const election::Manifest manifest =
      election::manifest_from_json(election::test::sample_manifest_json("P-256"));
  const election::ElectionContext ctx = election::ElectionContext::seal(
      manifest, election::test::test_key(manifest.group()).ceremony_result,
      election::test::test_parties(1));
  const std::string auxsid = tally::mix_auxiliary_session_id(ctx.manifest().contests[0].id);
  const auto input = ballots(ctx, 3, rng);

  SECTION("an honest chain is accepted") {
    Record r;
    const fs::path dir = create(r.dir, ctx, input, ctx.public_key(), auxsid);
    mixnet::run_mix_server(dir, 1, rng);
    // Unsigned, the shuffle is refused; signed by the pinned server, accepted.
    CHECK_THROWS_WITH(tally::verified_mix_output(r.dir, ctx, 0, input),
                      Catch::Contains("mix server 1 (mix-1): statements/01.json is missing"));
    tally::sign_mix_statement(ctx, 0, dir, 1, mix_server_1());
    CHECK(tally::verified_mix_output(r.dir, ctx, 0, input).size() == 3);
  }
  SECTION("a proof forged under vbitlenro 0 or 8 is refused, naming the parameter") {
    for (const unsigned n_v : {0u, 8u}) {
      Record r;
      const fs::path dir = create(r.dir, ctx, input, ctx.public_key(), auxsid);
      const auto forged = ballots(ctx, 3, rng);  // ballots nobody cast
      mixnet::testing::forge_session(dir, n_v,
                                     mixnet::to_mix_list(ctx.group(), forged, ctx.width(0)), rng);
      CHECK_THROWS_WITH(tally::verified_mix_output(r.dir, ctx, 0, input),
                        Catch::Contains("protInfo.xml <vbitlenro>: " + std::to_string(n_v) +
                                        ", Haal's profile requires 256"));
    }
  }
  SECTION("a chain under another public key is refused, naming FullPublicKey.bt") {
    Record r;
    const crypto::Element other = ctx.group().exp_generator_var(ctx.group().scalars().from_u64(7));
    mixnet::run_mix_server(create(r.dir, ctx, input, other, auxsid), 1, rng);
    CHECK_THROWS_WITH(tally::verified_mix_output(r.dir, ctx, 0, input),
                      Catch::Contains("FullPublicKey.bt is not the election's public key"));
  }
  SECTION("a chain with the auxsid of the old rule (\"c\" || letters and digits) is refused") {
    Record r;
    mixnet::run_mix_server(create(r.dir, ctx, input, ctx.public_key(), "cmayor"), 1, rng);
    CHECK_THROWS_WITH(tally::verified_mix_output(r.dir, ctx, 0, input),
                      Catch::Contains("not bound to this election"));
  }
}

TEST_CASE("the mix auxsid is injective and the producer and the verifier agree", "[mix]") {
  const std::vector<std::string> ids = {"mayor",
                                        "may-or",
                                        "may.or",
                                        "may_or",
                                        "Mayor",
                                        "MAYOR",
                                        "a",
                                        "a1",
                                        "a-1",
                                        "a.1",
                                        "a_1",
                                        "city-council_2",
                                        std::string(64, 'z'),
                                        "x" + std::string(63, '-')};
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    const std::string aux = tally::mix_auxiliary_session_id(id);
    INFO(id);
    CHECK(aux == verifier::expected_mix_auxsid(id));
    CHECK(seen.insert(aux).second);
    // Verificatum's syntax: at most 256 of [A-Za-z0-9].
    CHECK(aux.size() <= 256);
    CHECK(aux.find_first_not_of("0123456789abcdef", 1) == std::string::npos);
  }
  CHECK(tally::mix_auxiliary_session_id("may-or") != tally::mix_auxiliary_session_id("mayor"));
}
