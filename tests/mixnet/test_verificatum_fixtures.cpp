// Verificatum 3.1.0 interoperability: Haal's verifier on proofs Verificatum wrote, reproducing
// the intermediate values `vmnv -t` printed, and rejecting tampered copies.
#include <catch2/catch.hpp>
#include <filesystem>

#include "crypto/base/file.hpp"
#include "mixnet/session.hpp"
#include "test_vectors.hpp"

namespace fs = std::filesystem;
using namespace haal::mixnet;
namespace crypto = haal::crypto;
using haal::mixnet::testing::hex_integers;
using haal::mixnet::testing::read_test_vectors;

namespace {

fs::path data_dir() {
  return fs::path(HAAL_SOURCE_DIR) / "tests" / "data" / "verificatum";
}

std::vector<mpz_class> element_integers(const crypto::Group& g, ByteView e) {
  return g.to_integers(e);
}

std::vector<mpz_class> array_integers(const crypto::Group& g, const ElementArray& a) {
  std::vector<mpz_class> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    for (auto& v : g.to_integers(a.view(i))) out.push_back(v);
  }
  return out;
}

std::vector<mpz_class> wide_integers(const crypto::Group& g, const WideCiphertext& c) {
  std::vector<mpz_class> out;
  for (const auto* side : {&c.a, &c.b}) {
    for (const auto& e : *side) {
      for (auto& v : g.to_integers(e)) out.push_back(v);
    }
  }
  return out;
}

std::vector<mpz_class> scalars(const std::vector<mpz_class>& v) {
  return v;
}

// Copies a fixture session into a scratch directory so that tests can tamper with it.
fs::path scratch_copy(const std::string& name) {
  fs::path dst =
      fs::temp_directory_path() / ("haal-mixnet-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dst);
  fs::copy(data_dir() / name, dst, fs::copy_options::recursive);
  for (auto& entry : fs::recursive_directory_iterator(dst)) {
    fs::permissions(entry.path(), fs::perms::owner_write, fs::perm_options::add);
  }
  return dst;
}

void check_session_against_vectors(const std::string& name, std::size_t expected_parties) {
  const fs::path dir = data_dir() / name;
  const auto tv = read_test_vectors((dir / "vmnv-test-vectors.txt").string());
  const SessionReport report = verify_session(dir / "protInfo.xml", dir / "nizkp");
  INFO(report.message);
  REQUIRE(report.ok);
  REQUIRE(report.parties.size() == expected_parties);
  const ProtocolInfo info = parse_protocol_info(haal::base::read_file(dir / "protInfo.xml"));
  const crypto::Group& group = group_from_description(info.pgroup);

  CHECK(haal::crypto::to_hex(report.rho) == tv.at("der.rho").at(0));
  CHECK(array_integers(group, report.generators) == hex_integers(tv.at("bas.h").at(0)));

  for (std::size_t l = 0; l < expected_parties; ++l) {
    const PosTrace& t = report.parties[l].trace;
    INFO("mix server " << l + 1);
    CHECK(haal::crypto::to_hex(t.seed) == tv.at("PoS.s").at(l));
    CHECK(element_integers(group, t.A) == hex_integers(tv.at("PoS.A").at(l)));
    CHECK(wide_integers(group, t.F) == hex_integers(tv.at("PoS.F").at(l)));
    CHECK(std::vector<mpz_class>{t.v} == hex_integers(tv.at("PoS.v").at(l)));
    CHECK(element_integers(group, t.C) == hex_integers(tv.at("PoS.C").at(l)));
    CHECK(element_integers(group, t.D) == hex_integers(tv.at("PoS.D").at(l)));

    // The proof components as Haal parses them equal what vmnv printed.
    const fs::path proofs = dir / "nizkp" / "proofs";
    const std::string ll = party_suffix(static_cast<unsigned>(l + 1));
    const std::size_t n = report.generators.size();
    const PosCommitment c = read_pos_commitment(
        group, haal::base::read_file_bytes(proofs / ("PoSCommitment" + ll + ".bt")), n, 1, "PoSCommitment");
    CHECK(array_integers(group, c.B) == hex_integers(tv.at("PoS.B").at(l)));
    CHECK(element_integers(group, c.Ap) == hex_integers(tv.at("PoS.Ap").at(l)));
    CHECK(array_integers(group, c.Bp) == hex_integers(tv.at("PoS.Bp").at(l)));
    CHECK(element_integers(group, c.Cp) == hex_integers(tv.at("PoS.Cp").at(l)));
    CHECK(element_integers(group, c.Dp) == hex_integers(tv.at("PoS.Dp").at(l)));
    CHECK(wide_integers(group, c.Fp) == hex_integers(tv.at("PoS.Fp").at(l)));
    const PosReply r =
        read_pos_reply(group, haal::base::read_file_bytes(proofs / ("PoSReply" + ll + ".bt")), n, 1, "PoSReply");
    CHECK(std::vector<mpz_class>{r.k_A} == hex_integers(tv.at("PoS.k_A").at(l)));
    CHECK(scalars(r.k_B) == hex_integers(tv.at("PoS.k_B").at(l)));
    CHECK(std::vector<mpz_class>{r.k_C} == hex_integers(tv.at("PoS.k_C").at(l)));
    CHECK(std::vector<mpz_class>{r.k_D} == hex_integers(tv.at("PoS.k_D").at(l)));
    CHECK(std::vector<mpz_class>{r.k_F[0]} == hex_integers(tv.at("PoS.k_F").at(l)));
  }
}

}  // namespace

TEST_CASE("Verificatum mod-p 2048 shuffle: verifies and reproduces vmnv -t values",
          "[mixnet][verificatum]") {
  check_session_against_vectors("modp2048-shuffle-n10", 1);
}

TEST_CASE("Verificatum P-256 three-party mixing: both shuffles verify, values reproduced",
          "[mixnet][verificatum]") {
  check_session_against_vectors("p256-mix-3party-n100", 2);
}

TEST_CASE("Verificatum group descriptions are parsed and regenerated exactly",
          "[mixnet][verificatum]") {
  for (const char* name : {"modp2048-shuffle-n10", "p256-mix-3party-n100"}) {
    const ProtocolInfo info =
        parse_protocol_info(haal::base::read_file(data_dir() / name / "protInfo.xml"));
    const std::string haal = std::string(name).rfind("modp", 0) == 0 ? "modp-2048" : "P-256";
    CHECK(&group_from_description(info.pgroup) == &crypto::group_by_name(haal));
    CHECK(verificatum_description(crypto::group_by_name(haal)) == info.pgroup);
  }
  // Anything else is refused with the reason, a changed generator included.
  const ProtocolInfo info =
      parse_protocol_info(haal::base::read_file(data_dir() / "modp2048-shuffle-n10" / "protInfo.xml"));
  std::string other = info.pgroup;
  other.back() = other.back() == '1' ? '2' : '1';  // the encoding u32(1) becomes u32(2)
  CHECK_THROWS_WITH(group_from_description(other), Catch::Contains("only the RFC 3526 groups"));
  CHECK_THROWS_WITH(group_from_description("ECqPGroup(P-256)::00"),
                    Catch::Contains("group description"));
}

TEST_CASE("Tampered Verificatum proofs are rejected, naming the mix server",
          "[mixnet][verificatum]") {
  struct Tamper {
    const char* file;
    std::size_t offset_from_end;
  };
  // Flip a bit inside the last value of each proof file (a scalar or a coordinate), or in an
  // output ciphertext.
  for (const Tamper t :
       {Tamper{"proofs/PoSReply01.bt", 2}, Tamper{"proofs/PoSCommitment01.bt", 2},
        Tamper{"proofs/PermutationCommitment01.bt", 2}, Tamper{"ShuffledCiphertexts.bt", 2}}) {
    const fs::path dir = scratch_copy("modp2048-shuffle-n10");
    const fs::path file = dir / "nizkp" / t.file;
    Bytes data = haal::base::read_file_bytes(file);
    data[data.size() - t.offset_from_end] ^= 0x01;
    write_file(file, data);
    INFO(t.file);
    bool rejected = false;
    try {
      const SessionReport report = verify_session(dir / "protInfo.xml", dir / "nizkp");
      rejected = !report.ok;
      if (rejected && std::string(t.file).find("proofs/") == 0) {
        CHECK(report.message.find("mix server 1 (Mixer1)") != std::string::npos);
      }
    } catch (const FormatError& e) {
      rejected = true;  // e.g. the flipped value is no longer a group element
      CHECK(std::string(e.what()).find(".bt") != std::string::npos);
    }
    CHECK(rejected);
    fs::remove_all(dir);
  }
}

TEST_CASE("Tampered P-256 Verificatum proof of server 2 is rejected, naming Party02",
          "[mixnet][verificatum]") {
  const fs::path dir = scratch_copy("p256-mix-3party-n100");
  const fs::path file = dir / "nizkp" / "proofs" / "PoSReply02.bt";
  Bytes data = haal::base::read_file_bytes(file);
  data[data.size() - 2] ^= 0x01;  // inside k_F
  write_file(file, data);
  const SessionReport report = verify_session(dir / "protInfo.xml", dir / "nizkp");
  CHECK_FALSE(report.ok);
  CHECK(report.message.find("mix server 2 (Party02)") != std::string::npos);
  REQUIRE(report.parties.size() == 2);
  CHECK(report.parties[0].verified);
  fs::remove_all(dir);
}
