// Parse errors of proof files name the byte where the offending element starts (not where the
// reader stopped), so that the byte named is the first byte of the bad leaf or point.
#include <catch2/catch.hpp>

#include "fixture_util.hpp"
#include "verifier-app/shuffle/proof_files.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::test;

TEST_CASE("proof file errors name the start of the bad element", "[shuffle][format]") {
  const shuffle::VmnGroup vg(crypto::group_by_name("P-256"));
  const auto dir = data_dir() / "haal-record-council-mix" / "nizkp" / "proofs";
  const Bytes reply = read_bytes(dir / "PoSReply01.bt");
  const Bytes commitment = read_bytes(dir / "PoSCommitment01.bt");
  const std::size_t n = 7;
  REQUIRE_NOTHROW(shuffle::read_pos_reply(vg, reply, n, 1, "PoSReply01.bt"));

  // PoSReply = node(6) | k_A (leaf of 33 bytes at offset 5) | k_B = node(7) at 43 | k_B[0] at 48
  Bytes bad = reply;
  std::fill(bad.begin() + 11, bad.begin() + 43, 0xff);  // k_A >= q
  CHECK_THROWS_WITH(shuffle::read_pos_reply(vg, bad, n, 1, "PoSReply01.bt"),
                    Catch::Contains("k_A at byte 5: scalar not reduced modulo q"));
  bad = reply;
  std::fill(bad.begin() + 86 + 6, bad.begin() + 86 + 38, 0xff);  // k_B[1] >= q
  CHECK_THROWS_WITH(shuffle::read_pos_reply(vg, bad, n, 1, "PoSReply01.bt"),
                    Catch::Contains("k_B[1] at byte 86: scalar not reduced modulo q"));
  bad.assign(reply.begin(), reply.begin() + 60);  // k_B[0] cut short
  CHECK_THROWS_WITH(shuffle::read_pos_reply(vg, bad, n, 1, "PoSReply01.bt"),
                    Catch::Contains("k_B[0] at byte 48: leaf of 33 bytes runs past the end"));

  // PoSCommitment = node(6) | B = node(7) at 5, elements of 81 bytes from 10 | A' at 10 + 7*81.
  const std::size_t a_prime = 10 + 7 * 81;
  bad = commitment;
  std::fill(bad.begin() + a_prime + 11, bad.begin() + a_prime + 43, 0xff);  // A'.x >= p
  CHECK_THROWS_WITH(shuffle::read_pos_commitment(vg, bad, n, 1, "PoSCommitment01.bt"),
                    Catch::Contains("A': point at byte " + std::to_string(a_prime) +
                                    ": coordinate not reduced modulo p"));
  // B[3], decoded when used: the error names its first byte.
  bad = commitment;
  const std::size_t b3 = 10 + 3 * 81;
  std::fill(bad.begin() + b3 + 11, bad.begin() + b3 + 43, 0xff);
  const shuffle::PosCommitment c =
      shuffle::read_pos_commitment(vg, bad, n, 1, "PoSCommitment01.bt");
  CHECK_THROWS_WITH(c.B.decode_var(vg, 3),
                    Catch::Contains("B[3]: point at byte " + std::to_string(b3) + ":"));
  // A node with the wrong number of children is named where the node starts.
  bad = reply;
  bad[4] = 5;
  CHECK_THROWS_WITH(shuffle::read_pos_reply(vg, bad, n, 1, "PoSReply01.bt"),
                    Catch::Contains("reply at byte 0: node has 5 children, expected 6"));
}
