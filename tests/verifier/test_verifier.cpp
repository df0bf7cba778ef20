// haal-verify stages 1-5 and the receipt check: the honest record passes; each tampering fails
// and names the right check (Report::failed_with).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "crypto/canonical_json.hpp"
#include "crypto/group.hpp"
#include "tests/verifier/record_builder.hpp"
#include "verifier-app/merkle.hpp"
#include "verifier-app/receipt_check.hpp"

using namespace haal;
using namespace haal::verifier;
using namespace haal::verifier::testing;
using crypto::Bytes;
using crypto::Json;
namespace fs = std::filesystem;

namespace {

// The honest record, built once and removed at exit.
struct HonestRecord {
  BuiltRecord record = build_record(fresh_temp_path("honest"));
  ~HonestRecord() { fs::remove_all(record.dir); }
};

const BuiltRecord& honest() {
  static const HonestRecord holder;
  return holder.record;
}

// Runs a tampering and requires that it fails in `stage` naming `needle`.
void require_detected(const std::string& name, Stage stage, const std::string& needle,
                      const std::function<void(const fs::path&)>& tamper,
                      bool reindex_after = true) {
  INFO("tampering: " << name);
  const Report report = verify_tampered(honest().dir, name, tamper, reindex_after);
  INFO(failures_text(report));
  CHECK_FALSE(report.ok());
  CHECK(report.failed_with(stage, needle));
}

// Edits a JSON file of the record in place.
void edit_json(const fs::path& file, const std::function<void(Json&)>& edit) {
  Json j = read_json(file);
  edit(j);
  write_json(file, j);
}

// Flips the last hex digit of a string field.
std::string flip_hex(std::string hex) {
  hex.back() = hex.back() == '0' ? '1' : '0';
  return hex;
}

// Edits the payload of board entry `index` (optionally re-signing it as `voter`), renumbers,
// and re-signs the board as a corrupt collector would.
void edit_entry(const fs::path& dir, std::size_t index, const std::function<void(Json&)>& edit,
                const std::string& resign_as = "") {
  std::vector<Json> entries = read_entries(dir);
  Json payload = entry_payload(entries.at(index));
  edit(payload);
  if (!resign_as.empty()) payload = sign_as(payload, resign_as);
  set_entry_payload(entries[index], payload);
  write_entries_and_reseal(dir, entries);
}

}  // namespace

TEST_CASE("merkle: RFC 6962 known answer and inclusion/consistency edge cases") {
  const std::vector<std::string> leaves_hex = {"",
                                               "00",
                                               "10",
                                               "2021",
                                               "3031",
                                               "40414243",
                                               "5051525354555657",
                                               "606162636465666768696a6b6c6d6e6f"};
  std::vector<Digest> leaves;
  for (const auto& h : leaves_hex) leaves.push_back(merkle_leaf_hash(crypto::from_hex(h)));
  CHECK(crypto::to_hex(merkle_root(leaves)) ==
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  CHECK(crypto::to_hex(merkle_root({})) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // Leaf 0 of a 1-leaf tree: empty path.
  CHECK(merkle_verify_inclusion(0, 1, leaves[0], {}, leaves[0]));
  CHECK_FALSE(merkle_verify_inclusion(1, 1, leaves[0], {}, leaves[0]));
  // Leaf 7 of 8: path is [leaf 6, MTH(4..5), MTH(0..3)].
  const std::vector<Digest> path = {leaves[6], merkle_root(std::span(leaves).subspan(4, 2)),
                                    merkle_root(std::span(leaves).subspan(0, 4))};
  CHECK(merkle_verify_inclusion(7, 8, leaves[7], path, merkle_root(leaves)));
  CHECK_FALSE(merkle_verify_inclusion(6, 8, leaves[7], path, merkle_root(leaves)));
  // Consistency 4 -> 8: proof [MTH(4..7)].
  const Digest first = merkle_root(std::span(leaves).subspan(0, 4));
  CHECK(merkle_verify_consistency(4, 8, first, merkle_root(leaves),
                                  std::vector<Digest>{merkle_root(std::span(leaves).subspan(4))}));
  CHECK_FALSE(
      merkle_verify_consistency(4, 8, leaves[0], merkle_root(leaves),
                                std::vector<Digest>{merkle_root(std::span(leaves).subspan(4))}));
  CHECK(merkle_verify_consistency(8, 8, merkle_root(leaves), merkle_root(leaves), {}));
  CHECK_FALSE(merkle_verify_consistency(9, 8, merkle_root(leaves), merkle_root(leaves), {}));
  CHECK(merkle_verify_consistency(0, 8, first, merkle_root(leaves), {}));
}

TEST_CASE("honest record: every check of stages 1-5 passes, from a directory and from a tar") {
  const Report report = verify_path(honest().dir);
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  CHECK(report.passed() > 30);
  const fs::path tar = fresh_temp_path("honest-tar") += ".tar";
  REQUIRE(std::system(("tar --format=ustar -cf '" + tar.string() + "' -C '" +
                       honest().dir.parent_path().string() + "' '" +
                       honest().dir.filename().string() + "'")
                          .c_str()) == 0);
  const Report from_tar = verify_path(tar);
  INFO(failures_text(from_tar));
  CHECK(stages_1_to_5_pass(from_tar));
  fs::remove(tar);
}

TEST_CASE("honest record in modp-2048 passes, a ciphertext outside the subgroup is refused") {
  const BuiltRecord record =
      build_record(fresh_temp_path("modp"), BuildOptions{.group = "modp-2048", .voters = 3});
  const Report report = verify_path(record.dir);
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  // p - 1 is not in the subgroup of quadratic residues; the voter re-signs the ballot.
  const Report bad = verify_tampered(record.dir, "non-residue", [&](const fs::path& dir) {
    edit_entry(
        dir, record.ballot_indices[0],
        [](Json& b) {
          std::string hex(512, 'f');
          hex[511] = 'e';  // p - 1 for the RFC 3526 prime, which ends in ...ffff
          b["contests"][0]["ciphertexts"][0]["alpha"] = hex;
        },
        "credential voter-0000001");
  });
  INFO(failures_text(bad));
  CHECK(bad.failed_with(Stage::kBallots, "in the group"));
  fs::remove_all(record.dir);
}

TEST_CASE("honest record with a disqualified trustee passes, its qualification cannot be forged") {
  const BuiltRecord record =
      build_record(fresh_temp_path("cheater"), BuildOptions{.cheating_trustee = true});
  const Report report = verify_path(record.dir);
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  const auto results = report.results();
  CHECK(std::any_of(results.begin(), results.end(), [](const CheckResult& r) {
    return r.passed &&
           r.check.find("trustee 3 disqualified (commitment-mismatch)") != std::string::npos;
  }));
  const Report forged = verify_tampered(record.dir, "qualify cheater", [](const fs::path& dir) {
    edit_json(dir / "ceremony" / "result.json", [](Json& r) {
      r["qualified"] = Json::array({1, 2, 3});
      r["disqualified"] = Json::array();
    });
  });
  CHECK(forged.failed_with(Stage::kCeremony, "qualified"));
  fs::remove_all(record.dir);
}

TEST_CASE(
    "a complaint answered with the right share keeps the accused qualified; a wrong share "
    "disqualifies") {
  const BuiltRecord record =
      build_record(fresh_temp_path("complaint"), BuildOptions{.answered_complaint = true});
  const Report report = verify_path(record.dir);
  INFO(failures_text(report));
  CHECK(stages_1_to_5_pass(report));
  const auto results = report.results();
  CHECK(std::any_of(results.begin(), results.end(), [](const CheckResult& r) {
    return r.passed &&
           r.check.find(
               "complaint against trustee 2 by trustee 1 resolved: the revealed share matches") !=
               std::string::npos;
  }));
  // The accused reveals a wrong share (re-signed: the trustee itself lies): it must be
  // disqualified, and the published result, which keeps it, no longer matches.
  const Report lying = verify_tampered(record.dir, "wrong revealed share", [](const fs::path& dir) {
    edit_json(dir / "ceremony" / "round3-answer-trustee-2.json", [](Json& m) {
      const crypto::Group& g = crypto::group_by_name("P-256");
      m["revealed_shares"][0]["share"] = g.scalars().to_hex(g.scalars().from_u64(12345));
      m.erase("signature");
      Bytes input;
      crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-CEREMONY-MESSAGE"));
      const Bytes body = crypto::canonical_json_bytes(m);
      input.insert(input.end(), body.begin(), body.end());
      m["signature"] = crypto::to_hex(test_key("trustee 2").sign(input));
    });
  });
  INFO(failures_text(lying));
  CHECK(lying.failed_with(Stage::kCeremony, "qualified"));
  CHECK(lying.failed_with(Stage::kCeremony, "invalid-revealed-share"));
  fs::remove_all(record.dir);
}

TEST_CASE("file-level tamperings: truncation, missing, extra and altered files") {
  require_detected(
      "truncate entries", Stage::kParameters, "truncated",
      [](const fs::path& dir) {
        fs::resize_file(dir / "board" / "entries.jsonl",
                        fs::file_size(dir / "board" / "entries.jsonl") / 2);
      },
      false);
  require_detected(
      "truncate result.json", Stage::kParameters, "ceremony/result.json",
      [](const fs::path& dir) { fs::resize_file(dir / "ceremony" / "result.json", 100); }, false);
  require_detected(
      "missing excluded.json", Stage::kParameters, "missing from the record",
      [](const fs::path& dir) { fs::remove(dir / "cleanse" / "excluded.json"); }, false);
  require_detected(
      "extra file", Stage::kParameters, "not listed in index.json",
      [](const fs::path& dir) { std::ofstream(dir / "board" / "extra.json") << "{}\n"; }, false);
  require_detected(
      "index sha mismatch", Stage::kParameters, "differs from index.json",
      [](const fs::path& dir) {
        edit_json(dir / "index.json",
                  [](Json& j) { j["files"][0]["sha256"] = flip_hex(j["files"][0]["sha256"]); });
      },
      false);
  // A truncated archive: the reader refuses it with the offset.
  const fs::path tar = fresh_temp_path("trunc-tar") += ".tar";
  REQUIRE(std::system(
              ("tar --format=ustar -cf '" + tar.string() + "' -C '" + honest().dir.string() + "' .")
                  .c_str()) == 0);
  fs::resize_file(tar, fs::file_size(tar) / 2 / 512 * 512);
  const Report report = verify_path(tar);
  CHECK(report.failed_with(Stage::kParameters, "truncated"));
  fs::remove(tar);
}

TEST_CASE("truncating any file of the record fails the index check naming that file") {
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(honest().dir)) {
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), honest().dir).generic_string());
  }
  REQUIRE(files.size() > 20);
  for (const std::string& file : files) {
    if (file == "index.json") continue;
    require_detected(
        "truncate " + file, Stage::kParameters, file,
        [&](const fs::path& dir) { fs::resize_file(dir / file, fs::file_size(dir / file) - 1); },
        false);
  }
}

TEST_CASE("stage 1 tamperings: manifest, group, context") {
  require_detected("candidate name", Stage::kParameters, "manifest_hash", [](const fs::path& dir) {
    edit_json(dir / "manifest.json",
              [](Json& m) { m["contests"][0]["options"][1]["title"] = "Robert"; });
  });
  require_detected("unknown group", Stage::kParameters, "group", [](const fs::path& dir) {
    edit_json(dir / "manifest.json", [](Json& m) { m["group"] = "P-192"; });
  });
  require_detected("context width", Stage::kParameters, ".width", [](const fs::path& dir) {
    edit_json(dir / "context.json", [](Json& c) { c["contests"][1]["width"] = 1; });
  });
  require_detected(
      "index context hash", Stage::kParameters, "index.json.context_hash",
      [](const fs::path& dir) {
        reindex(dir);
        edit_json(dir / "index.json",
                  [](Json& j) { j["context_hash"] = flip_hex(j["context_hash"]); });
      },
      false);
}

TEST_CASE("stage 2 tamperings: ceremony messages, joint key, verification keys") {
  require_detected("replace joint public key", Stage::kCeremony, "joint public key",
                   [](const fs::path& dir) {
                     const crypto::Group& g = crypto::group_by_name("P-256");
                     edit_json(dir / "context.json", [&](Json& c) {
                       c["public_key"] = g.to_hex(g.exp_generator_var(g.scalars().from_u64(7)));
                     });
                   });
  require_detected("alter a trustee's commitment", Stage::kCeremony,
                   "round1-commitment-trustee-2.json", [](const fs::path& dir) {
                     edit_json(dir / "ceremony" / "round1-commitment-trustee-2.json", [](Json& m) {
                       m["commitment_hash"] = flip_hex(m["commitment_hash"]);
                     });
                   });
  require_detected("alter a Feldman commitment", Stage::kCeremony, "round1-reveal-trustee-1.json",
                   [](const fs::path& dir) {
                     const crypto::Group& g = crypto::group_by_name("P-256");
                     edit_json(dir / "ceremony" / "round1-reveal-trustee-1.json", [&](Json& m) {
                       m["coefficient_commitments"][1] =
                           g.to_hex(g.exp_generator_var(g.scalars().from_u64(5)));
                     });
                   });
  require_detected("alter a verification key", Stage::kCeremony, "verification_key",
                   [](const fs::path& dir) {
                     const crypto::Group& g = crypto::group_by_name("P-256");
                     edit_json(dir / "ceremony" / "result.json", [&](Json& r) {
                       r["trustees"][1]["verification_key"] =
                           g.to_hex(g.exp_generator_var(g.scalars().from_u64(9)));
                     });
                   });
  require_detected(
      "drop a ceremony message", Stage::kCeremony, "messages",
      [](const fs::path& dir) { fs::remove(dir / "ceremony" / "round3-answer-trustee-3.json"); });
  require_detected("forged identity", Stage::kCeremony, "round0-identity-trustee-1.json",
                   [](const fs::path& dir) {
                     edit_json(dir / "ceremony" / "round0-identity-trustee-1.json", [](Json& m) {
                       m["signing_key"] = crypto::to_hex(test_key("mallory").public_key());
                     });
                   });
}

TEST_CASE("small-order Ed25519 keys are refused: roll, trustee identity, collector and officials") {
  // Under the identity point 01 00..00, R = identity and S = 0 is a valid signature of every
  // message (OpenSSL alone accepts it): each tampering also puts that forgery where it would pass.
  const std::string identity_point = "01" + std::string(62, '0');
  const std::string forged = "01" + std::string(126, '0');
  const std::string small_order =
      ": a small-order Ed25519 point (it would verify forged signatures)";
  require_detected("small-order roll key", Stage::kBoard,
                   "roll.json.voters[0].public_key" + small_order, [&](const fs::path& dir) {
                     edit_json(dir / "roll.json",
                               [&](Json& r) { r["voters"][0]["public_key"] = identity_point; });
                   });
  require_detected("small-order trustee identity key", Stage::kCeremony,
                   "ceremony/round0-identity-trustee-1.json.signing_key" + small_order,
                   [&](const fs::path& dir) {
                     edit_json(dir / "ceremony" / "round0-identity-trustee-1.json", [&](Json& m) {
                       m["signing_key"] = identity_point;
                       m["signature"] = forged;
                     });
                   });
  // The parties' keys live in context.json (stage 1 reads them; stages 3 and 6 use them).
  require_detected(
      "small-order collector key with forged heads", Stage::kParameters,
      "context.json.collector_key" + small_order, [&](const fs::path& dir) {
        edit_json(dir / "context.json", [&](Json& c) { c["collector_key"] = identity_point; });
        edit_json(dir / "board" / "head.json", [&](Json& h) { h["signature"] = forged; });
        for (const auto& f : fs::directory_iterator(dir / "board" / "heads")) {
          edit_json(f.path(), [&](Json& h) { h["signed_tree_head"]["signature"] = forged; });
        }
      });
  require_detected("small-order officials' key", Stage::kParameters,
                   "context.json.officials_key" + small_order, [&](const fs::path& dir) {
                     edit_json(dir / "context.json",
                               [&](Json& c) { c["officials_key"] = identity_point; });
                   });
  require_detected(
      "small-order mix server key", Stage::kParameters,
      "context.json.mix_servers[0].public_key" + small_order, [&](const fs::path& dir) {
        edit_json(dir / "context.json",
                  [&](Json& c) { c["mix_servers"][0]["public_key"] = identity_point; });
      });
}

TEST_CASE("stage 3 tamperings: board entries, heads, poll events") {
  require_detected("reorder board leaves", Stage::kBoard, "sequence", [](const fs::path& dir) {
    auto lines = read_lines(dir / "board" / "entries.jsonl");
    std::swap(lines[2], lines[4]);
    write_lines(dir / "board" / "entries.jsonl", lines);
  });
  require_detected("drop a cast ballot", Stage::kBoard, "Merkle root", [](const fs::path& dir) {
    auto entries = read_entries(dir);
    entries.erase(entries.begin() + static_cast<long>(honest().ballot_indices[3]));
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      entries[i]["sequence"] = i;
      lines.push_back(entries[i].dump());
    }
    write_lines(dir / "board" / "entries.jsonl", lines);
  });
  require_detected("change the final tree head", Stage::kBoard, "signature",
                   [](const fs::path& dir) {
                     edit_json(dir / "board" / "head.json",
                               [](Json& h) { h["root_hash"] = flip_hex(h["root_hash"]); });
                   });
  require_detected("rewritten history breaks published heads", Stage::kBoard, "consistency",
                   [](const fs::path& dir) {
                     auto entries = read_entries(dir);
                     entries.erase(entries.begin() +
                                   1);  // a corrupt collector drops an early ballot and re-signs
                     const fs::path heads = dir / "board" / "heads";
                     const fs::path saved = dir.string() + "-heads";
                     fs::copy(heads, saved, fs::copy_options::recursive);
                     write_entries_and_reseal(dir, entries);
                     fs::remove_all(heads);
                     fs::copy(saved, heads,
                              fs::copy_options::recursive);  // the heads published earlier remain
                     fs::remove_all(saved);
                   });
  require_detected(
      "flip a bit in a head signature", Stage::kBoard, "signature", [](const fs::path& dir) {
        edit_json(dir / "board" / "heads" / "4.json", [](Json& h) {
          h["signed_tree_head"]["signature"] = flip_hex(h["signed_tree_head"]["signature"]);
        });
      });
  require_detected("ballot after poll-close", Stage::kBoard, "poll-close", [](const fs::path& dir) {
    auto entries = read_entries(dir);
    std::swap(entries[entries.size() - 1], entries[entries.size() - 2]);
    write_entries_and_reseal(dir, entries);
  });
  require_detected("forged poll-close", Stage::kBoard, "officials", [](const fs::path& dir) {
    edit_entry(dir, honest().entries - 1, [](Json& p) {
      p["request"]["timestamp_ms"] = p["request"]["timestamp_ms"].get<std::uint64_t>() + 1;
    });
  });
}

TEST_CASE("stage 4 tamperings: signatures, credentials, proofs, elements, replays") {
  const std::size_t b0 = honest().ballot_indices[0];  // voter-001
  require_detected("flip a bit in a ciphertext", Stage::kBallots, "ballot signature",
                   [&](const fs::path& dir) {
                     edit_entry(dir, b0, [](Json& b) {
                       b["contests"][0]["ciphertexts"][0]["beta"] =
                           flip_hex(b["contests"][0]["ciphertexts"][0]["beta"]);
                     });
                   });
  require_detected("flip a bit in a ciphertext, re-signed by the voter", Stage::kBallots,
                   "ballot proofs", [&](const fs::path& dir) {
                     edit_entry(
                         dir, b0,
                         [](Json& b) {
                           const crypto::Group& g = crypto::group_by_name("P-256");
                           b["contests"][0]["ciphertexts"][0]["beta"] =
                               g.to_hex(g.exp_generator_var(g.scalars().from_u64(3)));
                         },
                         "credential voter-0000001");
                   });
  require_detected(
      "ciphertext not on the curve", Stage::kBallots, "in the group", [&](const fs::path& dir) {
        edit_entry(
            dir, b0,
            [](Json& b) {
              b["contests"][0]["ciphertexts"][0]["alpha"] = "02" + std::string(64, 'f');
            },
            "credential voter-0000001");
      });
  require_detected("flip a bit in a ballot proof", Stage::kBallots, "ballot proofs",
                   [&](const fs::path& dir) {
                     edit_entry(
                         dir, b0,
                         [](Json& b) {
                           b["contests"][1]["proof"]["responses"][1] =
                               flip_hex(b["contests"][1]["proof"]["responses"][1]);
                         },
                         "credential voter-0000001");
                   });
  require_detected("flip a bit in a ballot signature", Stage::kBallots, "ballot signature",
                   [&](const fs::path& dir) {
                     edit_entry(dir, b0,
                                [](Json& b) { b["signature"] = flip_hex(b["signature"]); });
                   });
  require_detected(
      "add a ballot without a credential", Stage::kBallots, "credential", [&](const fs::path& dir) {
        auto entries = read_entries(dir);
        Json ballot = entry_payload(entries[b0]);
        ballot["voter_id"] = "voter-999";
        ballot["credential"] = crypto::to_hex(test_key("credential voter-999").public_key());
        ballot = sign_as(ballot, "credential voter-999");
        Json entry = entries[b0];
        set_entry_payload(entry, ballot);
        entries.insert(entries.end() - 1, entry);
        write_entries_and_reseal(dir, entries);
      });
  require_detected("replace a ballot by another voter's", Stage::kBallots, "replayed",
                   [&](const fs::path& dir) {
                     auto entries = read_entries(dir);
                     entries[honest().ballot_indices[0]]["payload"] =
                         entries[honest().ballot_indices[3]]["payload"];
                     write_entries_and_reseal(dir, entries);
                   });
  require_detected("ballot for another context", Stage::kBallots, "context",
                   [&](const fs::path& dir) {
                     edit_entry(
                         dir, b0, [](Json& b) { b["context_hash"] = flip_hex(b["context_hash"]); },
                         "credential voter-0000001");
                   });
  require_detected("re-vote with a stale sequence", Stage::kBallots, "sequence",
                   [&](const fs::path& dir) {
                     edit_entry(
                         dir, honest().revote_last, [](Json& b) { b["sequence"] = 1; },
                         "credential voter-0000002");
                   });
  require_detected("non-canonical payload", Stage::kBallots, "canonical", [&](const fs::path& dir) {
    auto entries = read_entries(dir);
    const Json ballot = entry_payload(entries[b0]);
    const std::string text = ballot.dump(1);
    entries[b0]["payload"] = crypto::to_hex(crypto::to_bytes(text));
    write_entries_and_reseal(dir, entries);
  });
  require_detected("malformed ballot (wrong width)", Stage::kBallots, "well formed",
                   [&](const fs::path& dir) {
                     edit_entry(
                         dir, b0, [](Json& b) { b["contests"][1]["ciphertexts"].erase(1); },
                         "credential voter-0000001");
                   });
}

TEST_CASE("stage 5 tamperings: cleansing, re-votes, challenges, Benaloh openings") {
  require_detected(
      "remove a re-vote so an earlier ballot counts", Stage::kCleansing, "superseded",
      [](const fs::path& dir) {
        edit_json(dir / "cleanse" / "cast.json", [](Json& c) {
          for (Json& b : c["ballots"]) {
            if (b["board_index"] == honest().revote_last) {
              const Json earlier = read_entries(honest().dir)[honest().revote_first];
              const Json payload = entry_payload(earlier);
              b = {{"board_index", honest().revote_first},
                   {"voter_id", payload["voter_id"]},
                   {"sequence", payload["sequence"]},
                   {"ballot_hash", crypto::to_hex(crypto::canonical_json_hash(payload))}};
            }
          }
          std::sort(c["ballots"].begin(), c["ballots"].end(), [](const Json& a, const Json& b) {
            return a["board_index"] < b["board_index"];
          });
        });
      });
  require_detected(
      "count a challenged ballot", Stage::kCleansing, "cast.json lists exactly",
      [](const fs::path& dir) {
        edit_json(dir / "cleanse" / "cast.json", [](Json& c) {
          const Json payload = entry_payload(read_entries(honest().dir)[honest().challenge_index]);
          c["ballots"].push_back(
              {{"board_index", honest().challenge_index},
               {"voter_id", "voter-0000003"},
               {"sequence", 1},
               {"ballot_hash", crypto::to_hex(crypto::canonical_json_hash(payload))}});
          std::sort(c["ballots"].begin(), c["ballots"].end(), [](const Json& a, const Json& b) {
            return a["board_index"] < b["board_index"];
          });
        });
      });
  require_detected("drop a counted ballot from cast.json", Stage::kCleansing,
                   "missing from cleanse/cast.json", [](const fs::path& dir) {
                     edit_json(dir / "cleanse" / "cast.json",
                               [](Json& c) { c["ballots"].erase(0); });
                   });
  require_detected("wrong exclusion reason", Stage::kCleansing, "reason", [](const fs::path& dir) {
    edit_json(dir / "cleanse" / "excluded.json",
              [](Json& e) { e["entries"][0]["reason"] = "invalid"; });
  });
  require_detected(
      "alter a Benaloh opening", Stage::kCleansing, "Benaloh", [](const fs::path& dir) {
        edit_entry(dir, honest().challenge_index,
                   [](Json& c) { c["contests"][0]["choices"] = Json::array({"bob"}); });
      });
  require_detected("drop a challenge's exclusion", Stage::kCleansing,
                   "missing from cleanse/excluded.json", [](const fs::path& dir) {
                     edit_json(dir / "cleanse" / "excluded.json",
                               [](Json& e) { e["entries"].erase(0); });
                   });
}

TEST_CASE("receipt check: superseded and counted ballots, and a board that dropped the ballot") {
  const RecordReader record = RecordReader::open(honest().dir);
  {
    Report report;
    const ReceiptStatus s =
        check_receipt_var(honest().receipt, record, VerifyOptions{2, nullptr}, report);
    INFO(failures_text(report));
    CHECK(report.ok());
    CHECK(s.on_board);
    CHECK(s.status == "superseded");
    CHECK(s.superseded_by == honest().revote_last);
  }
  {
    Report report;
    const ReceiptStatus s =
        check_receipt_var(honest().receipt_counted, record, VerifyOptions{2, nullptr}, report);
    INFO(failures_text(report));
    CHECK(report.ok());
    CHECK(s.status == "counted");
  }
  {
    // The collector drops the receipt's ballot and re-signs a new final head.
    const fs::path copy = fresh_temp_path("receipt-drop");
    fs::copy(honest().dir, copy, fs::copy_options::recursive);
    auto entries = read_entries(copy);
    entries.erase(entries.begin() +
                  static_cast<long>(honest().receipt_counted["board_index"].get<std::size_t>()));
    write_entries_and_reseal(copy, entries);
    reindex(copy);
    Report report;
    const ReceiptStatus s = check_receipt_var(honest().receipt_counted, RecordReader::open(copy),
                                              VerifyOptions{2, nullptr}, report);
    CHECK_FALSE(s.on_board);
    CHECK(report.failed_with(Stage::kBoard, "receipt"));
    fs::remove_all(copy);
  }
  {
    // A receipt naming another tracking code than its entry's ciphertexts give.
    Json forged = honest().receipt;
    forged["tracking_code"] = honest().receipt_counted["tracking_code"];
    Report report;
    check_receipt_var(forged, record, VerifyOptions{2, nullptr}, report);
    CHECK(report.failed_with(Stage::kBoard, "tracking code is that of the entry"));
  }
  {
    Json forged = honest().receipt;
    forged["inclusion_proof"]["audit_path"][0] =
        flip_hex(forged["inclusion_proof"]["audit_path"][0]);
    Report report;
    check_receipt_var(forged, record, VerifyOptions{2, nullptr}, report);
    CHECK(report.failed_with(Stage::kBoard, "inclusion proof"));
  }
}
