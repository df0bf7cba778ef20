// The mix chain: k servers run `mix run` in sequence on one proof directory; `mix verify`
// accepts the honest chain and names the first server whose proof fails.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "crypto/base/file.hpp"
#include "crypto/elgamal.hpp"
#include "mixnet/haal_bridge.hpp"
#include "mixnet/mix_commands.hpp"

namespace fs = std::filesystem;
using namespace haal::mixnet;
namespace crypto = haal::crypto;

namespace {

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("haal-mixchain-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::multiset<std::string> decrypt_json(const crypto::Group& g, const crypto::Scalar& x,
                                        const fs::path& file) {
  const Bytes data = haal::base::read_file_bytes(file);
  const auto j = nlohmann::json::parse(data.begin(), data.end());
  std::multiset<std::string> out;
  for (const auto& ballot : j) {
    std::string joined;
    for (const auto& c : ballot) {
      const crypto::Ciphertext ct{g.from_hex_var(c["alpha"].get<std::string>()),
                                  g.from_hex_var(c["beta"].get<std::string>())};
      const Bytes m = g.decode_message_var(crypto::elgamal_decrypt(g, crypto::SecretScalar(x), ct));
      joined += std::string(m.begin(), m.end()) + "|";
    }
    out.insert(joined);
  }
  return out;
}

}  // namespace

TEST_CASE("A chain of three mix servers verifies and a bad server is named", "[mixnet][chain]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("mixnet-chain"));
  const crypto::Group& g = crypto::group_by_name("P-256");
  const crypto::Scalar x = g.scalars().random_nonzero(rng);
  const crypto::Element y = g.exp_generator(crypto::SecretScalar(x));
  crypto::ElGamalEncryptor enc(g, y);
  nlohmann::json ballots = nlohmann::json::array();
  for (int i = 0; i < 20; ++i) {
    nlohmann::json b = nlohmann::json::array();
    for (int k = 0; k < 2; ++k) {
      const auto c = enc.encrypt(g.encode_message_var(crypto::to_bytes("v" + std::to_string(i % 4) +
                                                                       "." + std::to_string(k))),
                                 g.scalars().random_secret(rng));
      b.push_back({{"alpha", g.to_hex(c.alpha)}, {"beta", g.to_hex(c.beta)}});
    }
    ballots.push_back(b);
  }
  const fs::path dir = fresh_dir("run");
  const std::string text = ballots.dump();
  write_file(dir / "in.json", crypto::to_bytes(text));

  MixRunOptions o;
  o.proof_dir = dir / "proof";
  o.servers = 3;
  o.public_key_hex = g.to_hex(y);
  fs::path in = dir / "in.json";
  for (unsigned l = 1; l <= 3; ++l) {
    o.in = in;
    o.out = dir / ("out" + std::to_string(l) + ".json");
    if (l == 2) {
      // Server 2 given the original list instead of server 1's output: refused.
      MixRunOptions wrong = o;
      wrong.in = dir / "in.json";
      CHECK_THROWS_WITH(mix_run(wrong, rng), Catch::Contains("is not the list mix server 2"));
    }
    const MixRunResult r = mix_run(o, rng);
    CHECK(r.server == l);
    CHECK(r.ciphertexts == 20);
    CHECK(r.width == 2);
    in = o.out;
  }
  o.in = in;
  o.out = dir / "out4.json";
  CHECK_THROWS_WITH(mix_run(o, rng), Catch::Contains("all 3 mix servers have shuffled"));

  const SessionReport report = mix_verify(o.proof_dir);
  INFO(report.message);
  REQUIRE(report.ok);
  CHECK(report.parties.size() == 3);
  CHECK(decrypt_json(g, x, dir / "out3.json") == decrypt_json(g, x, dir / "in.json"));

  // Server 2's reply altered (still well-formed): rejected, server 2 named, chain stopped.
  const crypto::Group& mg = crypto::group_by_name("P-256");
  const fs::path reply = o.proof_dir / "nizkp" / "proofs" / "PoSReply02.bt";
  const Bytes original = haal::base::read_file_bytes(reply);
  PosReply rep = read_pos_reply(mg, original, 20, 2, "PoSReply02.bt");
  rep.k_F[1] = (rep.k_F[1] + 1) % mg.order();
  write_file(reply, write_pos_reply(mg, rep));
  const SessionReport bad = mix_verify(o.proof_dir);
  CHECK_FALSE(bad.ok);
  CHECK(bad.message.find("mix server 2 (MixServer02)") != std::string::npos);
  CHECK(bad.parties.size() == 2);

  // A truncated file: a format error naming the file, field and offset.
  write_file(reply, ByteView(original).subspan(0, original.size() - 7));
  CHECK_THROWS_WITH(mix_verify(o.proof_dir),
                    Catch::Contains("PoSReply02.bt") && Catch::Contains("byte offset"));
  fs::remove_all(dir);
}

TEST_CASE("mix run on byte-tree list files detects the width", "[mixnet][chain]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("mixnet-chain-bt"));
  const crypto::Group& g = crypto::group_by_name("P-256");
  const Bytes y = g.exp_var(g.generator_compact(), 99);
  for (const std::size_t width : {1u, 2u}) {
    const fs::path dir = fresh_dir("bt" + std::to_string(width));
    CiphertextList list(g, width, 4);
    for (std::size_t k = 0; k < width; ++k) {
      for (std::size_t i = 0; i < 4; ++i) {
        list.u[k].set(i, g.exp_var(g.generator_compact(), 3 + i + 10 * k));
        list.v[k].set(i, g.exp_var(g.generator_compact(), 5 + i + 10 * k));
      }
    }
    write_file(dir / "in.bt", ciphertexts_file(g, list));
    MixRunOptions o;
    o.in = dir / "in.bt";
    o.out = dir / "out.bt";
    o.proof_dir = dir / "proof";
    o.public_key_hex =
        crypto::group_by_name("P-256").to_hex(crypto::group_by_name("P-256").from_compact_var(y));
    const MixRunResult r = mix_run(o, rng);
    CHECK(r.width == width);
    const SessionReport report = mix_verify(o.proof_dir);
    CHECK(report.ok);
    CHECK(ciphertexts_file(g, report.output) == haal::base::read_file_bytes(dir / "out.bt"));
    fs::remove_all(dir);
  }
}

TEST_CASE("An empty input list must give an empty output", "[mixnet][chain]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("mixnet-empty"));
  const crypto::Group& g = crypto::group_by_name("P-256");
  const fs::path dir = fresh_dir("empty");
  SessionSetup setup;
  setup.y = g.exp_var(g.generator_compact(), 5);
  create_session(dir, setup, CiphertextList(g, 1, 0));
  run_mix_server(dir, 1, rng);
  CHECK(mix_verify(dir).ok);
  // Replace the (empty) output by one ciphertext: rejected.
  CiphertextList one(g, 1, 1);
  one.u[0].set(0, g.generator_compact());
  one.v[0].set(0, g.generator_compact());
  write_file(dir / "nizkp" / "proofs" / "Ciphertexts01.bt", ciphertexts_file(g, one));
  write_file(dir / "nizkp" / "ShuffledCiphertexts.bt", ciphertexts_file(g, one));
  const SessionReport report = mix_verify(dir);
  CHECK_FALSE(report.ok);
  CHECK(report.message.find("mix server 1") != std::string::npos);
  fs::remove_all(dir);
}
