// The shuffle verifier on proofs written by Verificatum itself (tests/data/verifier-mix, copied
// from /work/shared/fixtures/verificatum): the originals verify, every intermediate value that
// `vmnv -t` printed is reproduced, and each tampered file is rejected.
#include <catch2/catch.hpp>

#include "fixture_util.hpp"
#include "verifier-app/shuffle/mix_session.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::shuffle;
using namespace haal::verifier::test;

namespace {

std::vector<mpz_class> integers_of(const VmnGroup& group, const crypto::Element& e) {
  const Bytes enc = group.encode(e);
  TreeReader r(enc, "element");
  std::vector<mpz_class> out;
  if (!group.is_p256()) {
    out.push_back(integer_of(r.leaf("value")));
    return out;
  }
  r.node(2, "point");
  for (int i = 0; i < 2; ++i) out.push_back(integer_of(r.leaf("coordinate")));
  return out;
}

std::vector<mpz_class> integers_of(const VmnGroup& group, const std::vector<crypto::Element>& es) {
  std::vector<mpz_class> out;
  for (const auto& e : es) {
    const auto v = integers_of(group, e);
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

struct Fixture {
  std::string dir;
  std::string group;
  unsigned servers;
};

const std::vector<Fixture> kFixtures = {{"modp2048-shuffle-n10", "modp-2048", 1},
                                        {"p256-mix-3party-n100", "P-256", 2}};

std::vector<std::string> values(const std::multimap<std::string, std::string>& tv,
                                const std::string& name) {
  std::vector<std::string> out;
  auto [a, b] = tv.equal_range(name);
  for (; a != b; ++a) out.push_back(a->second);
  return out;
}

}  // namespace

TEST_CASE("Verificatum fixtures verify and reproduce vmnv -t values", "[shuffle][fixture]") {
  for (const auto& fx : kFixtures) {
    SECTION(fx.dir) {
      const VmnGroup group(crypto::group_by_name(fx.group));
      const MemoryDir dir = MemoryDir::load(data_dir() / fx.dir);
      const auto tv = read_test_vectors(data_dir() / fx.dir / "vmnv-test-vectors.txt");

      const MixChainResult result = verify_mix_directory(group, dir.source(), {}, true);
      INFO(fx.dir);
      // The servers checked together accept the same proofs.
      const MixChainResult together = verify_mix_directory(group, dir.source());
      CHECK(together.ok());
      REQUIRE(together.servers.size() == fx.servers);
      for (const auto& e : result.errors) INFO(e);
      REQUIRE(result.errors.empty());
      REQUIRE(result.servers.size() == fx.servers);
      for (const auto& s : result.servers) CHECK(s.failure == "");
      CHECK(result.ok());

      // rho and the independent generators
      CHECK(crypto::to_hex(result.rho) == values(tv, "der.rho").at(0));
      const Bytes h_bytes =
          derive_generator_array(group, result.rho, result.info.statdist, result.count);
      TreeReader hr(h_bytes, "h");
      const ArrayView h = read_array(hr, group, result.count, "h");
      std::vector<crypto::Element> hs;
      for (std::size_t i = 0; i < h.count; ++i) hs.push_back(h.decode_var(group, i));
      CHECK(integers_of(group, hs) == hex_integers(values(tv, "bas.h").at(0)));

      // per server: seed, A, F, v, C, D
      const auto seeds = values(tv, "PoS.s");
      const auto As = values(tv, "PoS.A");
      const auto Fs = values(tv, "PoS.F");
      const auto vs = values(tv, "PoS.v");
      const auto Cs = values(tv, "PoS.C");
      const auto Ds = values(tv, "PoS.D");
      REQUIRE(seeds.size() == fx.servers);
      for (std::size_t l = 0; l < fx.servers; ++l) {
        const ShuffleTrace& t = result.servers[l].trace;
        CHECK(crypto::to_hex(t.seed) == seeds[l]);
        CHECK(integers_of(group, t.A) == hex_integers(As[l]));
        std::vector<crypto::Element> f = t.F.a;
        f.insert(f.end(), t.F.b.begin(), t.F.b.end());
        CHECK(integers_of(group, f) == hex_integers(Fs[l]));
        CHECK(t.v == hex_integers(vs[l]).at(0));
        CHECK(integers_of(group, t.C) == hex_integers(Cs[l]));
        CHECK(integers_of(group, t.D) == hex_integers(Ds[l]));
      }
    }
  }
}

TEST_CASE("Verificatum group descriptions are reproduced", "[shuffle]") {
  for (const auto& fx : kFixtures) {
    const VmnGroup group(crypto::group_by_name(fx.group));
    const MemoryDir dir = MemoryDir::load(data_dir() / fx.dir);
    const Bytes& xml = dir.files.at("protInfo.xml");
    const ProtocolInfo info = parse_protocol_info(std::string(xml.begin(), xml.end()));
    CHECK(info.pgroup == group.description());
  }
}

TEST_CASE("protInfo.xml and group mismatches are reported precisely", "[shuffle]") {
  const MemoryDir p256_dir = MemoryDir::load(data_dir() / "p256-mix-3party-n100");
  // A P-256 proof directory checked as if the election were modp-2048.
  const VmnGroup modp(crypto::group_by_name("modp-2048"));
  const MixChainResult r = verify_mix_directory(modp, p256_dir.source());
  REQUIRE(r.errors.size() == 1);
  CHECK_THAT(r.errors[0], Catch::Contains("<pgroup>") && Catch::Contains("modp-2048"));
  CHECK_FALSE(r.ok());
  // A missing tag and a non-numeric one.
  CHECK_THROWS_WITH(parse_protocol_info("<protocol><version>3.1.0</version></protocol>"),
                    Catch::Contains("<sid> missing"));
  const Bytes& xml = p256_dir.files.at("protInfo.xml");
  std::string s(xml.begin(), xml.end());
  s.replace(s.find("<statdist>100"), 13, "<statdist>1x0");
  CHECK_THROWS_WITH(parse_protocol_info(s), Catch::Contains("<statdist>"));
  // A tag inside a comment does not count.
  CHECK_THROWS_WITH(parse_protocol_info("<!-- <sid>x</sid> --><version>1</version>"),
                    Catch::Contains("<sid> missing"));
}
