// Stages 6-8 over record directories: check_mixing on Verificatum's own proofs placed in a
// record (proofs verify; the session ids are not Haal's, so the binding check fails and says
// so), and check_decryption + check_counting over a synthetic record (real encodings,
// encryptions, signed partial decryptions of 3 trustees with threshold 2), honest and tampered.
#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <tuple>

#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/sha256.hpp"
#include "fixture_util.hpp"
#include "threshold_util.hpp"
#include "verifier-app/counting/check_counting.hpp"
#include "verifier-app/counting/recount.hpp"
#include "verifier-app/decryption/check_decryption.hpp"
#include "verifier-app/decryption/plaintext_decoding.hpp"
#include "verifier-app/shuffle/check_mixing.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::test;
using crypto::Bytes;
using crypto::Json;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("haal-verifier-mix-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& rel, std::string_view data) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << data;
  }
  void write(const std::string& rel, const Bytes& data) const {
    write(rel, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
  }
  void write_json(const std::string& rel, const Json& j) const { write(rel, j.dump() + "\n"); }
  Json read_json(const std::string& rel) const {
    std::ifstream in(path / rel);
    return Json::parse(in);
  }
};

// Verificatum list file node(u, v) of width w (node(node(u_1..u_w), node(v_1..v_w)) if w > 1).
Bytes list_file(const shuffle::VmnGroup& vg,
                const std::vector<std::vector<crypto::Ciphertext>>& list, std::size_t w) {
  Bytes out = shuffle::node_header(2);
  for (int side = 0; side < 2; ++side) {
    if (w > 1) {
      const Bytes h = shuffle::node_header(static_cast<std::uint32_t>(w));
      out.insert(out.end(), h.begin(), h.end());
    }
    for (std::size_t j = 0; j < w; ++j) {
      const Bytes h = shuffle::node_header(static_cast<std::uint32_t>(list.size()));
      out.insert(out.end(), h.begin(), h.end());
      for (const auto& c : list) {
        const Bytes e = vg.encode(side == 0 ? c[j].alpha : c[j].beta);
        out.insert(out.end(), e.begin(), e.end());
      }
    }
  }
  return out;
}

// A test mix server's key (the statements of docs/mixnet.md section 9 are signed with it).
crypto::Ed25519PrivateKey mix_server_key(const std::string& id) {
  return crypto::Ed25519PrivateKey::from_seed(crypto::sha256("test mix server " + id));
}

// Hex of server `signer`'s Ed25519 signature of a mix statement: over
// lp("HAAL-V1-MIX-STATEMENT") || canonical_json_bytes(statement) (docs/mixnet.md section 9).
std::string sign_statement(const Json& statement, const std::string& signer) {
  Bytes message;
  crypto::append_length_prefixed(message, crypto::to_bytes("HAAL-V1-MIX-STATEMENT"));
  const Bytes body = crypto::canonical_json_bytes(statement);
  message.insert(message.end(), body.begin(), body.end());
  return crypto::to_hex(mix_server_key(signer).sign(message));
}

std::string file_sha256(const fs::path& p) {
  return crypto::to_hex(crypto::sha256(crypto::ByteView(read_bytes(p))));
}

// Signs each server's statement over the mix directory `mix_dir` (relative to `dir`), written
// from docs/mixnet.md section 9 alone (an independent second implementation of the format).
void sign_statements(const TempDir& dir, const VerifierContext& ctx, const std::string& contest,
                     const std::string& mix_dir) {
  const fs::path base = dir.path / mix_dir;
  for (std::size_t l = 1; l <= ctx.mix_servers.size(); ++l) {
    const auto two = [](std::size_t k) { return (k < 10 ? "0" : "") + std::to_string(k); };
    const fs::path proofs = base / "nizkp" / "proofs";
    const fs::path input =
        l == 1 ? base / "nizkp" / "Ciphertexts.bt" : proofs / ("Ciphertexts" + two(l - 1) + ".bt");
    const Json statement{
        {"type", "haal-mix-statement-v1"},
        {"election_id", ctx.manifest.election_id},
        {"context_hash", crypto::to_hex(ctx.context_hash)},
        {"contest_id", contest},
        {"position", l},
        {"server_id", ctx.mix_servers[l - 1].id},
        {"protinfo_hash", file_sha256(base / "protInfo.xml")},
        {"input_hash", file_sha256(input)},
        {"permutation_commitment_hash",
         file_sha256(proofs / ("PermutationCommitment" + two(l) + ".bt"))},
        {"pos_commitment_hash", file_sha256(proofs / ("PoSCommitment" + two(l) + ".bt"))},
        {"pos_reply_hash", file_sha256(proofs / ("PoSReply" + two(l) + ".bt"))},
        {"output_hash", file_sha256(proofs / ("Ciphertexts" + two(l) + ".bt"))}};
    dir.write_json(mix_dir + "statements/" + two(l) + ".json",
                   Json{{"statement", statement},
                        {"signature", sign_statement(statement, ctx.mix_servers[l - 1].id)}});
  }
}

ManifestContest mayor() {
  ManifestContest c;
  c.id = "mayor";
  c.kind = "approval";
  c.min = 0;
  c.max = 2;
  c.options = {{"a", {"A", {}}}, {"b", {"B", {}}}, {"c", {"C", {}}}};
  c.write_in_max_bytes = 40;  // 1 + 2 + 40 = 43 bytes: 2 elements on P-256
  return c;
}

ManifestContest council() {
  ManifestContest c;
  c.id = "council";
  c.kind = "ranked";
  c.min = 1;
  c.max = 3;
  c.options = {{"a", {"A", {}}}, {"b", {"B", {}}}, {"c", {"C", {}}}, {"d", {"D", {}}}};
  return c;
}

// P per docs/ballots.md (written here from the document, for the test data).
Bytes encode(const ManifestContest& c, const std::vector<std::size_t>& cands,
             const std::string& write_in = "") {
  Bytes p;
  if (c.ranked()) {
    for (std::size_t k = 0; k < c.max; ++k) {
      const std::size_t v = k < cands.size() ? cands[k] + 1 : 0;
      p.push_back(static_cast<std::uint8_t>(v >> 8));
      p.push_back(static_cast<std::uint8_t>(v));
    }
  } else {
    p.assign((c.candidate_count() + 7) / 8, 0);
    for (const auto k : cands) p[k / 8] |= static_cast<std::uint8_t>(0x80 >> (k % 8));
  }
  if (c.write_in_max_bytes) {
    p.push_back(static_cast<std::uint8_t>(write_in.size() >> 8));
    p.push_back(static_cast<std::uint8_t>(write_in.size()));
    p.insert(p.end(), write_in.begin(), write_in.end());
    p.resize(decryption::plaintext_length(c), 0);
  }
  return p;
}

struct Ballot {
  std::vector<std::size_t> cands;
  std::string write_in;
  bool garbage = false;  // an element that embeds no message
};

Ballot B(std::vector<std::size_t> cands, std::string write_in = "", bool garbage = false) {
  return Ballot{std::move(cands), std::move(write_in), garbage};
}

struct SyntheticRecord {
  TempDir dir;
  VerifierContext ctx;
  crypto::DeterministicRandomForTests rng{crypto::to_bytes("stages-7-8")};
  std::unique_ptr<Trustees> trustees;
  std::map<std::string, std::vector<std::vector<crypto::Ciphertext>>> inputs;  // per contest

  // council_only: the record has the ranked contest only. mix: a proof directory made by
  // `haal mix run` on this record's council ballots (sid "Haal" || hex(kContext), auxsid
  // "c" || hex("council")); its last output is what the trustees decrypt.
  explicit SyntheticRecord(bool council_only = false, std::optional<fs::path> mix = std::nullopt) {
    const crypto::Group& G = crypto::group_by_name("P-256");
    const shuffle::VmnGroup vg(G);
    trustees = std::make_unique<Trustees>(deal(G, 3, 2, rng));
    ctx.threads = 2;
    ctx.group = &G;
    ctx.public_key = trustees->public_key;
    ctx.manifest.election_id = "e1";
    ctx.manifest.trustee_count = 3;
    ctx.manifest.trustee_threshold = 2;
    ctx.context_hash_bytes = kContext;
    std::copy(kContext.begin(), kContext.end(), ctx.context_hash.begin());
    ctx.manifest.contests = {mayor(), council()};
    if (council_only) ctx.manifest.contests = {council()};
    for (auto& c : ctx.manifest.contests) c.width = decryption::plaintext_width(G, c);
    if (!council_only) REQUIRE(ctx.manifest.contests[0].width == 2);
    Json result_trustees = Json::array();
    for (std::uint32_t i = 1; i <= 3; ++i) {
      ctx.trustees.push_back(TrusteeKey{i, "t" + std::to_string(i), trustees->vks[i - 1], true});
      result_trustees.push_back(
          {{"trustee", i}, {"signing_key", crypto::to_hex(trustees->signers[i - 1].public_key())}});
    }
    dir.write_json("ceremony/result.json", {{"trustees", result_trustees}});

    const std::map<std::string, std::vector<Ballot>> ballots = {
        {"mayor",
         {B({0}), B({0, 2}), B({1, 3}, "Zo\xc3\xab"), B({}), B({0}), B({}, "", true), B({2})}},
        {"council", {B({2, 0}), B({0, 1, 3}), B({1}), B({0}), B({3, 2}), B({1, 0}), B({2, 1})}}};
    const crypto::ElGamalEncryptor enc(G, ctx.public_key);
    Json results = Json::array();
    Json alternatives = Json::array();
    const crypto::Bytes kSeed =
        crypto::from_hex("5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed");
    for (const auto& contest : ctx.manifest.contests) {
      std::vector<std::vector<crypto::Ciphertext>> list;
      Json entries = Json::array();
      std::vector<counting::CountBallot> counted;
      for (const Ballot& b : ballots.at(contest.id)) {
        const Bytes p = encode(contest, b.cands, b.write_in);
        std::vector<crypto::Element> es;
        const std::size_t cap = G.message_capacity();
        for (std::size_t off = 0; off < p.size(); off += cap) {
          es.push_back(G.encode_message_var(
              crypto::ByteView(p).subspan(off, std::min(cap, p.size() - off))));
        }
        if (b.garbage) es[0] = G.mul(es[0], es[0]);
        std::vector<crypto::Ciphertext> cs;
        Json hex = Json::array();
        for (const auto& e : es) {
          cs.push_back(enc.encrypt(e, G.scalars().random_secret(rng)));
          hex.push_back(G.to_hex(e));
        }
        list.push_back(cs);
        counting::CountBallot cb;
        if (b.garbage) {
          entries.push_back({{"elements", hex}, {"invalid", "element 0 embeds no message"}});
        } else {
          Json sel = Json::array();
          cb.decoded = true;
          for (const auto k : b.cands) {
            if (k < contest.options.size()) {
              sel.push_back(contest.options[k].id);
              cb.options.push_back(static_cast<std::uint32_t>(k));
            } else {
              sel.push_back({{"write_in", b.write_in}});
              cb.write_in = b.write_in;
            }
          }
          entries.push_back({{"elements", hex}, {"selection", sel}});
        }
        counted.push_back(cb);
      }
      inputs[contest.id] = list;
      const std::string mix_path = "mix/" + contest.id + "/";
      if (mix) {
        for (const auto& cs : list) ctx.cleansed.push_back(CleansedBallot{"v", 0, {}, {cs}});
        ctx.cleansed_ok = true;
        const MemoryDir proof = MemoryDir::load(*mix);
        for (const auto& [path, bytes] : proof.files) {
          if (path != "README.md") dir.write(mix_path + path, bytes);
        }
        // The chain's two servers as the context pins them (protInfo.xml's party names).
        ctx.mix_servers = {{"MixServer01", mix_server_key("MixServer01").public_key()},
                           {"MixServer02", mix_server_key("MixServer02").public_key()}};
        sign_statements(dir, ctx, contest.id, mix_path);
        // Follow the ballots through the mix by decrypting with the joint secret (test only).
        const auto& Zq = G.scalars();
        const auto l = decryption::lagrange_at_zero(Zq, {1, 2});
        const crypto::Scalar secret =
            Zq.add(Zq.mul(l[0], trustees->shares[0]), Zq.mul(l[1], trustees->shares[1]));
        std::map<std::string, std::size_t> by_plaintext;
        for (std::size_t k = 0; k < entries.size(); ++k) {
          by_plaintext[entries[k]["elements"].dump()] = k;
        }
        const auto mixed = shuffle::read_mix_output(vg, proof.source()).ciphertexts;
        Json mixed_entries = Json::array();
        for (const auto& cs : mixed) {
          Json hex = Json::array();
          for (const auto& c : cs)
            hex.push_back(G.to_hex(crypto::elgamal_decrypt(G, crypto::SecretScalar(secret), c)));
          mixed_entries.push_back(entries.at(by_plaintext.at(hex.dump())));
        }
        list = mixed;
        entries = mixed_entries;
      } else {
        dir.write(mix_path + "protInfo.xml", std::string("<protocol></protocol>"));
        dir.write(mix_path + "nizkp/width", std::to_string(contest.width) + "\n");
        dir.write(mix_path + "nizkp/proofs/activethreshold", std::string("1\n"));
        dir.write(mix_path + "nizkp/proofs/Ciphertexts01.bt", list_file(vg, list, contest.width));
      }
      std::vector<crypto::Ciphertext> flat;
      for (const auto& cs : list) flat.insert(flat.end(), cs.begin(), cs.end());
      for (std::uint32_t i = 1; i <= 3; ++i) {
        Json pj = to_json(G, partials(*trustees, i, flat, rng));
        dir.write_json("decrypt/" + contest.id + "/trustee-" + std::to_string(i) + ".json", pj);
      }
      dir.write_json("plaintexts/" + contest.id + ".json", {{"format", "haal-plaintexts-v1"},
                                                            {"election_id", "e1"},
                                                            {"contest_id", contest.id},
                                                            {"trustees_used", {1, 2}},
                                                            {"ballots", entries}});
      counting::ContestRules rules{contest.id,
                                   contest.ranked() ? "irv" : contest.kind,
                                   static_cast<std::uint32_t>(contest.options.size()),
                                   static_cast<std::uint32_t>(contest.min),
                                   static_cast<std::uint32_t>(contest.max),
                                   contest.ranked() ? static_cast<std::uint32_t>(contest.max) : 0,
                                   contest.write_in_max_bytes.has_value()};
      results.push_back(counting::recount(rules, counted, kSeed));
      if (contest.ranked()) {
        rules.kind = "schulze";
        alternatives.push_back(counting::recount(rules, counted, kSeed));
      }
    }
    // The tie-break seed is the final head's root (docs/record.md); only root_hash is read here.
    dir.write_json("board/head.json", {{"root_hash", crypto::to_hex(kSeed)}});
    dir.write_json("results.json", {{"contests", results},
                                    {"election_id", ctx.manifest.election_id},
                                    {"format", "haal-results-v1"},
                                    {"ranked_alternatives", alternatives}});
  }

  void run(Report& report, bool with_mixing = false) const {
    const RecordReader record = RecordReader::open(dir.path);
    if (with_mixing) check_mixing(record, ctx, report);
    check_decryption(record, ctx, report);
    check_counting(record, ctx, report);
  }
};

std::string failures(const Report& r) {
  std::string out;
  for (const auto& c : r.results()) {
    if (!c.passed) out += c.check + " @ " + c.location + ": " + c.reason + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("stages 7 and 8 accept an honest record", "[stages]") {
  SyntheticRecord rec;
  Report r;
  rec.run(r);
  INFO(failures(r));
  CHECK(r.failed() == 0);
  CHECK(r.passed() >= 2 * (3 + 3) + 2);
  // The recount saw the write-in, the invalid ballot and the IRV rounds.
  const Json res = rec.dir.read_json("results.json");
  CHECK(res["contests"][0]["ballots"]["invalid_by_reason"]["undecodable"] == 1);
  CHECK(res["contests"][0]["choice"]["write_ins"][0]["text"] == "Zo\xc3\xab");
  CHECK(res["contests"][1]["irv"]["rounds"].size() >= 2);
}

TEST_CASE("stages 7 and 8 reject tampered records, naming the file", "[stages][tamper]") {
  SyntheticRecord rec;
  const crypto::Group& G = *rec.ctx.group;
  SECTION("a partial decryption (re-signed): that trustee fails, t others still decrypt") {
    const std::string path = "decrypt/council/trustee-2.json";
    auto f = decryption::parse_partial_decryptions(G, rec.dir.read_json(path), path);
    f.values[3] = G.mul(f.values[3], G.generator());
    f.signature = rec.trustees->signers[1].sign(decryption::partial_decryptions_signed_bytes(G, f));
    rec.dir.write_json(path, to_json(G, f));
    Report r;
    rec.run(r);
    INFO(failures(r));
    CHECK(r.failed() == 1);
    CHECK(r.failed_with(Stage::kDecryption, "batch Chaum-Pedersen proof"));
  }
  SECTION("too few valid trustees") {
    fs::remove(rec.dir.path / "decrypt/mayor/trustee-1.json");
    fs::remove(rec.dir.path / "decrypt/mayor/trustee-3.json");
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kDecryption, "only 1 valid"));
  }
  SECTION("a partial decryption file of another contest") {
    fs::copy_file(rec.dir.path / "decrypt/mayor/trustee-1.json",
                  rec.dir.path / "decrypt/council/trustee-1.json",
                  fs::copy_options::overwrite_existing);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kDecryption, "decrypt/council/trustee-1.json"));
  }
  SECTION("a plaintext element") {
    Json j = rec.dir.read_json("plaintexts/mayor.json");
    j["ballots"][1]["elements"][1] = G.to_hex(G.generator());
    rec.dir.write_json("plaintexts/mayor.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kDecryption, "ballots[1].elements[1]"));
  }
  SECTION("a decoded selection, and the counts built on it") {
    Json j = rec.dir.read_json("plaintexts/council.json");
    j["ballots"][0]["selection"] = Json::array({"a", "c"});
    rec.dir.write_json("plaintexts/council.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kDecryption, "plaintexts/council.json.ballots[0]"));
    CHECK(r.failed_with(Stage::kCounting, "council"));
  }
  SECTION("an invalid ballot claimed valid") {
    Json j = rec.dir.read_json("plaintexts/mayor.json");
    j["ballots"][5].erase("invalid");
    j["ballots"][5]["selection"] = Json::array({"b"});
    rec.dir.write_json("plaintexts/mayor.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kDecryption, "is invalid"));
  }
  SECTION("a count in results.json") {
    Json j = rec.dir.read_json("results.json");
    j["contests"][0]["choice"]["option_votes"][0] = 4;
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    INFO(failures(r));
    CHECK(r.failed() == 1);
    CHECK(r.failed_with(Stage::kCounting, ".choice.option_votes[0]"));
  }
  SECTION("an IRV round in results.json") {
    Json j = rec.dir.read_json("results.json");
    j["contests"][1]["irv"]["rounds"][0]["reason"] = "tie_break_order";
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, ".irv.rounds[0].reason"));
  }
  SECTION("a ranked contest published with a choice kind") {
    Json j = rec.dir.read_json("results.json");
    j["contests"][1]["kind"] = "plurality";
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, "irv or schulze"));
  }
  SECTION("results.json as a bare array lacks the ranked contest's second method") {
    Json j = rec.dir.read_json("results.json");
    rec.dir.write_json("results.json", j["contests"]);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, "no entry for council"));
  }
  SECTION("the Schulze count of the ranked contest") {
    Json j = rec.dir.read_json("results.json");
    j["ranked_alternatives"][0]["schulze"]["pairwise"][0][1] = 99;
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, "pairwise"));
  }
  SECTION("a tie-break seed other than the final board root") {
    Json j = rec.dir.read_json("results.json");
    j["contests"][1]["tie_break"]["seed"] = "00";
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, "is not the root hash of board/head.json"));
  }
  SECTION("results for a contest not in the manifest") {
    Json j = rec.dir.read_json("results.json");
    Json extra = j["contests"][0];
    extra["contest_id"] = "ghost";
    j["contests"].push_back(extra);
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, "\"ghost\" is not in the manifest"));
  }
  SECTION("a missing contest in results.json") {
    Json j = rec.dir.read_json("results.json");
    j["contests"].erase(1);
    rec.dir.write_json("results.json", j);
    Report r;
    rec.run(r);
    CHECK(r.failed_with(Stage::kCounting, "no results for council"));
  }
  SECTION("results.json of another election, or with a field beside the counts") {
    for (const auto& [field, value, reason] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"election_id", "e2", "is not this election's id"},
             {"format", "haal-results-v0", "haal-results-v1"},
             {"announcement", "Bob wins", "announcement: unknown field"}}) {
      Json j = rec.dir.read_json("results.json");
      j[field] = value;
      rec.dir.write_json("results.json", j);
      Report r;
      rec.run(r);
      INFO(field);
      CHECK(r.failed_with(Stage::kCounting, reason));
      CHECK(r.failed() == 1);
    }
  }
}

TEST_CASE("check_mixing on Verificatum's proofs: proofs and input pass, binding fails",
          "[stages][mix]") {
  for (const auto& [fx, group_name] : std::vector<std::pair<std::string, std::string>>{
           {"modp2048-shuffle-n10", "modp-2048"}, {"p256-mix-3party-n100", "P-256"}}) {
    const crypto::Group& G = crypto::group_by_name(group_name);
    const shuffle::VmnGroup vg(G);
    TempDir dir;
    const MemoryDir files = MemoryDir::load(data_dir() / fx);
    for (const auto& [path, bytes] : files.files) dir.write("mix/x/" + path, bytes);
    VerifierContext ctx;
    ctx.threads = 2;
    ctx.group = &G;
    ctx.public_key =
        shuffle::read_full_public_key(vg, files.files.at("nizkp/FullPublicKey.bt"), "pk");
    ManifestContest c;
    c.id = "x";
    c.width = 1;
    ctx.manifest.contests = {c};
    const auto input =
        shuffle::read_ciphertext_list(vg, files.files.at("nizkp/Ciphertexts.bt"), 1, 0, "in");
    for (const auto& cs : shuffle::decode_ciphertexts(vg, input)) {
      ctx.cleansed.push_back(CleansedBallot{"v", 0, {}, {cs}});
    }
    ctx.cleansed_ok = true;
    Report report;
    check_mixing(RecordReader::open(dir.path), ctx, report);
    INFO(fx << "\n" << failures(report));
    CHECK(report.failed_with(Stage::kMixing, "<sid>"));
    CHECK(report.failed_with(Stage::kMixing, "auxsid"));
    // No context pins these servers (and they signed no Haal statement).
    CHECK(report.failed_with(Stage::kMixing, "mix servers of contest x"));
    CHECK(report.failed() == 3);  // the two session ids and the parties
    CHECK(report.passed() == (fx == "p256-mix-3party-n100" ? 3u : 2u));

    // A counted ballot that is not the mix's input.
    std::swap(ctx.cleansed[0], ctx.cleansed[1]);
    Report swapped;
    check_mixing(RecordReader::open(dir.path), ctx, swapped);
    CHECK(swapped.failed_with(Stage::kMixing, "ciphertext 0 differs"));
  }
}

// Writes the council ballots of the council-only record as `haal mix run` input:
//   HAAL_MIX_INPUT=in.json haal-test-verifier-mix "[.mix-input]"   (prints the public key)
//   haal mix run --in in.json --out o1.json --proof DIR --public-key HEX --group P-256
//        --servers 2 --sid Haal<64 x 5a> --auxsid c636f756e63696c   (then again with --in o1.json)
TEST_CASE("write the council ballots for haal mix run", "[.mix-input]") {
  const char* out = std::getenv("HAAL_MIX_INPUT");
  REQUIRE(out != nullptr);
  SyntheticRecord rec(true);
  const crypto::Group& G = *rec.ctx.group;
  Json list = Json::array();
  for (const auto& cs : rec.inputs.at("council")) {
    Json b = Json::array();
    for (const auto& c : cs)
      b.push_back({{"alpha", G.to_hex(c.alpha)}, {"beta", G.to_hex(c.beta)}});
    list.push_back(b);
  }
  std::ofstream(out) << list.dump();
  std::cout << "public key " << G.to_hex(rec.ctx.public_key) << "\n";
}

TEST_CASE("stages 6-8 on a record whose mix was made by haal_mixnet", "[stages][mix][haal]") {
  const fs::path proof = data_dir() / "haal-record-council-mix";
  SyntheticRecord rec(true, proof);
  REQUIRE(expected_mix_sid(rec.ctx) == "Haal" + crypto::to_hex(kContext));
  Report r;
  rec.run(r, true);
  INFO(failures(r));
  CHECK(r.failed() == 0);
  CHECK(r.passed() >= 2 + 2 + 3 + 1 + 2 + 1);  // binding, 2 servers, input; 3 trustees, t, 2; count

  SECTION("a reply of the second server") {
    Bytes f = read_bytes(proof / "nizkp/proofs/PoSReply02.bt");
    f[f.size() - 1] ^= 1;  // k_F, still < q with overwhelming probability
    rec.dir.write("mix/council/nizkp/proofs/PoSReply02.bt", f);
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "PoSReply02.bt"));
    // The second server's signed statement no longer states the reply file.
    CHECK(t.failed_with(Stage::kMixing, "signed its shuffle"));
    CHECK(t.failed() == 2);
  }
  SECTION("a mix server dropped from the chain (the record shows one shuffle)") {
    fs::remove(rec.dir.path / "mix/council/statements/02.json");
    for (const char* f : {"PermutationCommitment02.bt", "PoSCommitment02.bt", "PoSReply02.bt",
                          "Ciphertexts02.bt"}) {
      fs::remove(rec.dir.path / "mix/council/nizkp/proofs" / f);
    }
    rec.dir.write("mix/council/nizkp/proofs/activethreshold", std::string("1"));
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "is context.json's 2 mix servers"));
    CHECK(t.failed_with(Stage::kMixing, "mix server 2 (\"MixServer02\") signed"));
  }
  SECTION("a record mixed by fewer servers than the context names") {
    rec.ctx.mix_servers.push_back({"MixServer03", mix_server_key("MixServer03").public_key()});
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "is context.json's 3 mix servers"));
    CHECK(t.failed_with(Stage::kMixing, "mix server 3 (\"MixServer03\") signed"));
  }
  SECTION("an extra server's statement") {
    rec.dir.write("mix/council/statements/03.json",
                  read_bytes(rec.dir.path / "mix/council/statements/02.json"));
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "holds only the chain's files"));
    CHECK(t.failed() == 1);
  }
  SECTION("the servers reordered in the context") {
    std::swap(rec.ctx.mix_servers[0], rec.ctx.mix_servers[1]);
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "is context.json's 2 mix servers"));
    CHECK(t.failed_with(Stage::kMixing, "mix server 1 (\"MixServer02\") signed"));
    CHECK(t.failed_with(Stage::kMixing, "mix server 2 (\"MixServer01\") signed"));
  }
  SECTION("a statement re-signed by a key the context does not pin") {
    Json j = rec.dir.read_json("mix/council/statements/01.json");
    j["signature"] = sign_statement(j["statement"], "an operator");
    rec.dir.write_json("mix/council/statements/01.json", j);
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "mix server 1 (\"MixServer01\") signed"));
    CHECK(t.failed() == 1);
  }
  SECTION("a statement changed (another position) and re-signed by its own server") {
    Json j = rec.dir.read_json("mix/council/statements/01.json");
    j["statement"]["position"] = 2;
    j["signature"] = sign_statement(j["statement"], "MixServer01");
    rec.dir.write_json("mix/council/statements/01.json", j);
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "mix server 1 (\"MixServer01\") signed"));
  }
  SECTION("the last output changed after signing") {
    Bytes f = read_bytes(proof / "nizkp/proofs/Ciphertexts02.bt");
    f[f.size() - 1] ^= 1;
    rec.dir.write("mix/council/nizkp/proofs/Ciphertexts02.bt", f);
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "mix server 2 (\"MixServer02\") signed"));
  }
  SECTION("a counted ballot missing from the mix input") {
    rec.ctx.cleansed.pop_back();
    Report t;
    rec.run(t, true);
    CHECK(t.failed_with(Stage::kMixing, "ballots are counted"));
  }
}

// Issue 13: a proof forged under a short challenge. forged-vbitlenro{0,8}/ (written by
// `haal-test-mixnet "[.write-forged]"`, tests/mixnet/forge_shuffle.hpp) hold a one-server
// session bound to this file's synthetic election (sid "Haal" || 5a..5a, auxsid of "mayor")
// whose protInfo.xml says <vbitlenro> 0 (or 8) and whose "shuffle" outputs four votes for a
// candidate nobody voted for. The proof verifies under the parameters the file states; stage 6
// refuses the session by its parameter and verifies no proof under it.
TEST_CASE("stage 6 refuses a shuffle proof forged under a short challenge, naming <vbitlenro>",
          "[stages][mix][forgery]") {
  const crypto::Group& G = crypto::group_by_name("P-256");
  const shuffle::VmnGroup vg(G);
  for (const unsigned n_v : {0u, 8u}) {
    INFO("vbitlenro " << n_v);
    const MemoryDir files =
        MemoryDir::load(data_dir() / ("forged-vbitlenro" + std::to_string(n_v)));
    const auto& f = files.files;
    // The forgery is real: verified as the file says (n_v bits), server 1's proof holds.
    const shuffle::ProtocolInfo info = shuffle::parse_protocol_info(
        std::string(f.at("protInfo.xml").begin(), f.at("protInfo.xml").end()));
    REQUIRE(info.vbitlenro == n_v);
    const auto in = shuffle::read_ciphertext_list(vg, f.at("nizkp/Ciphertexts.bt"), 1, 0, "in");
    const auto out = shuffle::read_ciphertext_list(vg, f.at("nizkp/proofs/Ciphertexts01.bt"), 1,
                                                   in.count, "out");
    const Bytes rho = shuffle::derive_rho(info, "c6d61796f72");
    const Bytes h_bytes = shuffle::derive_generator_array(vg, rho, info.statdist, in.count);
    shuffle::TreeReader h_reader(h_bytes, "generators");
    const shuffle::ArrayView h = shuffle::read_array(h_reader, vg, in.count, "h");
    shuffle::ShuffleProof proof;
    proof.u = shuffle::read_permutation_commitment(
        vg, f.at("nizkp/proofs/PermutationCommitment01.bt"), in.count, "u");
    proof.commitment =
        shuffle::read_pos_commitment(vg, f.at("nizkp/proofs/PoSCommitment01.bt"), in.count, 1, "c");
    proof.reply = shuffle::read_pos_reply(vg, f.at("nizkp/proofs/PoSReply01.bt"), in.count, 1, "r");
    shuffle::ShuffleInstance instance;
    instance.group = &vg;
    instance.rho = rho;
    instance.n_e = info.ebitlenro;
    instance.n_v = info.vbitlenro;
    instance.generators = &h;
    instance.y = shuffle::read_full_public_key(vg, f.at("nizkp/FullPublicKey.bt"), "pk");
    instance.input = &in;
    instance.output = &out;
    CHECK(shuffle::verify_shuffle_var(instance, proof).empty());

    // verify_mix_directory refuses the parameter and verifies no proof.
    const shuffle::MixChainResult chain = shuffle::verify_mix_directory(vg, files.source());
    CHECK_FALSE(chain.ok());
    CHECK(chain.servers.empty());
    REQUIRE(chain.errors.size() == 1);
    CHECK(chain.errors[0] ==
          "protInfo.xml <vbitlenro>: " + std::to_string(n_v) + ", Haal's profile requires 256");

    // Stage 6 on a record holding it: one FAIL, the parameter; everything else is bound.
    TempDir dir;
    for (const auto& [path, bytes] : f) dir.write("mix/mayor/" + path, bytes);
    VerifierContext ctx;
    ctx.threads = 2;
    ctx.group = &G;
    ctx.public_key = instance.y;
    ctx.context_hash_bytes = kContext;
    std::copy(kContext.begin(), kContext.end(), ctx.context_hash.begin());
    ManifestContest c;
    c.id = "mayor";
    c.width = 1;
    ctx.manifest.contests = {c};
    for (const auto& cs : shuffle::decode_ciphertexts(vg, in)) {
      ctx.cleansed.push_back(CleansedBallot{"v", 0, {}, {cs}});
    }
    ctx.cleansed_ok = true;
    Report report;
    check_mixing(RecordReader::open(dir.path), ctx, report);
    INFO(failures(report));
    CHECK(report.failed_with(Stage::kMixing, "protInfo.xml <vbitlenro>: " + std::to_string(n_v) +
                                                 ", Haal's profile requires 256"));
    // This synthetic context pins no mix servers: the parties' line fails as well, nothing else.
    CHECK(report.failed_with(Stage::kMixing, "mix servers of contest mayor"));
    CHECK(report.failed() == 2);
    for (const auto& r : report.results())
      CHECK(r.check.find("proof of shuffle") == std::string::npos);
  }
}

TEST_CASE("stage 6 names each proof parameter that is not Haal's profile", "[stages][mix]") {
  const crypto::Group& G = crypto::group_by_name("P-256");
  const shuffle::VmnGroup vg(G);
  const MemoryDir honest = MemoryDir::load(data_dir() / "haal-record-council-mix");
  REQUIRE(shuffle::verify_mix_directory(vg, honest.source()).ok());
  for (const auto& [from, to, message] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"<vbitlenro>256<", "<vbitlenro>512<", "<vbitlenro>: 512, Haal's profile requires 256"},
           {"<ebitlenro>256<", "<ebitlenro>16<", "<ebitlenro>: 16, Haal's profile requires 256"},
           {"<statdist>100<", "<statdist>8<", "<statdist>: 8, Haal's profile requires 100"},
           {"<vbitlen>128<", "<vbitlen>1<", "<vbitlen>: 1, Haal's profile requires 128"},
           {"<ebitlen>128<", "<ebitlen>0<", "<ebitlen>: 0, Haal's profile requires 128"},
           {"<keywidth>1<", "<keywidth>2<", "<keywidth>: 2, Haal's profile requires 1"},
           {"<version>3.1.0<", "<version>3.0.4<", "<version>: \"3.0.4\", Haal's profile requires"},
           {"<prg>SHA-256<", "<prg>SHA-512<", "<prg>: \"SHA-512\", Haal's profile requires"},
           {"<rohash>SHA-256<", "<rohash>SHA-384<", "<rohash>: \"SHA-384\""}}) {
    INFO(to);
    MemoryDir d = honest;
    Bytes& xml = d.files.at("protInfo.xml");
    std::string text(xml.begin(), xml.end());
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
    xml.assign(text.begin(), text.end());
    const shuffle::MixChainResult chain = shuffle::verify_mix_directory(vg, d.source());
    CHECK_FALSE(chain.ok());
    CHECK(chain.servers.empty());
    REQUIRE_FALSE(chain.errors.empty());
    INFO(chain.errors.size() << " errors, the last: " << chain.errors.back());
    CHECK(std::any_of(chain.errors.begin(), chain.errors.end(), [&](const std::string& e) {
      return e.rfind("protInfo.xml " + message, 0) == 0;
    }));
  }
}

TEST_CASE("the auxsid rule is injective and equals the producer's", "[stages][mix]") {
  CHECK(expected_mix_auxsid("mayor") == "c6d61796f72");
  CHECK(expected_mix_auxsid("may-or") == "c6d61792d6f72");
  CHECK(expected_mix_auxsid("may-or") != expected_mix_auxsid("mayor"));
  CHECK(expected_mix_auxsid("council") == "c636f756e63696c");
  // The longest contest id (64 bytes) gives 129 characters, within Verificatum's 256.
  CHECK(expected_mix_auxsid(std::string(64, 'z')).size() == 129);
}
