// The verifier on proofs written by Haal's own mix-net (tests/data/verifier-mix/
// haal-p256-w2-3servers-n20): width 2 (node(node(u_1, u_2), ...) lists, two-component F' and
// k_F) and a chain of three servers.
#include <catch2/catch.hpp>

#include "fixture_util.hpp"

using namespace haal;
using namespace haal::verifier::shuffle;
using namespace haal::verifier::test;

namespace {

const VmnGroup& p256() {
  static const VmnGroup g(crypto::group_by_name("P-256"));
  return g;
}

MemoryDir original() {
  return MemoryDir::load(data_dir() / "haal-p256-w2-3servers-n20");
}

// Index of the first server whose proof fails (0 if all hold).
unsigned first_failing(const MemoryDir& d) {
  const MixChainResult r = verify_mix_directory(p256(), d.source(), Workers{2, nullptr});
  REQUIRE(r.errors.empty());
  for (const auto& s : r.servers) {
    if (!s.failure.empty()) return s.index;
  }
  return 0;
}

}  // namespace

TEST_CASE("Haal prover, width 2, three servers: accepted", "[shuffle][haal]") {
  const MemoryDir d = original();
  const MixChainResult r = verify_mix_directory(p256(), d.source(), Workers{2, nullptr});
  for (const auto& e : r.errors) INFO(e);
  CHECK(r.errors.empty());
  REQUIRE(r.servers.size() == 3);
  for (const auto& s : r.servers) CHECK(s.failure.empty());
  CHECK(r.width == 2);
  CHECK(r.count == 20);
  CHECK(r.ok());
}

TEST_CASE("Haal prover, width 2: tampering with the second component is caught",
          "[shuffle][haal][tamper]") {
  const std::size_t n = 20, w = 2;
  const VmnGroup& G = p256();
  SECTION("k_F[1] of server 2") {
    MemoryDir d = original();
    Bytes& f = d.files.at("nizkp/proofs/PoSReply02.bt");
    const PosReply rep = read_pos_reply(G, f, n, w, "r");
    // The last leaf of the file is k_F[1]: bump it.
    mpz_class v = (rep.k_F[1].value() + 1) % G.group().order();
    const Bytes nb = fixed_bytes(v, G.scalar_length());
    std::copy(nb.begin(), nb.end(), f.end() - static_cast<std::ptrdiff_t>(nb.size()));
    CHECK(first_failing(d) == 2);
  }
  SECTION("F'.v[1] of server 3") {
    MemoryDir d = original();
    Bytes& f = d.files.at("nizkp/proofs/PoSCommitment03.bt");
    const PosCommitment c = read_pos_commitment(G, f, n, w, "c");
    // F' is the last subtree: node(node(a_1, a_2), node(b_1, b_2)); b_2 is the last element.
    const Bytes moved = G.encode(G.group().mul(c.F_prime.b[1], G.group().generator()));
    std::copy(moved.begin(), moved.end(), f.end() - static_cast<std::ptrdiff_t>(moved.size()));
    CHECK(first_failing(d) == 3);
  }
  SECTION("swapping the two components of one output ciphertext of server 1 (both copies)") {
    MemoryDir d = original();
    Bytes& f = d.files.at("nizkp/proofs/Ciphertexts01.bt");
    const CiphertextListView list = read_ciphertext_list(G, f, w, n, "out");
    Bytes a(list.u[0].at(7).begin(), list.u[0].at(7).end());
    Bytes b(list.u[1].at(7).begin(), list.u[1].at(7).end());
    const auto off = [&](ByteView v) { return static_cast<std::size_t>(v.data() - f.data()); };
    const std::size_t oa = off(list.u[0].at(7)), ob = off(list.u[1].at(7));
    std::copy(b.begin(), b.end(), f.begin() + static_cast<std::ptrdiff_t>(oa));
    std::copy(a.begin(), a.end(), f.begin() + static_cast<std::ptrdiff_t>(ob));
    CHECK(first_failing(d) == 1);
  }
  SECTION("read as width 1, the lists are rejected as malformed") {
    MemoryDir d = original();
    d.files["nizkp/width"] = {'1'};
    CHECK_THROWS_AS(verify_mix_directory(G, d.source()), VmnFormatError);
  }
}
