// Every part of a Verificatum proof directory is bound: changing any one of them makes the
// verification fail (or the file be rejected as malformed, with its name).
#include <algorithm>
#include <catch2/catch.hpp>

#include "fixture_util.hpp"
#include "verifier-app/shuffle/mix_session.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::shuffle;
using namespace haal::verifier::test;

namespace {

// Replaces the element subtree at `at` (a view into `file`) by the encoding of (element * g):
// still a group member, but a different one.
void shift_element(const VmnGroup& group, Bytes& file, ByteView at) {
  const crypto::Element e = group.decode_var(at, "tamper");
  const Bytes moved = group.encode(group.group().mul(e, group.group().generator()));
  REQUIRE(moved.size() == at.size());
  const std::size_t offset = static_cast<std::size_t>(at.data() - file.data());
  std::copy(moved.begin(), moved.end(), file.begin() + static_cast<std::ptrdiff_t>(offset));
}

// Finds the n-th scalar leaf of a reply file and adds 1 to it modulo q.
void bump_scalar(const VmnGroup& group, Bytes& file, std::size_t leaf_index) {
  TreeReader r(file, "reply");
  std::size_t seen = 0;
  // Walk the flat structure: node(6), then leaves and nodes of leaves.
  r.node(6, "reply");
  for (int part = 0; part < 6; ++part) {
    const auto visit = [&] {
      const std::size_t start = r.offset();
      const ByteView leaf = r.leaf(group.scalar_length(), "scalar");
      if (seen++ == leaf_index) {
        mpz_class v = (integer_of(leaf) + 1) % group.group().order();
        const Bytes nb = fixed_bytes(v, group.scalar_length());
        std::copy(nb.begin(), nb.end(), file.begin() + static_cast<std::ptrdiff_t>(start + 5));
      }
    };
    if (file[r.offset()] == 0x00) {
      const std::uint32_t k = r.node("array");
      for (std::uint32_t i = 0; i < k; ++i) visit();
    } else {
      visit();
    }
  }
}

bool rejected(const VmnGroup& group, const MemoryDir& dir, std::string* why = nullptr) {
  try {
    const MixChainResult r = verify_mix_directory(group, dir.source());
    if (why != nullptr) {
      for (const auto& e : r.errors) *why += e + "; ";
      for (const auto& s : r.servers) *why += s.failure + "; ";
    }
    return !r.ok();
  } catch (const VmnFormatError& e) {
    if (why != nullptr) *why = e.what();
    return true;
  }
}

}  // namespace

TEST_CASE("tampered Verificatum proofs are rejected", "[shuffle][tamper]") {
  const std::string fx =
      GENERATE(as<std::string>{}, "modp2048-shuffle-n10", "p256-mix-3party-n100");
  const VmnGroup group(crypto::group_by_name(fx == "modp2048-shuffle-n10" ? "modp-2048" : "P-256"));
  const MemoryDir original = MemoryDir::load(data_dir() / fx);
  REQUIRE_FALSE(rejected(group, original));
  const std::size_t n = fx == "modp2048-shuffle-n10" ? 10 : 100;
  INFO(fx);

  SECTION("an output ciphertext (server 1), in both copies of the list") {
    MemoryDir d = original;
    for (const std::string path :
         {"nizkp/proofs/Ciphertexts01.bt", "nizkp/ShuffledCiphertexts.bt"}) {
      auto it = d.files.find(path);
      if (it == d.files.end()) continue;
      const CiphertextListView list = read_ciphertext_list(group, it->second, 1, n, path);
      shift_element(group, it->second, list.v[0].at(3));
    }
    const MixChainResult r = verify_mix_directory(group, d.source());
    CHECK(r.errors.empty());  // the lists still chain: it is server 1's proof that fails
    REQUIRE_FALSE(r.servers.empty());
    CHECK_FALSE(r.servers[0].failure.empty());
    CHECK_FALSE(r.ok());
  }
  SECTION("a final list that is not the last server's output") {
    if (original.files.count("nizkp/ShuffledCiphertexts.bt") == 0) return;
    MemoryDir d = original;
    Bytes& f = d.files.at("nizkp/ShuffledCiphertexts.bt");
    const CiphertextListView list = read_ciphertext_list(group, f, 1, n, "final");
    shift_element(group, f, list.u[0].at(0));
    const MixChainResult r = verify_mix_directory(group, d.source());
    REQUIRE(r.errors.size() == 1);
    CHECK_THAT(r.errors[0], Catch::Contains("ShuffledCiphertexts.bt: differs"));
    for (const auto& s : r.servers) CHECK(s.failure.empty());
  }
  SECTION("an input ciphertext") {
    MemoryDir d = original;
    Bytes& f = d.files.at("nizkp/Ciphertexts.bt");
    const CiphertextListView list = read_ciphertext_list(group, f, 1, n, "in");
    shift_element(group, f, list.u[0].at(n - 1));
    CHECK(rejected(group, d));
  }
  SECTION("a permutation commitment element") {
    MemoryDir d = original;
    Bytes& f = d.files.at("nizkp/proofs/PermutationCommitment01.bt");
    const ArrayView u = read_permutation_commitment(group, f, n, "u");
    shift_element(group, f, u.at(1));
    CHECK(rejected(group, d));
  }
  SECTION("each PoS commitment component") {
    const Bytes& f0 = original.files.at("nizkp/proofs/PoSCommitment01.bt");
    const PosCommitment c = read_pos_commitment(group, f0, n, 1, "c");
    const std::size_t es = group.element_size();
    // Offsets of A', C', D', F'.a, F'.b follow from the layout node(B, A', B', C', D', F').
    const std::size_t a_prime =
        static_cast<std::size_t>(c.B.serialized.data() - f0.data()) + c.B.serialized.size();
    const std::size_t c_prime = static_cast<std::size_t>(c.B_prime.serialized.data() - f0.data()) +
                                c.B_prime.serialized.size();
    const std::vector<std::pair<std::string, std::size_t>> targets = {
        {"B[0]", static_cast<std::size_t>(c.B.at(0).data() - f0.data())},
        {"B[N-1]", static_cast<std::size_t>(c.B.at(n - 1).data() - f0.data())},
        {"A'", a_prime},
        {"B'[2]", static_cast<std::size_t>(c.B_prime.at(2).data() - f0.data())},
        {"C'", c_prime},
        {"D'", c_prime + es},
        {"F'.u", c_prime + 2 * es + 5},
        {"F'.v", c_prime + 3 * es + 5}};
    for (const auto& [name, offset] : targets) {
      MemoryDir d = original;
      Bytes& f = d.files.at("nizkp/proofs/PoSCommitment01.bt");
      shift_element(group, f, ByteView(f).subspan(offset, es));
      INFO(name);
      CHECK(rejected(group, d));
    }
  }
  SECTION("each PoS reply component") {
    // Leaves in order: k_A, k_B[0..N-1], k_C, k_D, k_E[0..N-1], k_F.
    const std::vector<std::pair<std::string, std::size_t>> targets = {
        {"k_A", 0},     {"k_B[0]", 1},     {"k_B[N-1]", n},   {"k_C", n + 1},
        {"k_D", n + 2}, {"k_E[0]", n + 3}, {"k_E[5]", n + 8}, {"k_F", 2 * n + 3}};
    for (const auto& [name, index] : targets) {
      MemoryDir d = original;
      bump_scalar(group, d.files.at("nizkp/proofs/PoSReply01.bt"), index);
      INFO(name);
      CHECK(rejected(group, d));
    }
  }
  SECTION("the second server's proof (P-256 chain)") {
    if (fx != "p256-mix-3party-n100") return;
    MemoryDir d = original;
    bump_scalar(group, d.files.at("nizkp/proofs/PoSReply02.bt"), 0);
    const MixChainResult r = verify_mix_directory(group, d.source());
    REQUIRE(r.servers.size() == 2);
    CHECK(r.servers[0].failure.empty());
    CHECK_FALSE(r.servers[1].failure.empty());
  }
  SECTION("the session id, the auxiliary session id, n_r (rho and the generators)") {
    for (const auto& [file, from, to] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"protInfo.xml", "<sid>", "<sid>X"},
             {"protInfo.xml", "<statdist>100", "<statdist>101"},
             {"protInfo.xml", "<ebitlenro>256", "<ebitlenro>255"},
             {"nizkp/auxsid", "default", "defaulT"}}) {
      MemoryDir d = original;
      Bytes& b = d.files.at(file);
      std::string s(b.begin(), b.end());
      const auto pos = s.find(from);
      REQUIRE(pos != std::string::npos);
      s.replace(pos, from.size(), to);
      b.assign(s.begin(), s.end());
      INFO(file << " " << to);
      CHECK(rejected(group, d));
    }
  }
  SECTION("the public key") {
    MemoryDir d = original;
    Bytes& f = d.files.at("nizkp/FullPublicKey.bt");
    shift_element(group, f, ByteView(f).subspan(5 + group.element_size(), group.element_size()));
    CHECK(rejected(group, d));
  }
  SECTION("the generators (one replaced)") {
    // Verify server 1 directly with h_3 moved.
    const MixChainResult ok = verify_mix_directory(group, original.source());
    Bytes h_bytes = derive_generator_array(group, ok.rho, ok.info.statdist, n);
    TreeReader hr(h_bytes, "h");
    const ArrayView h_view = read_array(hr, group, n, "h");
    shift_element(group, h_bytes, h_view.at(3));
    TreeReader hr2(h_bytes, "h");
    const ArrayView h = read_array(hr2, group, n, "h");
    const Bytes& in_f = original.files.at("nizkp/Ciphertexts.bt");
    const Bytes& out_f = original.files.at("nizkp/proofs/Ciphertexts01.bt");
    const CiphertextListView in = read_ciphertext_list(group, in_f, 1, n, "in");
    const CiphertextListView out = read_ciphertext_list(group, out_f, 1, n, "out");
    ShuffleProof proof;
    proof.u = read_permutation_commitment(
        group, original.files.at("nizkp/proofs/PermutationCommitment01.bt"), n, "u");
    proof.commitment =
        read_pos_commitment(group, original.files.at("nizkp/proofs/PoSCommitment01.bt"), n, 1, "c");
    proof.reply = read_pos_reply(group, original.files.at("nizkp/proofs/PoSReply01.bt"), n, 1, "r");
    ShuffleInstance inst{&group, ok.rho, ok.info.ebitlenro,  ok.info.vbitlenro, &h, ok.public_key,
                         &in,    &out,   Workers{2, nullptr}};
    CHECK_FALSE(verify_shuffle_var(inst, proof).empty());
  }
  SECTION("malformed files name the file and offset") {
    MemoryDir d = original;
    Bytes& f = d.files.at("nizkp/proofs/PoSReply01.bt");
    f.pop_back();
    try {
      verify_mix_directory(group, d.source());
      FAIL("accepted a truncated reply");
    } catch (const VmnFormatError& e) {
      CHECK(std::string(e.what()).find("PoSReply01.bt") != std::string::npos);
      CHECK(std::string(e.what()).find("at byte") != std::string::npos);
    }
    MemoryDir d2 = original;
    d2.files.erase("nizkp/proofs/PoSCommitment01.bt");
    CHECK_THROWS_WITH(verify_mix_directory(group, d2.source()),
                      Catch::Contains("PoSCommitment01.bt: missing"));
  }
  SECTION("a non-member element is rejected on decode") {
    MemoryDir d = original;
    Bytes& f = d.files.at("nizkp/proofs/PermutationCommitment01.bt");
    const ArrayView u = read_permutation_commitment(group, f, n, "u");
    const std::size_t offset = static_cast<std::size_t>(u.at(0).data() - f.data());
    f[offset + u.stride - 1] ^= 1;  // last byte of the value / of y
    CHECK_THROWS_WITH(verify_mix_directory(group, d.source()),
                      Catch::Contains("PermutationCommitment01.bt u[0]"));
  }
}

TEST_CASE("servers checked together fail exactly where each checked alone fails",
          "[shuffle][tamper]") {
  // Three servers, width 2: every list enters the combined equations (1) and (5).
  const VmnGroup group(crypto::group_by_name("P-256"));
  const MemoryDir original = MemoryDir::load(data_dir() / "haal-p256-w2-3servers-n20");
  constexpr std::size_t n = 20;
  const auto compare = [&](const MemoryDir& d, std::vector<std::size_t> bad) {
    const MixChainResult together = verify_mix_directory(group, d.source());
    const MixChainResult alone = verify_mix_directory(group, d.source(), {}, true);
    REQUIRE(together.servers.size() == 3);
    REQUIRE(alone.servers.size() == 3);
    for (std::size_t l = 0; l < 3; ++l) {
      INFO("server " << l + 1);
      CHECK(together.servers[l].failure == alone.servers[l].failure);
      const bool expected_bad = std::find(bad.begin(), bad.end(), l + 1) != bad.end();
      CHECK(together.servers[l].failure.empty() != expected_bad);
    }
  };
  compare(original, {});
  for (const std::size_t server : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    const std::string ll = "0" + std::to_string(server);
    INFO("server " << server);
    // Reply scalars, leaves in order: k_A, k_B[0..N-1], k_C, k_D, k_E[0..N-1], k_F[0..1].
    for (const std::size_t index :
         {std::size_t{0}, std::size_t{4}, n + 1, n + 2, n + 3 + 7, 2 * n + 3, 2 * n + 4}) {
      INFO("reply leaf " << index);
      MemoryDir d = original;
      bump_scalar(group, d.files.at("nizkp/proofs/PoSReply" + ll + ".bt"), index);
      compare(d, {server});
    }
    // Commitment elements: u[4]; B[3], B'[9]; F'.a[1] and F'.b[0] (the width-2 list F').
    {
      MemoryDir d = original;
      Bytes& f = d.files.at("nizkp/proofs/PermutationCommitment" + ll + ".bt");
      shift_element(group, f, read_permutation_commitment(group, f, n, "u").at(4));
      compare(d, {server});
    }
    const Bytes& c0 = original.files.at("nizkp/proofs/PoSCommitment" + ll + ".bt");
    const PosCommitment c = read_pos_commitment(group, c0, n, 2, "c");
    const std::size_t es = group.element_size();
    const std::size_t c_prime = static_cast<std::size_t>(c.B_prime.serialized.data() - c0.data()) +
                                c.B_prime.serialized.size();
    // After C' and D': F' = node(node(a_0, a_1), node(b_0, b_1)), each node header 5 bytes.
    const std::size_t f_prime = c_prime + 2 * es;
    for (const std::size_t offset : {static_cast<std::size_t>(c.B.at(3).data() - c0.data()),
                                     static_cast<std::size_t>(c.B_prime.at(9).data() - c0.data()),
                                     f_prime + 5 + 5 + es, f_prime + 5 + 5 + 2 * es + 5}) {
      INFO("commitment offset " << offset);
      MemoryDir d = original;
      Bytes& f = d.files.at("nizkp/proofs/PoSCommitment" + ll + ".bt");
      shift_element(group, f, ByteView(f).subspan(offset, es));
      compare(d, {server});
    }
  }
  // An intermediate list: server 2's output is server 3's input, so both fail.
  MemoryDir d = original;
  Bytes& f = d.files.at("nizkp/proofs/Ciphertexts02.bt");
  const CiphertextListView list = read_ciphertext_list(group, f, 2, n, "L2");
  shift_element(group, f, list.v[1].at(11));
  compare(d, {2, 3});
}
