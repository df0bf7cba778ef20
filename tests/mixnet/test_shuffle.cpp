// Haal's own shuffles and proofs: honest runs verify, outputs decrypt to the input multiset,
// the permutation is uniform, and every tampered component is rejected.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "crypto/base/file.hpp"
#include "crypto/elgamal.hpp"
#include "mixnet/haal_bridge.hpp"
#include "mixnet/session.hpp"

namespace fs = std::filesystem;
using namespace haal::mixnet;
namespace crypto = haal::crypto;

namespace {

struct Election {
  const crypto::Group* group;
  crypto::Scalar secret;
  crypto::Element public_key;
};

Election make_election(const std::string& name, crypto::RandomSource& rng) {
  const crypto::Group& g = crypto::group_by_name(name);
  const crypto::Scalar x = g.scalars().random_nonzero(rng);
  return Election{&g, x, g.exp_generator(crypto::SecretScalar(x))};
}

// N ballots of width w; ballot i, component k holds the message "i.k".
std::vector<crypto::CiphertextVector> make_ballots(const Election& el, std::size_t n,
                                                   std::size_t width, crypto::RandomSource& rng) {
  crypto::ElGamalEncryptor enc(*el.group, el.public_key);
  std::vector<crypto::CiphertextVector> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < width; ++k) {
      const std::string text = std::to_string(i) + "." + std::to_string(k);
      const crypto::Element m = el.group->encode_message_var(crypto::to_bytes(text));
      out[i].push_back(enc.encrypt(m, el.group->scalars().random_secret(rng)));
    }
  }
  return out;
}

std::multiset<std::string> decrypt_all(const Election& el,
                                       const std::vector<crypto::CiphertextVector>& ballots) {
  std::multiset<std::string> out;
  for (const auto& b : ballots) {
    std::string joined;
    for (const auto& c : b) {
      const crypto::Bytes m = el.group->decode_message_var(
          crypto::elgamal_decrypt(*el.group, crypto::SecretScalar(el.secret), c));
      joined += std::string(m.begin(), m.end()) + "|";
    }
    out.insert(joined);
  }
  return out;
}

fs::path fresh_dir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("haal-mixnet-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

struct Session {
  fs::path dir;
  Election election;
  std::vector<crypto::CiphertextVector> ballots;
};

Session run_session(const std::string& group, std::size_t n, std::size_t width, unsigned servers,
                    const std::string& tag) {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("mixnet-test-" + tag));
  Session s{fresh_dir(tag), make_election(group, rng), {}};
  s.ballots = make_ballots(s.election, n, width, rng);
  SessionSetup setup;
  setup.group_name = group;
  setup.width = width;
  setup.servers = servers;
  setup.y = s.election.group->to_compact_var(s.election.public_key);
  create_session(s.dir, setup, to_mix_list(*s.election.group, s.ballots, width));
  for (unsigned l = 1; l <= servers; ++l) run_mix_server(s.dir, l, rng);
  return s;
}

SessionReport verify_dir(const fs::path& dir) {
  return verify_session(dir / "protInfo.xml", dir / "nizkp");
}

}  // namespace

namespace {

void check_honest_shuffles(const std::string& group) {
  for (const std::size_t width : {1u, 3u}) {
    for (const std::size_t n : {0u, 1u, 2u, 3u, 100u}) {
      const unsigned servers = n == 3 ? 2 : 1;
      const std::string tag = group + "-" + std::to_string(width) + "-" + std::to_string(n);
      INFO(tag);
      Session s = run_session(group, n, width, servers, tag);
      const SessionReport report = verify_dir(s.dir);
      INFO(report.message);
      REQUIRE(report.ok);
      CHECK(report.parties.size() == servers);
      REQUIRE(report.output.size() == n);
      const auto out = to_haal_list(*s.election.group, report.output);
      CHECK(decrypt_all(s.election, out) == decrypt_all(s.election, s.ballots));
      if (n >= 2) {
        // Re-encrypted: no output ciphertext equals an input ciphertext.
        const auto in = to_mix_list(*s.election.group, s.ballots, width);
        for (std::size_t i = 0; i < n; ++i) {
          for (std::size_t j = 0; j < n; ++j) {
            CHECK_FALSE(in.u[0].get(i) == report.output.u[0].get(j));
          }
        }
      }
      fs::remove_all(s.dir);
    }
  }
}

}  // namespace

TEST_CASE("Honest P-256 shuffles verify and decrypt to the input multiset", "[mixnet][shuffle]") {
  check_honest_shuffles("P-256");
}

TEST_CASE("Honest modp-2048 shuffles verify and decrypt to the input multiset",
          "[mixnet][shuffle]") {
  check_honest_shuffles("modp-2048");
}

TEST_CASE("The shuffle's permutation is uniform (chi-square, N = 3)", "[mixnet][shuffle]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("mixnet-uniformity"));
  const crypto::Group& g = crypto::group_by_name("P-256");
  const mpz_class x = 12345;
  const Bytes y = g.exp_var(g.generator_compact(), x);
  // Inputs encrypt g^1, g^2, g^3 with randomness 0 (enough to identify them after decryption).
  CiphertextList input(g, 1, 3);
  for (std::size_t i = 0; i < 3; ++i) {
    input.u[0].set(i, g.identity_compact());
    input.v[0].set(i, g.exp_var(g.generator_compact(), i + 1));
  }
  std::map<std::vector<std::size_t>, int> counts;
  const int trials = 1200;
  for (int t = 0; t < trials; ++t) {
    ShuffleWitness w;
    const CiphertextList out = shuffle_ciphertexts(g, y, input, w, rng);
    std::vector<std::size_t> perm(3);
    for (std::size_t j = 0; j < 3; ++j) {
      const Bytes m = g.div(out.v[0].get(j), g.exp_var(out.u[0].view(j), x));
      for (std::size_t i = 0; i < 3; ++i) {
        if (g.equal(m, g.exp_var(g.generator_compact(), i + 1))) perm[j] = i;
      }
      REQUIRE(perm[j] == w.sigma[j]);
    }
    ++counts[perm];
  }
  REQUIRE(counts.size() == 6);
  const double expected = trials / 6.0;
  double chi2 = 0;
  for (const auto& [perm, c] : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 5 degrees of freedom: P(chi2 > 20.52) = 0.001.
  CHECK(chi2 < 20.52);
}

namespace {

// Rewrites one proof file after applying `edit` to its parsed form.
template <typename Edit>
void tamper_commitment(const fs::path& dir, const crypto::Group& g, std::size_t n, Edit edit) {
  const fs::path f = dir / "nizkp" / "proofs" / "PoSCommitment01.bt";
  PosCommitment c = read_pos_commitment(g, haal::base::read_file_bytes(f), n, 1, "x");
  edit(c);
  BufferSink sink;
  ByteTreeWriter w(sink);
  write_pos_commitment(g, w, c);
  write_file(f, sink.bytes);
}

template <typename Edit>
void tamper_reply(const fs::path& dir, const crypto::Group& g, std::size_t n, Edit edit) {
  const fs::path f = dir / "nizkp" / "proofs" / "PoSReply01.bt";
  PosReply r = read_pos_reply(g, haal::base::read_file_bytes(f), n, 1, "x");
  edit(r);
  write_file(f, write_pos_reply(g, r));
}

}  // namespace

TEST_CASE("Tampering with any proof component or the instance is rejected", "[mixnet][shuffle]") {
  for (const std::string group : {"P-256", "modp-2048"}) {
    const std::size_t n = 5;
    const crypto::Group& g = crypto::group_by_name(group);
    const mpz_class one = 1;
    auto bump = [&](mpz_class& k) { k = (k + 1) % g.order(); };
    auto times_g = [&](Bytes& e) { e = g.mul(e, g.generator_compact()); };
    struct Case {
      std::string name;
      std::function<void(const fs::path&)> apply;
    };
    const std::vector<Case> cases = {
        {"output ciphertext",
         [&](const fs::path& d) {
           for (const char* f : {"nizkp/proofs/Ciphertexts01.bt", "nizkp/ShuffledCiphertexts.bt"}) {
             CiphertextList l =
                 parse_ciphertexts_file(g, haal::base::read_file_bytes(d / f), 1, n, "x");
             l.v[0].set(2, g.mul(l.v[0].view(2), g.generator_compact()));
             write_file(d / f, ciphertexts_file(g, l));
           }
         }},
        {"input ciphertext",
         [&](const fs::path& d) {
           CiphertextList l = parse_ciphertexts_file(
               g, haal::base::read_file_bytes(d / "nizkp/Ciphertexts.bt"), 1, n, "x");
           l.u[0].set(0, g.mul(l.u[0].view(0), g.generator_compact()));
           write_file(d / "nizkp/Ciphertexts.bt", ciphertexts_file(g, l));
         }},
        {"permutation commitment",
         [&](const fs::path& d) {
           const fs::path f = d / "nizkp/proofs/PermutationCommitment01.bt";
           ElementArray u = read_permutation_commitment(g, haal::base::read_file_bytes(f), n, "x");
           u.set(1, g.mul(u.view(1), g.generator_compact()));
           write_file(f, write_permutation_commitment(g, u));
         }},
        {"commitment B",
         [&](const fs::path& d) {
           tamper_commitment(d, g, n, [&](PosCommitment& c) {
             c.B.set(3, g.mul(c.B.view(3), g.generator_compact()));
           });
         }},
        {"commitment A'",
         [&](const fs::path& d) {
           tamper_commitment(d, g, n, [&](PosCommitment& c) { times_g(c.Ap); });
         }},
        {"commitment B'",
         [&](const fs::path& d) {
           tamper_commitment(d, g, n, [&](PosCommitment& c) {
             c.Bp.set(0, g.mul(c.Bp.view(0), g.generator_compact()));
           });
         }},
        {"commitment C'",
         [&](const fs::path& d) {
           tamper_commitment(d, g, n, [&](PosCommitment& c) { times_g(c.Cp); });
         }},
        {"commitment D'",
         [&](const fs::path& d) {
           tamper_commitment(d, g, n, [&](PosCommitment& c) { times_g(c.Dp); });
         }},
        {"commitment F'",
         [&](const fs::path& d) {
           tamper_commitment(d, g, n, [&](PosCommitment& c) { times_g(c.Fp.b[0]); });
         }},
        {"reply k_A",
         [&](const fs::path& d) { tamper_reply(d, g, n, [&](PosReply& r) { bump(r.k_A); }); }},
        {"reply k_B",
         [&](const fs::path& d) { tamper_reply(d, g, n, [&](PosReply& r) { bump(r.k_B[4]); }); }},
        {"reply k_C",
         [&](const fs::path& d) { tamper_reply(d, g, n, [&](PosReply& r) { bump(r.k_C); }); }},
        {"reply k_D",
         [&](const fs::path& d) { tamper_reply(d, g, n, [&](PosReply& r) { bump(r.k_D); }); }},
        {"reply k_E",
         [&](const fs::path& d) { tamper_reply(d, g, n, [&](PosReply& r) { bump(r.k_E[2]); }); }},
        {"reply k_F",
         [&](const fs::path& d) { tamper_reply(d, g, n, [&](PosReply& r) { bump(r.k_F[0]); }); }},
        {"session id",
         [&](const fs::path& d) {
           std::string xml = haal::base::read_file(d / "protInfo.xml");
           const auto at = xml.find("<sid>HaalMix</sid>");
           REQUIRE(at != std::string::npos);
           xml.replace(at, 18, "<sid>HaalMiy</sid>");
           write_file(d / "protInfo.xml", crypto::to_bytes(xml));
         }},
        {"auxiliary session id",
         [&](const fs::path& d) { write_file(d / "nizkp/auxsid", crypto::to_bytes("other")); }},
    };
    const Session base = run_session(group, n, 1, 1, group + "-tamper-base");
    REQUIRE(verify_dir(base.dir).ok);
    for (const Case& c : cases) {
      INFO(group << ": " << c.name);
      const fs::path dir = fresh_dir(group + "-tamper");
      fs::copy(base.dir, dir, fs::copy_options::recursive);
      c.apply(dir);
      const SessionReport report = verify_dir(dir);
      CHECK_FALSE(report.ok);
      CHECK(report.message.find("mix server 1 (MixServer01)") != std::string::npos);
      fs::remove_all(dir);
    }
    (void)one;
    fs::remove_all(base.dir);
  }
}

TEST_CASE("Verification with other generators fails", "[mixnet][shuffle]") {
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("mixnet-generators"));
  const crypto::Group& g = crypto::group_by_name("P-256");
  const Bytes y = g.exp_var(g.generator_compact(), 777);
  CiphertextList input(g, 1, 4);
  for (std::size_t i = 0; i < 4; ++i) {
    input.u[0].set(i, g.exp_var(g.generator_compact(), 10 + i));
    input.v[0].set(i, g.exp_var(g.generator_compact(), 20 + i));
  }
  ShuffleWitness w;
  const CiphertextList output = shuffle_ciphertexts(g, y, input, w, rng);
  ProofParams params;
  params.rho = Bytes(32, 7);
  const ElementArray h = derive_generators(g, params.rho, params.n_r, 4);
  ShuffleInstance inst{&g, params, &h, y, &input, &output};
  const ShuffleProof proof = prove_shuffle(inst, w, rng);
  CHECK(verify_shuffle(inst, proof).empty());

  ElementArray swapped = h;  // same generators, two of them exchanged
  swapped.set(0, h.view(1));
  swapped.set(1, h.view(0));
  ShuffleInstance bad = inst;
  bad.h = &swapped;
  CHECK_FALSE(verify_shuffle(bad, proof).empty());

  ProofParams other = params;
  other.rho = Bytes(32, 8);
  const ElementArray h2 = derive_generators(g, other.rho, other.n_r, 4);
  bad.h = &h2;
  CHECK_FALSE(verify_shuffle(bad, proof).empty());
}

TEST_CASE("A modp-3072 shuffle verifies (the group Haal and Verificatum share)",
          "[mixnet][shuffle]") {
  Session s = run_session("modp-3072", 2, 1, 1, "modp-3072-2");
  const SessionReport report = verify_dir(s.dir);
  INFO(report.message);
  REQUIRE(report.ok);
  CHECK(decrypt_all(s.election, to_haal_list(*s.election.group, report.output)) ==
        decrypt_all(s.election, s.ballots));
  const ProtocolInfo info = parse_protocol_info(haal::base::read_file(s.dir / "protInfo.xml"));
  CHECK(info.pgroup.rfind("ModPGroup(safe-prime modulus=2*order+1. order bit-length = 3071)::",
                          0) == 0);
  fs::remove_all(s.dir);
}
