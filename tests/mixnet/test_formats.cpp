// Byte trees, the PRG/random oracle and protInfo.xml: strict parsing with precise errors.
#include <catch2/catch.hpp>

#include "mixnet/protocol_info.hpp"
#include "mixnet/random_oracle.hpp"
#include "mixnet/session.hpp"

using namespace haal::mixnet;
namespace crypto = haal::crypto;

TEST_CASE("Byte trees round-trip and malformed ones are rejected precisely", "[mixnet][format]") {
  BufferSink sink;
  ByteTreeWriter w(sink);
  w.node(2);
  w.leaf_string("ab");
  w.leaf_u32(7);
  CHECK(crypto::to_hex(sink.bytes) == "000000000201000000026162010000000400000007");
  ByteTreeReader r(sink.bytes, "t.bt");
  r.node(2, "root");
  CHECK(r.leaf("a").size() == 2);
  CHECK(r.leaf(4, "b")[3] == 7);
  r.finish();

  auto fails = [](const std::string& hex, const char* expect) {
    const Bytes data = crypto::from_hex(hex);
    ByteTreeReader rr(data, "t.bt");
    try {
      rr.node(2, "root");
      rr.leaf("a");
      rr.leaf(4, "b");
      rr.finish();
    } catch (const FormatError& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(expect) != std::string::npos);
      return;
    }
    FAIL("accepted " << hex);
  };
  fails("0000000003", "expected a node with 2 children, found 3");
  fails("01000000020000", "expected a node, found a leaf");
  fails("00000000020100000005616263", "leaf announces 5 bytes but only 3 remain");
  fails("0000000002010000000261620100000003000007", "expected a leaf of 4 bytes, found 3");
  fails("000000000201000000026162010000000400000007ff", "1 trailing bytes");
  fails("0000000002020000000261", "invalid byte tree tag 2");
}

TEST_CASE("PRG and random oracle follow Verificatum's definitions", "[mixnet][format]") {
  // PRG output block i is SHA-256(seed | u32_be(i)).
  const Bytes seed(32, 0xab);
  HashPrg prg(seed);
  Bytes out(40);
  prg.fill(out);
  Bytes in0 = seed;
  crypto::append_u32_be(in0, 0);
  Bytes in1 = seed;
  crypto::append_u32_be(in1, 1);
  const auto b0 = crypto::sha256(in0);
  const auto b1 = crypto::sha256(in1);
  CHECK(Bytes(out.begin(), out.begin() + 32) == Bytes(b0.begin(), b0.end()));
  CHECK(Bytes(out.begin() + 32, out.end()) == Bytes(b1.begin(), b1.begin() + 8));
  // Random oracle with 12 bits: 2 bytes, top 4 bits cleared.
  const Bytes data = crypto::to_bytes("x");
  const Bytes ro = random_oracle(data, 12);
  Bytes q = {0, 0, 0, 12};
  q.push_back('x');
  const auto s = crypto::sha256(q);
  HashPrg p2(s);
  Bytes expect(2);
  p2.fill(expect);
  expect[0] &= 0x0f;
  CHECK(ro == expect);
  CHECK_THROWS(HashPrg(Bytes(31)));
}

TEST_CASE("protInfo.xml round-trips and bad files are named", "[mixnet][format]") {
  ProtocolInfo info;
  info.sid = "Abc";
  info.pgroup = "ECqPGroup(P-256)::00";
  info.parties.push_back(PartyInfo{"P1", "anyrole", "", "key", "http://x", "h:1"});
  const std::string xml = write_protocol_info(info);
  const ProtocolInfo back = parse_protocol_info(xml);
  CHECK(back.sid == "Abc");
  CHECK(back.parties.size() == 1);
  CHECK(derive_rho(back, "default") == derive_rho(info, "default"));
  CHECK(derive_rho(back, "default") != derive_rho(back, "other"));

  std::string no_sid = xml;
  no_sid.erase(no_sid.find("<sid>"), std::string("<sid>Abc</sid>").size());
  CHECK_THROWS_WITH(parse_protocol_info(no_sid), Catch::Contains("missing <sid>"));
  std::string bad_width = xml;
  bad_width.replace(bad_width.find("<width>1</width>"), 16, "<width>x</width>");
  CHECK_THROWS_WITH(parse_protocol_info(bad_width), Catch::Contains("<width> is not an unsigned"));
  std::string two_parties = xml;
  two_parties.replace(two_parties.find("<nopart>1</nopart>"), 18, "<nopart>2</nopart>");
  CHECK_THROWS_WITH(parse_protocol_info(two_parties), Catch::Contains("<nopart> is 2 but 1"));
}
