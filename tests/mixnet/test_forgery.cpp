// Issue 13: proof parameters are pinned. A proof forged under a short challenge (protInfo.xml
// <vbitlenro> 0 or 8; tests/mixnet/forge_shuffle.hpp) verifies under the parameters it states,
// for an output of the forger's choice, and verify_session refuses it, naming the parameter.
// Also: Verificatum's session-id syntax, pre-computation refused, stronger parameters accepted
// for foreign sessions, and byte offsets of parse errors at the start of the bad element.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "crypto/base/file.hpp"
#include "crypto/elgamal.hpp"
#include "mixnet/haal_bridge.hpp"
#include "mixnet/mix_commands.hpp"
#include "tests/mixnet/forge_shuffle.hpp"

namespace fs = std::filesystem;
using namespace haal::mixnet;
namespace crypto = haal::crypto;

namespace {

const std::string kHaalSid = "Haal" + std::string(64, '7');

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("haal-forgery-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

struct Keys {
  const crypto::Group& group = crypto::group_by_name("P-256");
  crypto::Scalar secret;
  crypto::Element public_key;
};

Keys make_keys(crypto::RandomSource& rng) {
  Keys k;
  k.secret = k.group.scalars().random_nonzero(rng);
  k.public_key = k.group.exp_generator(crypto::SecretScalar(k.secret));
  return k;
}

// One ballot of width 1 per message.
CiphertextList encrypt_all(const Keys& k, const std::vector<std::string>& messages,
                           crypto::RandomSource& rng) {
  const crypto::ElGamalEncryptor enc(k.group, k.public_key);
  std::vector<crypto::CiphertextVector> ballots;
  for (const auto& m : messages) {
    ballots.push_back({enc.encrypt(k.group.encode_message_var(crypto::to_bytes(m)),
                                   k.group.scalars().random_secret(rng))});
  }
  return to_mix_list(k.group, ballots, 1);
}

std::multiset<std::string> decrypt_all(const Keys& k, const CiphertextList& list) {
  std::multiset<std::string> out;
  for (const auto& b : to_haal_list(k.group, list)) {
    const Bytes m = k.group.decode_message_var(
        crypto::elgamal_decrypt(k.group, crypto::SecretScalar(k.secret), b[0]));
    out.insert(std::string(m.begin(), m.end()));
  }
  return out;
}

// A one-server session over `input` (nothing shuffled yet).
void create(const fs::path& dir, const Keys& k, const CiphertextList& input, const std::string& sid,
            const std::string& auxsid) {
  SessionSetup setup;
  setup.sid = sid;
  setup.auxsid = auxsid;
  setup.y = k.group.to_compact_var(k.public_key);
  create_session(dir, setup, input);
}

// Verifies server 1's proof in `dir` under the parameters its protInfo.xml states (the
// instance-level check, without the profile): what a verifier without pinned parameters does.
std::string verify_as_stated(const fs::path& dir) {
  const ProtocolInfo info = parse_protocol_info(haal::base::read_file(dir / "protInfo.xml"));
  const crypto::Group& g = crypto::group_by_name("P-256");
  const fs::path nizkp = dir / "nizkp";
  const CiphertextList in =
      parse_ciphertexts_file(g, haal::base::read_file_bytes(nizkp / "Ciphertexts.bt"), 1, 0, "in");
  const CiphertextList out = parse_ciphertexts_file(
      g, haal::base::read_file_bytes(nizkp / "proofs/Ciphertexts01.bt"), 1, in.size(), "out");
  ProofParams params;
  params.n_r = info.statdist;
  params.n_v = info.vbitlenro;
  params.n_e = info.ebitlenro;
  params.rho = derive_rho(info, haal::base::read_file(nizkp / "auxsid"));
  const ElementArray h = derive_generators(g, params.rho, params.n_r, in.size());
  const Bytes y =
      read_full_public_key(g, haal::base::read_file_bytes(nizkp / "FullPublicKey.bt"), "pk");
  ShuffleProof proof;
  proof.u = read_permutation_commitment(
      g, haal::base::read_file_bytes(nizkp / "proofs/PermutationCommitment01.bt"), in.size(), "u");
  proof.commitment = read_pos_commitment(
      g, haal::base::read_file_bytes(nizkp / "proofs/PoSCommitment01.bt"), in.size(), 1, "c");
  proof.reply = read_pos_reply(g, haal::base::read_file_bytes(nizkp / "proofs/PoSReply01.bt"),
                               in.size(), 1, "r");
  const ShuffleInstance inst{&g, params, &h, y, &in, &out};
  return verify_shuffle(inst, proof);
}

std::string refusal(const fs::path& dir, bool haal_profile = false) {
  try {
    mix_verify(dir, haal_profile);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("A shuffle proof forged under a short challenge is refused, naming <vbitlenro>",
          "[mixnet][forgery]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("forgery"));
  const Keys k = make_keys(rng);
  const CiphertextList input = encrypt_all(k, {"alice", "bob", "carol", "alice"}, rng);
  for (const std::string& sid : {kHaalSid, std::string("Forger")}) {
    for (const unsigned n_v : {0u, 8u}) {
      INFO("sid " << sid << ", vbitlenro " << n_v);
      const fs::path dir = fresh_dir("short-" + std::to_string(n_v));
      create(dir, k, input, sid, "c6d61796f72");
      // The forger's output: four votes for mallory, never cast.
      const CiphertextList forged =
          encrypt_all(k, {"mallory", "mallory", "mallory", "mallory"}, rng);
      const unsigned tries = testing::forge_session(dir, n_v, forged, rng);
      CHECK(tries >= 1);
      // The forgery is real: the proof verifies under the parameters protInfo.xml states, and
      // the "shuffled" list decrypts to other ballots.
      CHECK(verify_as_stated(dir).empty());
      CHECK(decrypt_all(k, forged) != decrypt_all(k, input));
      // Every reader refuses it, naming the parameter.
      const std::string why = refusal(dir);
      CHECK_THAT(why, Catch::Contains("protInfo.xml <vbitlenro>: " + std::to_string(n_v)));
      if (sid == kHaalSid) {
        CHECK_THAT(why, Catch::Contains("Haal's profile requires 256"));
      } else {
        CHECK_THAT(why, Catch::Contains("Haal requires 256 to 4096"));
        CHECK_THAT(refusal(dir, true), Catch::Contains("<vbitlenro>: " + std::to_string(n_v) +
                                                       ", Haal's profile requires 256"));
      }
      fs::remove_all(dir);
    }
  }
}

TEST_CASE("Proof parameters: Haal sessions exactly the profile, foreign ones never weaker",
          "[mixnet][forgery]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("profile"));
  const Keys k = make_keys(rng);
  const CiphertextList input = encrypt_all(k, {"a", "b", "c"}, rng);
  struct Edit {
    std::string from, to, field;
  };
  const std::vector<Edit> stronger = {{"<vbitlenro>256<", "<vbitlenro>512<", "vbitlenro"},
                                      {"<ebitlenro>256<", "<ebitlenro>300<", "ebitlenro"},
                                      {"<statdist>100<", "<statdist>128<", "statdist"},
                                      {"<vbitlen>128<", "<vbitlen>256<", "vbitlen"}};
  for (const Edit& e : stronger) {
    for (const std::string& sid : {kHaalSid, std::string("HaalMix")}) {
      INFO(e.to << " for sid " << sid);
      const fs::path dir = fresh_dir("stronger");
      create(dir, k, input, sid, "default");
      std::string xml = haal::base::read_file(dir / "protInfo.xml");
      REQUIRE(xml.find(e.from) != std::string::npos);
      xml.replace(xml.find(e.from), e.from.size(), e.to);
      write_file(dir / "protInfo.xml", crypto::to_bytes(xml));
      if (sid == kHaalSid) {
        // A Haal session's server refuses to prove under anything but the profile.
        CHECK_THROWS_WITH(
            run_mix_server(dir, 1, rng),
            Catch::Contains("<" + e.field + ">") && Catch::Contains("Haal's profile requires"));
      } else {
        run_mix_server(dir, 1, rng);
        const SessionReport report = mix_verify(dir);
        INFO(report.message);
        CHECK(report.ok);
        CHECK_FALSE(report.haal_profile);
        CHECK_THAT(refusal(dir, true), Catch::Contains("Haal's profile requires"));
      }
      fs::remove_all(dir);
    }
  }
  // Weaker or other values are refused for every session, naming the field.
  const std::vector<Edit> weaker = {{"<ebitlenro>256<", "<ebitlenro>64<", "ebitlenro"},
                                    {"<statdist>100<", "<statdist>40<", "statdist"},
                                    {"<version>3.1.0<", "<version>3.0.4<", "version"},
                                    {"<vbitlenro>256<", "<vbitlenro>5000<", "vbitlenro"}};
  for (const Edit& e : weaker) {
    INFO(e.to);
    const fs::path dir = fresh_dir("weaker");
    create(dir, k, input, "HaalMix", "default");
    run_mix_server(dir, 1, rng);
    std::string xml = haal::base::read_file(dir / "protInfo.xml");
    xml.replace(xml.find(e.from), e.from.size(), e.to);
    write_file(dir / "protInfo.xml", crypto::to_bytes(xml));
    CHECK_THAT(refusal(dir), Catch::Contains("protInfo.xml <" + e.field + ">"));
    fs::remove_all(dir);
  }
}

TEST_CASE("Auxiliary session ids as Verificatum accepts them", "[mixnet][compat]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("auxsid"));
  const Keys k = make_keys(rng);
  const CiphertextList input = encrypt_all(k, {"a", "b"}, rng);
  for (const std::string& auxsid :
       {std::string("42"), std::string(256, 'Z'), std::string("c6d61796f72")}) {
    const fs::path dir = fresh_dir("auxsid");
    create(dir, k, input, "HaalMix", auxsid);
    run_mix_server(dir, 1, rng);
    CHECK(mix_verify(dir).ok);
    fs::remove_all(dir);
  }
  // Outside Verificatum's syntax: refused by the writer, and by the reader naming the file.
  for (const std::string& auxsid : {std::string("a-b"), std::string(257, 'a'), std::string("")}) {
    CHECK_THROWS_WITH(create(fresh_dir("bad"), k, input, "HaalMix", auxsid),
                      Catch::Contains("auxiliary session id"));
  }
  const fs::path dir = fresh_dir("auxsid-read");
  create(dir, k, input, "HaalMix", "x");
  run_mix_server(dir, 1, rng);
  for (const std::string& auxsid : {std::string("a-b"), std::string(257, 'a')}) {
    write_file(dir / "nizkp/auxsid", crypto::to_bytes(auxsid));
    CHECK_THAT(refusal(dir), Catch::Contains("nizkp/auxsid"));
  }
  fs::remove_all(dir);
}

TEST_CASE("Verificatum pre-computation proofs are refused with the reason", "[mixnet][compat]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("precomp"));
  const Keys k = make_keys(rng);
  const fs::path dir = fresh_dir("precomp");
  create(dir, k, encrypt_all(k, {"a", "b"}, rng), "HaalMix", "default");
  run_mix_server(dir, 1, rng);
  REQUIRE(mix_verify(dir).ok);
  // What `vmn -shuffle` writes after `vmn -precomp`: PoSC and CCPoS proofs instead of PoS.
  const fs::path proofs = dir / "nizkp/proofs";
  fs::rename(proofs / "PoSCommitment01.bt", proofs / "CCPoSCommitment01.bt");
  fs::rename(proofs / "PoSReply01.bt", proofs / "CCPoSReply01.bt");
  const std::string why = refusal(dir);
  CHECK_THAT(why, Catch::Contains("CCPoSCommitment01.bt") && Catch::Contains("pre-computation") &&
                      Catch::Contains("vmnv"));
  fs::remove_all(dir);
}

TEST_CASE("Parse errors name the byte where the bad element starts", "[mixnet][format]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("offsets"));
  const Keys k = make_keys(rng);
  const fs::path dir = fresh_dir("offsets");
  create(dir, k, encrypt_all(k, {"a", "b"}, rng), "HaalMix", "default");
  run_mix_server(dir, 1, rng);
  const crypto::Group& g = crypto::group_by_name("P-256");
  const Bytes reply = haal::base::read_file_bytes(dir / "nizkp/proofs/PoSReply01.bt");
  const Bytes commitment = haal::base::read_file_bytes(dir / "nizkp/proofs/PoSCommitment01.bt");
  fs::remove_all(dir);

  // PoSReply = node(6) | k_A leaf (5 + 33 bytes at offset 5) | ...: k_A >= q.
  Bytes bad = reply;
  std::fill(bad.begin() + 11, bad.begin() + 43, 0xff);
  CHECK_THROWS_WITH(read_pos_reply(g, bad, 2, 1, "PoSReply01.bt"),
                    Catch::Contains("k_A at byte offset 5: scalar not reduced"));
  // k_B[1]: node(2) at 43, k_B[0] at 48, k_B[1] at 86.
  bad = reply;
  std::fill(bad.begin() + 92, bad.begin() + 124, 0xff);
  CHECK_THROWS_WITH(read_pos_reply(g, bad, 2, 1, "PoSReply01.bt"),
                    Catch::Contains("k_B[1] at byte offset 86: scalar not reduced"));
  // PoSCommitment = node(6) | B = node(2) at 5 | B[0] at 10, B[1] at 91 (81 bytes each):
  // B[1].x >= p (the leaf's value starts 6 bytes into the element's leaf x).
  bad = commitment;
  std::fill(bad.begin() + 91 + 11, bad.begin() + 91 + 43, 0xff);
  CHECK_THROWS_WITH(read_pos_commitment(g, bad, 2, 1, "PoSCommitment01.bt"),
                    Catch::Contains("B[1] at byte offset 91: coordinate not reduced"));
  // A truncated leaf is named where the leaf starts.
  bad = Bytes(reply.begin(), reply.begin() + 60);
  CHECK_THROWS_WITH(read_pos_reply(g, bad, 2, 1, "PoSReply01.bt"),
                    Catch::Contains("k_B[0] at byte offset 48: leaf announces 33 bytes"));
}

// Writes the forged sessions of tests/data/verifier-mix/forged-vbitlenro{0,8}/ (for the
// verifier's tests, which do not link haal_mixnet):
//   HAAL_FORGED_OUT=DIR haal-test-mixnet "[.write-forged]"
TEST_CASE("write the forged sessions for the verifier's tests", "[.write-forged]") {
  const char* out = std::getenv("HAAL_FORGED_OUT");
  REQUIRE(out != nullptr);
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("forged-fixtures"));
  const Keys k = make_keys(rng);
  const CiphertextList input = encrypt_all(k, {"alice", "bob", "carol", "alice"}, rng);
  const CiphertextList forged = encrypt_all(k, {"mallory", "mallory", "mallory", "mallory"}, rng);
  for (const unsigned n_v : {0u, 8u}) {
    const fs::path dir = fs::path(out) / ("forged-vbitlenro" + std::to_string(n_v));
    // Bound to the synthetic election of tests/verifier-mix/test_stages.cpp (context hash
    // 5a5a...), contest "mayor".
    create(dir, k, input, "Haal" + crypto::to_hex(Bytes(32, 0x5a)), "c6d61796f72");
    testing::forge_session(dir, n_v, forged, rng);
    REQUIRE(verify_as_stated(dir).empty());
  }
}
