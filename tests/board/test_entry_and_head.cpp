// Leaf encoding of board entries, signed tree heads and the JSON forms (docs/board.md).
#include <catch2/catch.hpp>

#include "board/entry.hpp"
#include "board/merkle_tree.hpp"
#include "board/proofs.hpp"
#include "board/tree_head.hpp"

using namespace haal::board;
using haal::crypto::Bytes;
using haal::crypto::Ed25519PrivateKey;
using haal::crypto::FormatError;
using haal::crypto::from_hex;
using haal::crypto::to_bytes;
using haal::crypto::to_hex;

namespace {

std::string hex_text(std::string_view s) {
  return to_hex(to_bytes(s));
}

BoardEntry sample_entry() {
  return BoardEntry{"ballot", 1, 2, to_bytes("{}")};
}

Ed25519PrivateKey test_key(std::uint8_t fill) {
  return Ed25519PrivateKey::from_seed(Bytes(32, fill));
}

SignedTreeHead sample_head() {
  MerkleTree tree;
  tree.append_leaf(encode_leaf(sample_entry()));
  return sign_tree_head(TreeHead{"election-2026", 1, tree.root(), 1'764'000'000'000}, test_key(7));
}

}  // namespace

TEST_CASE("leaf encoding matches the byte layout of docs/board.md") {
  // lp(tag) || lp(kind) || u64(sequence) || u64(timestamp_ms) || lp(payload)
  const std::string expected = "00000013" + hex_text("HAAL-V1-BOARD-ENTRY") + "00000006" +
                               hex_text("ballot") + "0000000000000001" + "0000000000000002" +
                               "00000002" + hex_text("{}");
  CHECK(to_hex(encode_leaf(sample_entry())) == expected);
  CHECK(decode_leaf(from_hex(expected)) == sample_entry());
  const BoardEntry empty_payload{"poll-open", 0, 0, {}};
  CHECK(decode_leaf(encode_leaf(empty_payload)) == empty_payload);
}

TEST_CASE("entry kinds follow the syntax") {
  CHECK(is_valid_kind("ballot"));
  CHECK(is_valid_kind("poll-close"));
  CHECK(is_valid_kind("x2"));
  CHECK_FALSE(is_valid_kind(""));
  CHECK_FALSE(is_valid_kind("Ballot"));
  CHECK_FALSE(is_valid_kind("-ballot"));
  CHECK_FALSE(is_valid_kind("2ballot"));
  CHECK_FALSE(is_valid_kind("bal lot"));
  CHECK_FALSE(is_valid_kind(std::string(33, 'a')));
  CHECK(is_valid_kind(std::string(32, 'a')));
  CHECK_THROWS_WITH(encode_leaf(BoardEntry{"Ballot", 0, 0, {}}), Catch::Contains("invalid kind"));
}

TEST_CASE("malformed leaves are rejected with the offset and field") {
  const Bytes leaf = encode_leaf(sample_entry());
  // Every strict prefix is truncated somewhere.
  for (std::size_t n = 0; n < leaf.size(); ++n) {
    INFO("prefix length " << n);
    CHECK_THROWS_AS(decode_leaf(haal::crypto::ByteView(leaf.data(), n)), FormatError);
  }
  Bytes trailing = leaf;
  trailing.push_back(0);
  CHECK_THROWS_WITH(decode_leaf(trailing), Catch::Contains("1 trailing bytes"));
  Bytes wrong_tag = leaf;
  wrong_tag[4] = 'X';
  CHECK_THROWS_WITH(decode_leaf(wrong_tag), Catch::Contains("domain tag"));
  Bytes bad_kind = leaf;
  bad_kind[4 + 19 + 4] = 'B';
  CHECK_THROWS_WITH(decode_leaf(bad_kind), Catch::Contains("offset 33 (kind)"));
  Bytes huge_payload = leaf;
  huge_payload[4 + 19 + 4 + 6 + 16] = 0x7f;  // payload length prefix
  CHECK_THROWS_WITH(decode_leaf(huge_payload), Catch::Contains("(payload): length"));
  CHECK_THROWS_WITH(decode_leaf(Bytes{0, 0, 0, 1}), Catch::Contains("truncated"));
}

TEST_CASE("entry JSON round-trips and parses strictly") {
  const auto j = entry_to_json(sample_entry());
  CHECK(j.dump() == R"({"kind":"ballot","payload":"7b7d","sequence":1,"timestamp_ms":2})");
  CHECK(entry_from_json(j) == sample_entry());
  auto extra = j;
  extra["note"] = 1;
  CHECK_THROWS_WITH(entry_from_json(extra), Catch::Contains("board_entry.note: unknown field"));
  auto missing = j;
  missing.erase("sequence");
  CHECK_THROWS_WITH(entry_from_json(missing), Catch::Contains("board_entry.sequence: missing"));
  auto negative = j;
  negative["sequence"] = -1;
  CHECK_THROWS_WITH(entry_from_json(negative), Catch::Contains("board_entry.sequence"));
  auto fractional = j;
  fractional["timestamp_ms"] = 1.5;
  CHECK_THROWS_WITH(entry_from_json(fractional), Catch::Contains("board_entry.timestamp_ms"));
  auto upper = j;
  upper["payload"] = "7B7D";
  CHECK_THROWS_WITH(entry_from_json(upper), Catch::Contains("board_entry.payload"));
  auto kind = j;
  kind["kind"] = "BALLOT";
  CHECK_THROWS_WITH(entry_from_json(kind), Catch::Contains("board_entry.kind"));
  CHECK_THROWS_WITH(entry_from_json(Json::array()), Catch::Contains("expected an object"));
}

TEST_CASE("tree head signed bytes match docs/board.md") {
  const auto sth = sample_head();
  const std::string expected = "00000011" + hex_text("HAAL-V1-TREE-HEAD") + "0000000d" +
                               hex_text("election-2026") + "0000000000000001" + "00000020" +
                               to_hex(sth.head.root_hash) + "0000019ab697e800";
  CHECK(to_hex(tree_head_signed_bytes(sth.head)) == expected);
  CHECK(haal::crypto::ed25519_verify(test_key(7).public_key(), from_hex(expected), sth.signature));
}

TEST_CASE("signed tree heads verify, and every tampered field fails") {
  const auto sth = sample_head();
  const auto pk = test_key(7).public_key();
  CHECK(verify_tree_head_var(sth, pk));
  CHECK_FALSE(verify_tree_head_var(sth, test_key(8).public_key()));
  auto t = sth;
  t.head.log_id = "election-2027";
  CHECK_FALSE(verify_tree_head_var(t, pk));
  t = sth;
  t.head.tree_size = 2;
  CHECK_FALSE(verify_tree_head_var(t, pk));
  t = sth;
  t.head.root_hash[31] ^= 1;
  CHECK_FALSE(verify_tree_head_var(t, pk));
  t = sth;
  t.head.timestamp_ms += 1;
  CHECK_FALSE(verify_tree_head_var(t, pk));
  for (std::size_t i = 0; i < sth.signature.size(); ++i) {
    t = sth;
    t.signature[i] ^= 0x40;
    INFO("signature byte " << i);
    CHECK_FALSE(verify_tree_head_var(t, pk));
  }
  t = sth;
  t.signature.pop_back();
  CHECK_THROWS_WITH(check_tree_head_signature_var(t, pk), Catch::Contains("63 bytes"));
  CHECK_THROWS_WITH(check_tree_head_signature_var(sth, test_key(8).public_key()),
                    Catch::Contains("invalid signature"));
}

TEST_CASE("signed tree head JSON round-trips and parses strictly") {
  const auto sth = sample_head();
  const auto j = signed_tree_head_to_json(sth);
  CHECK(signed_tree_head_from_json(j) == sth);
  CHECK(signed_tree_head_from_json(Json::parse(j.dump())) == sth);
  for (const auto* field : {"log_id", "tree_size", "root_hash", "timestamp_ms", "signature"}) {
    auto missing = j;
    missing.erase(field);
    CHECK_THROWS_WITH(signed_tree_head_from_json(missing),
                      Catch::Contains(std::string("tree_head.") + field + ": missing"));
  }
  auto extra = j;
  extra["key"] = "00";
  CHECK_THROWS_WITH(signed_tree_head_from_json(extra), Catch::Contains("tree_head.key"));
  auto short_root = j;
  short_root["root_hash"] = to_hex(Bytes(31, 0));
  CHECK_THROWS_WITH(signed_tree_head_from_json(short_root),
                    Catch::Contains("tree_head.root_hash: expected 32 bytes, got 31"));
  auto short_sig = j;
  short_sig["signature"] = to_hex(Bytes(63, 0));
  CHECK_THROWS_WITH(signed_tree_head_from_json(short_sig), Catch::Contains("tree_head.signature"));
  auto string_size = j;
  string_size["tree_size"] = "1";
  CHECK_THROWS_WITH(signed_tree_head_from_json(string_size),
                    Catch::Contains("tree_head.tree_size"));
  auto bad_log = j;
  bad_log["log_id"] = "has space";
  CHECK_THROWS_WITH(signed_tree_head_from_json(bad_log), Catch::Contains("tree_head.log_id"));
  auto odd_hex = j;
  odd_hex["root_hash"] = "abc";
  CHECK_THROWS_WITH(signed_tree_head_from_json(odd_hex), Catch::Contains("tree_head.root_hash"));
}

TEST_CASE("proof JSON round-trips, verifies, and parses strictly") {
  MerkleTree tree;
  std::vector<Bytes> leaves;
  for (std::uint64_t i = 0; i < 11; ++i) {
    leaves.push_back(encode_leaf(BoardEntry{"ballot", i, 1000 + i, to_bytes("{\"n\":1}")}));
    tree.append_leaf(leaves.back());
  }
  const InclusionProof inclusion{4, 11, tree.inclusion_proof(4, 11)};
  const auto ij = inclusion_proof_to_json(inclusion);
  const auto parsed = inclusion_proof_from_json(Json::parse(ij.dump()));
  CHECK(parsed == inclusion);
  CHECK_NOTHROW(check_inclusion_var(parsed, leaves[4], tree.root(11)));
  CHECK_THROWS_AS(check_inclusion_var(parsed, leaves[5], tree.root(11)), ProofError);

  const ConsistencyProof consistency{3, 11, tree.consistency_proof(3, 11)};
  const auto cj = consistency_proof_to_json(consistency);
  CHECK(consistency_proof_from_json(Json::parse(cj.dump())) == consistency);
  CHECK_NOTHROW(check_consistency_var(consistency, tree.root(3), tree.root(11)));
  CHECK_THROWS_AS(check_consistency_var(consistency, tree.root(4), tree.root(11)), ProofError);

  auto bad_index = ij;
  bad_index["leaf_index"] = 11;
  CHECK_THROWS_WITH(inclusion_proof_from_json(bad_index),
                    Catch::Contains("inclusion_proof.leaf_index: must be below tree_size"));
  auto bad_element = ij;
  bad_element["audit_path"][2] = "00";
  CHECK_THROWS_WITH(inclusion_proof_from_json(bad_element),
                    Catch::Contains("inclusion_proof.audit_path[2]: expected 32 bytes"));
  auto not_array = cj;
  not_array["path"] = "00";
  CHECK_THROWS_WITH(consistency_proof_from_json(not_array),
                    Catch::Contains("consistency_proof.path: expected an array"));
  auto reversed = cj;
  reversed["first_size"] = 12;
  CHECK_THROWS_WITH(consistency_proof_from_json(reversed),
                    Catch::Contains("consistency_proof.first_size"));
  auto too_long = ij;
  too_long["audit_path"] = Json::array();
  for (int i = 0; i < 65; ++i) too_long["audit_path"].push_back(to_hex(Bytes(32, 1)));
  CHECK_THROWS_WITH(inclusion_proof_from_json(too_long), Catch::Contains("more than 64"));
}
