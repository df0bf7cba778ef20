#include "tests/verifier/record_builder.hpp"

#include <fstream>
#include <random>
#include <sstream>

#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/elgamal.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"
#include "crypto/proof_schnorr.hpp"
#include "crypto/random_source.hpp"
#include "election/tracking_code.hpp"
#include "verifier-app/decryption/plaintext_decoding.hpp"
#include "verifier-app/manifest_parser.hpp"
#include "verifier-app/merkle.hpp"
#include "verifier-app/record_reader.hpp"
#include "verifier-app/selection_codec.hpp"
#include "verifier-app/stages.hpp"
#include "verifier-app/verify_record.hpp"

namespace haal::verifier::testing {

namespace fs = std::filesystem;
using crypto::Bytes;
using crypto::Element;
using crypto::Json;
using crypto::Scalar;

namespace {

const std::string kElection = "test-election";
constexpr std::uint64_t kTime0 = 1767225600000;  // 2026-01-01T00:00:00Z

crypto::Ed25519PrivateKey key_from(const std::string& label) {
  const crypto::Digest seed = crypto::sha256(label);
  return crypto::Ed25519PrivateKey::from_seed(seed);
}

std::string hex(const crypto::Digest& d) {
  return crypto::to_hex(d);
}

Json sign_with_tag(Json message, const crypto::Ed25519PrivateKey& key, std::string_view tag) {
  message.erase("signature");
  Bytes input;
  crypto::append_length_prefixed(input, crypto::to_bytes(tag));
  const Bytes body = crypto::canonical_json_bytes(message);
  input.insert(input.end(), body.begin(), body.end());
  message["signature"] = crypto::to_hex(key.sign(input));
  return message;
}

Json sign_plain(Json message, const crypto::Ed25519PrivateKey& key) {
  message.erase("signature");
  message["signature"] = crypto::to_hex(key.sign(crypto::canonical_json_bytes(message)));
  return message;
}

Json manifest_json(const BuildOptions& o) {
  Json manifest = Json{
      {"election_id", kElection},
      {"title", "Test election"},
      {"voting_window", {{"opens", "2026-01-01T00:00:00Z"}, {"closes", "2026-12-31T00:00:00Z"}}},
      {"group", o.group},
      {"trustees", {{"count", o.trustees}, {"threshold", o.threshold}}},
      {"contests",
       Json::array({Json{{"id", "mayor"},
                         {"title", "Mayor"},
                         {"kind", "plurality"},
                         {"min", 0},
                         {"max", 1},
                         {"options", Json::array({Json{{"id", "alice"}, {"title", "Alice"}},
                                                  Json{{"id", "bob"}, {"title", "Bob"}},
                                                  Json{{"id", "carol"}, {"title", "Carol"}}})}},
                    Json{{"id", "council"},
                         {"title", "Council"},
                         {"kind", "ranked"},
                         {"method", "instant-runoff"},
                         {"min", 1},
                         {"max", 3},
                         {"options", Json::array({Json{{"id", "dan"}, {"title", "Dan"}},
                                                  Json{{"id", "eve"}, {"title", "Eve"}},
                                                  Json{{"id", "fay"}, {"title", "Fay"}},
                                                  Json{{"id", "gus"}, {"title", "Gus"}}})},
                         {"write_in", {{"max_bytes", 40}}}}})}};
  if (o.translated_texts) {
    manifest["title"] = {
        {"en", "Test election"}, {"et", "Testvalimised"}, {"ru", "Тестовые выборы"}};
    manifest["contact"] = {{"en", "officials@test.example"}, {"et", "valimised@test.example"}};
    manifest["contests"][0]["title"] = {{"en", "Mayor"}, {"et", "Linnapea"}, {"ru", "Мэр"}};
    manifest["contests"][1]["options"][0]["title"] = {{"en", "Dan"}};
  }
  return manifest;
}

// RFC 9162 2.1.3.1 PATH(m, D[n]).
void audit_path(std::span<const crypto::Digest> leaves, std::size_t m,
                std::vector<crypto::Digest>& out) {
  if (leaves.size() <= 1) return;
  std::size_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;
  if (m < k) {
    audit_path(leaves.subspan(0, k), m, out);
    out.push_back(merkle_root(leaves.subspan(k)));
  } else {
    audit_path(leaves.subspan(k), m - k, out);
    out.push_back(merkle_root(leaves.subspan(0, k)));
  }
}

// RFC 9162 2.1.4.1 SUBPROOF(m, D[n], b).
void subproof(std::size_t m, std::span<const crypto::Digest> leaves, bool b,
              std::vector<crypto::Digest>& out) {
  const std::size_t n = leaves.size();
  if (m == n) {
    if (!b) out.push_back(merkle_root(leaves));
    return;
  }
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  if (m <= k) {
    subproof(m, leaves.subspan(0, k), b, out);
    out.push_back(merkle_root(leaves.subspan(k)));
  } else {
    subproof(m - k, leaves.subspan(k), false, out);
    out.push_back(merkle_root(leaves.subspan(0, k)));
  }
}

Json digests_json(const std::vector<crypto::Digest>& ds) {
  Json out = Json::array();
  for (const auto& d : ds) out.push_back(hex(d));
  return out;
}

Json head_json(const TreeHead& h) {
  return Json{{"log_id", h.log_id},
              {"root_hash", hex(h.root_hash)},
              {"signature", crypto::to_hex(h.signature)},
              {"timestamp_ms", h.timestamp_ms},
              {"tree_size", h.tree_size}};
}

TreeHead signed_head(const std::vector<crypto::Digest>& leaves, std::size_t size, std::uint64_t ts,
                     const crypto::Ed25519PrivateKey& collector) {
  TreeHead h;
  h.log_id = kElection;
  h.tree_size = size;
  h.root_hash = merkle_root(std::span<const crypto::Digest>(leaves).subspan(0, size));
  h.timestamp_ms = ts;
  h.signature = collector.sign(tree_head_signed_bytes(h));
  return h;
}

struct EncryptedBallot {
  Json ballot;
  std::vector<std::vector<Scalar>> randomness;
  crypto::Digest hash{};
};

}  // namespace

crypto::Ed25519PrivateKey test_key(const std::string& label) {
  return key_from(label);
}

Json sign_as(Json object, const std::string& key_label) {
  return sign_plain(std::move(object), key_from(key_label));
}

std::vector<Json> read_entries(const fs::path& dir) {
  std::vector<Json> out;
  for (const std::string& line : read_lines(dir / "board" / "entries.jsonl"))
    out.push_back(Json::parse(line));
  return out;
}

Json entry_payload(const Json& entry) {
  const Bytes b = crypto::from_hex(entry.at("payload").get<std::string>());
  return Json::parse(b.begin(), b.end());
}

void set_entry_payload(Json& entry, const Json& payload) {
  entry["payload"] = crypto::to_hex(crypto::canonical_json_bytes(payload));
}

void write_entries_and_reseal(const fs::path& dir, std::vector<Json> entries) {
  std::vector<crypto::Digest> leaves;
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i]["sequence"] = i;
    const BoardEntry e{entries[i].at("kind").get<std::string>(), i,
                       entries[i].at("timestamp_ms").get<std::uint64_t>(),
                       crypto::from_hex(entries[i].at("payload").get<std::string>())};
    leaves.push_back(merkle_leaf_hash(encode_board_leaf(e)));
    lines.push_back(entries[i].dump());
  }
  write_lines(dir / "board" / "entries.jsonl", lines);
  const auto collector = key_from("collector");
  const Json old = read_json(dir / "board" / "head.json");
  write_json(dir / "board" / "head.json",
             head_json(signed_head(leaves, leaves.size(),
                                   old.at("timestamp_ms").get<std::uint64_t>(), collector)));
  fs::remove_all(dir / "board" / "heads");
  for (std::size_t size : {std::size_t{1}, std::size_t{4}}) {
    if (size >= leaves.size()) continue;
    const TreeHead h = signed_head(leaves, size, kTime0 + 1000 * size + 1, collector);
    std::vector<crypto::Digest> path;
    subproof(size, leaves, true, path);
    write_json(dir / "board" / "heads" / (std::to_string(size) + ".json"),
               Json{{"signed_tree_head", head_json(h)},
                    {"consistency_proof",
                     {{"first_size", size},
                      {"path", digests_json(path)},
                      {"second_size", leaves.size()}}}});
  }
}

crypto::Json read_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return Json::parse(s.str());
}

void write_json(const fs::path& file, const Json& j) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  const Bytes bytes = crypto::canonical_json_bytes(j);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out << "\n";
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_lines(const fs::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  for (const auto& l : lines) out << l << "\n";
}

fs::path fresh_temp_path(const std::string& name) {
  static std::mt19937_64 rng(std::random_device{}());
  std::string safe;
  for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  return fs::temp_directory_path() /
         ("haal-verifier-test-" + safe.substr(0, 60) + "-" + std::to_string(rng()));
}

void reindex(const fs::path& dir) {
  const Json context = read_json(dir / "context.json");
  Json files = Json::array();
  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), dir).generic_string();
    if (rel != "index.json") paths.push_back(rel);
  }
  std::sort(paths.begin(), paths.end());
  const RecordReader reader = RecordReader::open(dir);
  for (const auto& p : paths) {
    files.push_back(
        {{"path", p}, {"bytes", fs::file_size(dir / p)}, {"sha256", hex(reader.sha256(p))}});
  }
  write_json(dir / "index.json",
             Json{{"format", "haal-record-v1"},
                  {"election_id", read_json(dir / "manifest.json").at("election_id")},
                  {"context_hash", hex(crypto::canonical_json_hash(context))},
                  {"files", files}});
}

BuiltRecord build_record(const fs::path& dir, const BuildOptions& o) {
  if (fs::exists(dir)) throw std::invalid_argument(dir.string() + " exists");
  fs::create_directories(dir);
  BuiltRecord built;
  built.dir = dir;
  crypto::DeterministicRandomForTests rng(crypto::to_bytes("haal verifier test record " + o.group));
  const crypto::Group& group = crypto::group_by_name(o.group);
  const crypto::ScalarField& field = group.scalars();

  // Manifest.
  const Json manifest = Json::parse(manifest_json(o).dump());  // integers as read back: unsigned
  write_json(dir / "manifest.json", manifest);
  const crypto::Digest manifest_hash = crypto::canonical_json_hash(manifest);
  const Bytes manifest_hash_bytes(manifest_hash.begin(), manifest_hash.end());

  // Key ceremony (docs/ceremony.md): n trustees, threshold t.
  const std::size_t n = o.trustees, t = o.threshold;
  auto header = [&](const std::string& format, std::size_t i) {
    return Json{{"format", format},
                {"election_id", kElection},
                {"manifest_hash", hex(manifest_hash)},
                {"trustee", i}};
  };
  auto file = [](const std::string& round, std::size_t i) {
    return round + "-trustee-" + std::to_string(i) + ".json";
  };
  std::map<std::string, Json> messages;
  std::vector<std::vector<Element>> commitments(n + 1);
  std::vector<std::vector<Scalar>> all_coefficients(n + 1);
  std::vector<crypto::Ed25519PrivateKey> signing;
  for (std::size_t i = 1; i <= n; ++i) signing.push_back(key_from("trustee " + std::to_string(i)));
  for (std::size_t i = 1; i <= n; ++i) {
    const auto& key = signing[i - 1];
    Json id = header("haal-ceremony-identity-v1", i);
    id["signing_key"] = crypto::to_hex(key.public_key());
    const crypto::Digest enc = crypto::sha256("encryption " + std::to_string(i));
    id["encryption_key"] = hex(enc);
    messages[file("round0-identity", i)] = sign_with_tag(id, key, "HAAL-V1-CEREMONY-MESSAGE");
    std::vector<Scalar>& coefficients = all_coefficients[i];
    Json cs = Json::array(), ps = Json::array();
    for (std::size_t k = 0; k < t; ++k) {
      coefficients.push_back(field.random_nonzero(rng));
      commitments[i].push_back(group.exp_generator(crypto::SecretScalar(coefficients[k])));
      const std::string binding =
          "ceremony/trustee:" + std::to_string(i) + "/coefficient:" + std::to_string(k);
      const crypto::SchnorrProof proof = crypto::schnorr_prove(
          group, crypto::ProofContext{manifest_hash_bytes, crypto::to_bytes(binding)},
          group.generator(), commitments[i][k], coefficients[k], rng);
      cs.push_back(group.to_hex(commitments[i][k]));
      ps.push_back(crypto::schnorr_proof_to_json(group, proof));
    }
    // Hash commitment: SHA-256(LP(tag) || LP(manifest_hash) || u32(i) || u32(t) || C_0 .. C_{t-1}).
    Bytes input;
    crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-CEREMONY-COMMITMENT"));
    crypto::append_length_prefixed(input, manifest_hash_bytes);
    crypto::append_u32_be(input, static_cast<std::uint32_t>(i));
    crypto::append_u32_be(input, static_cast<std::uint32_t>(t));
    for (const Element& c : commitments[i]) {
      const Bytes e = group.encode(c);
      input.insert(input.end(), e.begin(), e.end());
    }
    if (o.cheating_trustee && i == 3) input.push_back(0);  // commits to something else
    Json commitment = header("haal-ceremony-commitment-v1", i);
    commitment["commitment_hash"] = hex(crypto::sha256(input));
    messages[file("round1-commitment", i)] =
        sign_with_tag(commitment, key, "HAAL-V1-CEREMONY-MESSAGE");
    Json reveal = header("haal-ceremony-reveal-v1", i);
    reveal["coefficient_commitments"] = cs;
    reveal["proofs"] = ps;
    messages[file("round1-reveal", i)] = sign_with_tag(reveal, key, "HAAL-V1-CEREMONY-MESSAGE");
    Json shares = header("haal-ceremony-shares-v1", i);
    shares["shares"] = Json::array();
    for (std::size_t j = 1; j <= n; ++j) {
      if (j == i) continue;
      Bytes opaque(48);
      rng.fill(opaque);
      shares["shares"].push_back(
          {{"recipient", j}, {"encrypted_share", {{"ciphertext", crypto::to_hex(opaque)}}}});
    }
    messages[file("round2-shares", i)] = sign_with_tag(shares, key, "HAAL-V1-CEREMONY-MESSAGE");
  }
  Json verified = Json::array();
  for (const auto& [name, j] : messages)
    verified.push_back({{"file", name}, {"sha256", hex(crypto::canonical_json_hash(j))}});
  for (std::size_t i = 1; i <= n; ++i) {
    Json complaints = header("haal-ceremony-complaints-v1", i);
    complaints["complaints"] = Json::array();
    if (o.answered_complaint && i == 1) {
      complaints["complaints"].push_back({{"accused", 2}, {"reason", "share-mismatch"}});
    }
    complaints["verified"] = verified;
    messages[file("round3-complaints", i)] =
        sign_with_tag(complaints, signing[i - 1], "HAAL-V1-CEREMONY-MESSAGE");
    Json answer = header("haal-ceremony-answer-v1", i);
    answer["revealed_shares"] = Json::array();
    if (o.answered_complaint && i == 2) {
      // f_2(1) = sum_k a_{2,k} * 1^k.
      Scalar share = field.from_u64(0);
      for (const Scalar& a : all_coefficients[2]) share = field.add(share, a);
      answer["revealed_shares"].push_back(
          {{"complainer", 1}, {"share", crypto::scalar_to_json(group, share)}});
    }
    messages[file("round3-answer", i)] =
        sign_with_tag(answer, signing[i - 1], "HAAL-V1-CEREMONY-MESSAGE");
  }
  std::vector<std::size_t> qualified;
  Json disqualified = Json::array();
  for (std::size_t i = 1; i <= n; ++i) {
    if (o.cheating_trustee && i == 3) {
      disqualified.push_back({{"trustee", i}, {"reason", "commitment-mismatch"}});
    } else {
      qualified.push_back(i);
    }
  }
  std::vector<Element> joint(t, group.identity());
  for (std::size_t i : qualified) {
    for (std::size_t k = 0; k < t; ++k) joint[k] = group.mul(joint[k], commitments[i][k]);
  }
  const Element public_key = joint[0];
  Json trustees = Json::array();
  for (std::size_t j : qualified) {
    std::vector<Scalar> powers;
    Scalar power = field.from_u64(1);
    for (std::size_t k = 0; k < t; ++k) {
      powers.push_back(power);
      power = field.mul(power, field.from_u64(j));
    }
    trustees.push_back({{"trustee", j},
                        {"signing_key", crypto::to_hex(signing[j - 1].public_key())},
                        {"verification_key", group.to_hex(group.multi_exp_var(joint, powers))}});
  }
  Json message_list = Json::array();
  for (const auto& [name, j] : messages) {
    write_json(dir / "ceremony" / name, j);
    message_list.push_back({{"file", name}, {"sha256", hex(crypto::canonical_json_hash(j))}});
  }
  const Json result = {{"format", "haal-ceremony-result-v1"},
                       {"election_id", kElection},
                       {"manifest_hash", hex(manifest_hash)},
                       {"group", o.group},
                       {"trustee_count", n},
                       {"threshold", t},
                       {"qualified", qualified},
                       {"disqualified", disqualified},
                       {"public_key", group.to_hex(public_key)},
                       {"trustees", trustees},
                       {"messages", message_list}};
  write_json(dir / "ceremony" / "result.json", result);

  // Context.
  const ParsedManifest parsed = parse_manifest(manifest);
  Json widths = Json::array();
  std::vector<ManifestContest> contests = parsed.contests;
  for (auto& c : contests) {
    c.width = decryption::plaintext_width(group, c);
    widths.push_back({{"contest_id", c.id}, {"width", c.width}});
  }
  const Json context = {
      {"election_id", kElection},
      {"manifest_hash", hex(manifest_hash)},
      {"group", o.group},
      {"public_key", group.to_hex(public_key)},
      {"ceremony_hash", hex(crypto::canonical_json_hash(result))},
      {"contests", widths},
      {"officials_key", crypto::to_hex(key_from("officials").public_key())},
      {"collector_key", crypto::to_hex(key_from("collector").public_key())},
      {"mix_servers",
       Json::array({Json{{"id", "mix-1"},
                         {"public_key", crypto::to_hex(key_from("mix-1").public_key())}}})}};
  write_json(dir / "context.json", context);
  const crypto::Digest context_hash = crypto::canonical_json_hash(context);
  const Bytes context_hash_bytes(context_hash.begin(), context_hash.end());

  // Roll.
  std::vector<crypto::Ed25519PrivateKey> voters;
  std::vector<std::string> voter_ids;
  Json roll_voters = Json::array();
  for (std::size_t v = 0; v < o.voters; ++v) {
    char id[32];
    std::snprintf(id, sizeof id, "voter-%07zu", v + 1);
    voter_ids.push_back(id);
    voters.push_back(key_from(std::string("credential ") + id));
    roll_voters.push_back(
        {{"voter_id", id}, {"public_key", crypto::to_hex(voters.back().public_key())}});
  }
  write_json(dir / "roll.json", Json{{"election_id", kElection}, {"voters", roll_voters}});

  // Ballots (docs/ballots.md).
  const crypto::ElGamalEncryptor encryptor(group, public_key);
  auto encrypt = [&](std::size_t v, std::uint64_t sequence, const Json& choices) {
    EncryptedBallot out;
    Json cs = Json::array();
    const std::string credential = crypto::to_hex(voters[v].public_key());
    for (std::size_t i = 0; i < contests.size(); ++i) {
      const ClaimedSelection s = selection_from_json(contests[i], choices[i], "choices");
      const std::vector<Element> m = encode_contest_selection_var(group, contests[i], s);
      std::vector<Scalar> r;
      for (std::size_t k = 0; k < m.size(); ++k) r.push_back(field.random_nonzero(rng));
      const crypto::CiphertextVector cts =
          encryptor.encrypt(m, std::vector<crypto::SecretScalar>(r.begin(), r.end()));
      const Bytes binding = crypto::canonical_json_bytes(Json{{"type", "haal-ballot-contest-v1"},
                                                              {"context_hash", hex(context_hash)},
                                                              {"credential", credential},
                                                              {"contest_id", contests[i].id}});
      const auto proof = crypto::ciphertext_randomness_prove(
          group, crypto::ProofContext{context_hash_bytes, binding}, cts, r, rng);
      Json ct = Json::array();
      for (const auto& c : cts)
        ct.push_back({{"alpha", group.to_hex(c.alpha)}, {"beta", group.to_hex(c.beta)}});
      cs.push_back({{"contest_id", contests[i].id},
                    {"ciphertexts", ct},
                    {"proof", crypto::ciphertext_randomness_proof_to_json(group, proof)}});
      out.randomness.push_back(r);
    }
    out.ballot = sign_plain(Json{{"type", "haal-ballot-v2"},
                                 {"election_id", kElection},
                                 {"context_hash", hex(context_hash)},
                                 {"voter_id", voter_ids[v]},
                                 {"credential", credential},
                                 {"sequence", sequence},
                                 {"contests", cs}},
                            voters[v]);
    out.hash = crypto::canonical_json_hash(out.ballot);
    return out;
  };

  // The board: poll-open, ballots, a challenge, a re-vote, poll-close.
  const auto collector = key_from("collector");
  const auto officials = key_from("officials");
  std::vector<BoardEntry> entries;
  auto append = [&](const std::string& kind, const Json& payload) {
    const Bytes bytes = crypto::canonical_json_bytes(payload);
    entries.push_back(BoardEntry{kind, entries.size(), kTime0 + 1000 * entries.size(), bytes});
    return entries.size() - 1;
  };
  auto poll = [&](const std::string& action) {
    Bytes nonce(16);
    rng.fill(nonce);
    Json request = {{"action", action},
                    {"election_id", kElection},
                    {"nonce", crypto::to_hex(nonce)},
                    {"timestamp_ms", kTime0 + 1000 * entries.size() + 7}};
    if (action == "open-polls") {  // the officials sign the roll when opening (docs/api.md)
      request["roll_hash"] = hex(crypto::canonical_json_hash(read_json(dir / "roll.json")));
    }
    Bytes input;
    crypto::append_length_prefixed(input, crypto::to_bytes("HAAL-V1-OFFICIALS-REQUEST"));
    const Bytes body = crypto::canonical_json_bytes(request);
    input.insert(input.end(), body.begin(), body.end());
    return Json{{"request", request}, {"signature", crypto::to_hex(officials.sign(input))}};
  };
  const std::vector<Json> choice_sets = {
      Json::array({Json::array({"alice"}), Json::array({"dan", "eve"})}),
      Json::array({Json::array({"bob"}), Json::array({"fay"})}),
      Json::array({Json::array(), Json::array({Json{{"write_in", "Zoë Ünicode"}}, "gus"})}),
      Json::array({Json::array({"carol"}), Json::array({"gus", "fay", "eve"})}),
  };
  append("poll-open", poll("open-polls"));
  struct Cast {
    std::size_t index;
    std::size_t voter;
    std::uint64_t sequence;
    crypto::Digest hash;
  };
  std::vector<Cast> cast;
  std::map<std::size_t, std::uint64_t> next_sequence;
  for (std::size_t v = 0; v < o.voters; ++v) {
    if (v == 2) {
      // Voter 3 challenges a ballot first (Benaloh), then casts a fresh one.
      const Json choices = choice_sets[2];
      const EncryptedBallot b = encrypt(v, 1, choices);
      // The anonymous record (docs/ballots.md section 8): the ciphertexts and their opening,
      // no voter id, no signature.
      Json opened = Json::array();
      for (std::size_t i = 0; i < contests.size(); ++i) {
        Json r = Json::array();
        for (const Scalar& s : b.randomness[i]) r.push_back(crypto::scalar_to_json(group, s));
        opened.push_back({{"contest_id", contests[i].id},
                          {"ciphertexts", b.ballot["contests"][i]["ciphertexts"]},
                          {"choices", choices[i]},
                          {"randomness", r}});
      }
      built.challenge_index = append("challenge", Json{{"type", "haal-challenge-v2"},
                                                       {"election_id", kElection},
                                                       {"context_hash", hex(context_hash)},
                                                       {"contests", opened}});
    }
    const EncryptedBallot b = encrypt(v, 1, choice_sets[v % choice_sets.size()]);
    cast.push_back(Cast{append("ballot", b.ballot), v, 1, b.hash});
    built.ballot_indices.push_back(cast.back().index);
  }
  // Voter 2 re-votes.
  {
    const EncryptedBallot b = encrypt(1, 2, choice_sets[3]);
    cast.push_back(Cast{append("ballot", b.ballot), 1, 2, b.hash});
    built.ballot_indices.push_back(cast.back().index);
    built.revote_first = cast[1].index;
    built.revote_last = cast.back().index;
  }
  append("poll-close", poll("close-polls"));

  std::vector<crypto::Digest> leaves;
  std::vector<std::string> lines;
  for (const BoardEntry& e : entries) {
    leaves.push_back(merkle_leaf_hash(encode_board_leaf(e)));
    lines.push_back(Json{{"kind", e.kind},
                         {"payload", crypto::to_hex(e.payload)},
                         {"sequence", e.sequence},
                         {"timestamp_ms", e.timestamp_ms}}
                        .dump());
  }
  fs::create_directories(dir / "board");
  write_lines(dir / "board" / "entries.jsonl", lines);
  built.entries = entries.size();
  const TreeHead final_head =
      signed_head(leaves, leaves.size(), kTime0 + 1000 * leaves.size() + 500, collector);
  write_json(dir / "board" / "head.json", head_json(final_head));
  // Heads published during the election, with consistency proofs to the final head.
  std::map<std::size_t, TreeHead> heads;
  for (std::size_t size : {std::size_t{1}, std::size_t{4}, leaves.size() - 2}) {
    const TreeHead h = signed_head(leaves, size, kTime0 + 1000 * size + 1, collector);
    heads[size] = h;
    std::vector<crypto::Digest> path;
    subproof(size, leaves, true, path);
    write_json(dir / "board" / "heads" / (std::to_string(size) + ".json"),
               Json{{"signed_tree_head", head_json(h)},
                    {"consistency_proof",
                     {{"first_size", size},
                      {"path", digests_json(path)},
                      {"second_size", leaves.size()}}}});
  }
  // Receipts (docs/api.md): for the superseded ballot and for a counted one, under a head
  // published during the election.
  auto receipt = [&](std::size_t index, const crypto::Digest& hash) {
    const TreeHead& h = heads.at(leaves.size() - 2);
    std::vector<crypto::Digest> path;
    audit_path(std::span<const crypto::Digest>(leaves).subspan(0, h.tree_size), index, path);
    return Json{
        {"kind", entries[index].kind},
        {"board_index", index},
        {"timestamp_ms", entries[index].timestamp_ms},
        {"ballot_hash", hex(hash)},
        {"tracking_code", election::tracking_code(tracking_hash_of(Json::parse(std::string(
                              entries[index].payload.begin(), entries[index].payload.end()))))},
        {"inclusion_proof",
         {{"audit_path", digests_json(path)}, {"leaf_index", index}, {"tree_size", h.tree_size}}},
        {"signed_tree_head", head_json(h)}};
  };
  built.receipt = receipt(cast[1].index, cast[1].hash);
  built.receipt_counted = receipt(cast[0].index, cast[0].hash);

  // Cleansing: per voter the last cast ballot; the challenge and the superseded ballot excluded.
  Json counted = Json::array();
  Json excluded = Json::array();
  std::map<std::size_t, Json> excluded_by_index;
  excluded_by_index[built.challenge_index] = {
      {"board_index", built.challenge_index}, {"kind", "challenge"}, {"reason", "challenged"}};
  excluded_by_index[built.revote_first] = {{"board_index", built.revote_first},
                                           {"kind", "ballot"},
                                           {"reason", "superseded"},
                                           {"superseded_by", built.revote_last}};
  for (const Cast& c : cast) {
    if (c.index == built.revote_first) continue;
    counted.push_back({{"board_index", c.index},
                       {"voter_id", voter_ids[c.voter]},
                       {"sequence", c.sequence},
                       {"ballot_hash", hex(c.hash)}});
  }
  std::sort(counted.begin(), counted.end(),
            [](const Json& a, const Json& b) { return a["board_index"] < b["board_index"]; });
  for (const auto& [i, e] : excluded_by_index) excluded.push_back(e);
  write_json(dir / "cleanse" / "cast.json", Json{{"format", "haal-cleanse-cast-v1"},
                                                 {"election_id", kElection},
                                                 {"context_hash", hex(context_hash)},
                                                 {"ballots", counted}});
  write_json(dir / "cleanse" / "excluded.json", Json{{"format", "haal-cleanse-excluded-v1"},
                                                     {"election_id", kElection},
                                                     {"context_hash", hex(context_hash)},
                                                     {"entries", excluded}});
  reindex(dir);
  return built;
}

Report verify_path(const fs::path& path) {
  Report report;
  try {
    const RecordReader record = RecordReader::open(path);
    verify_record(record, VerifyOptions{2, nullptr}, report);
  } catch (const std::exception& e) {
    report.fail(Stage::kParameters, "record can be read", path.string(), e.what());
  }
  return report;
}

Report verify_tampered(const fs::path& honest, const std::string& name,
                       const std::function<void(const fs::path&)>& tamper, bool reindex_after) {
  const fs::path copy = fresh_temp_path(name);
  fs::copy(honest, copy, fs::copy_options::recursive);
  tamper(copy);
  if (reindex_after) reindex(copy);
  Report report = verify_path(copy);
  fs::remove_all(copy);
  return report;
}

bool stages_1_to_5_pass(const Report& report) {
  for (const CheckResult& r : report.results()) {
    if (!r.passed && static_cast<int>(r.stage) <= 5) return false;
  }
  return true;
}

bool stage_passes(const Report& report, Stage stage) {
  for (const CheckResult& r : report.results()) {
    if (r.stage == stage && !r.passed) return false;
  }
  return true;
}

std::string failures_text(const Report& report) {
  std::string out;
  for (const CheckResult& r : report.results()) {
    if (!r.passed)
      out += "FAIL [" + stage_name(r.stage) + "] " + r.check + " @ " + r.location + ": " +
             r.reason + "\n";
  }
  return out;
}

}  // namespace haal::verifier::testing
