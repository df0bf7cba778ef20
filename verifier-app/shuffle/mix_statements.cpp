#include "verifier-app/shuffle/mix_statements.hpp"

#include <set>

#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"

namespace haal::verifier {

namespace {

constexpr Stage kStage = Stage::kMixing;

std::string two_digits(std::size_t l) {
  return (l < 10 ? "0" : "") + std::to_string(l);
}

// The <name> of each <party> of protInfo.xml, in order (comments removed first).
std::vector<std::string> party_names(std::string xml) {
  for (std::size_t c; (c = xml.find("<!--")) != std::string::npos;) {
    const std::size_t end = xml.find("-->", c);
    xml.erase(c, end == std::string::npos ? std::string::npos : end + 3 - c);
  }
  std::vector<std::string> names;
  for (std::size_t p = xml.find("<party>"); p != std::string::npos;
       p = xml.find("<party>", p + 7)) {
    const std::size_t end = xml.find("</party>", p);
    const std::size_t open = xml.find("<name>", p);
    const std::size_t close = xml.find("</name>", p);
    if (end == std::string::npos || open == std::string::npos || close == std::string::npos ||
        close > end) {
      throw std::runtime_error("a <party> without <name>");
    }
    std::string name = xml.substr(open + 6, close - open - 6);
    const auto blank = [](char ch) { return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r'; };
    while (!name.empty() && blank(name.front())) name.erase(name.begin());
    while (!name.empty() && blank(name.back())) name.pop_back();
    names.push_back(name);
  }
  return names;
}

std::string file_hash(const RecordReader& record, const std::string& path) {
  return crypto::to_hex(record.sha256(path));
}

// docs/mixnet.md section 9: the statement server l signs, recomputed from the record's files.
crypto::Json expected_statement(const RecordReader& record, const VerifierContext& ctx,
                                const std::string& dir, const std::string& contest_id,
                                std::size_t l) {
  const std::string ll = two_digits(l);
  const std::string proofs = dir + "nizkp/proofs/";
  const std::string input =
      l == 1 ? dir + "nizkp/Ciphertexts.bt" : proofs + "Ciphertexts" + two_digits(l - 1) + ".bt";
  const auto proof_hash = [&](const std::string& name) {
    const std::string path = proofs + name + ll + ".bt";
    return record.exists(path) ? file_hash(record, path)
                               : crypto::to_hex(crypto::sha256(std::string_view()));
  };
  return crypto::Json{{"type", "haal-mix-statement-v1"},
                      {"election_id", ctx.manifest.election_id},
                      {"context_hash", crypto::to_hex(ctx.context_hash)},
                      {"contest_id", contest_id},
                      {"position", l},
                      {"server_id", ctx.mix_servers[l - 1].id},
                      {"protinfo_hash", file_hash(record, dir + "protInfo.xml")},
                      {"input_hash", file_hash(record, input)},
                      {"permutation_commitment_hash", proof_hash("PermutationCommitment")},
                      {"pos_commitment_hash", proof_hash("PoSCommitment")},
                      {"pos_reply_hash", proof_hash("PoSReply")},
                      {"output_hash", file_hash(record, proofs + "Ciphertexts" + ll + ".bt")}};
}

// Returns "" when `path` holds server l's valid signed statement, else why not.
std::string statement_problem(const RecordReader& record, const VerifierContext& ctx,
                              const std::string& dir, const std::string& contest_id,
                              std::size_t l) {
  const std::string path = dir + "statements/" + two_digits(l) + ".json";
  if (!record.exists(path)) return "missing: mix server " + std::to_string(l) + " signed nothing";
  const crypto::Json j = record.read_json(path);
  if (!j.is_object() || j.size() != 2 || !j.contains("statement") || !j.contains("signature") ||
      !j["signature"].is_string()) {
    return "must be exactly {\"statement\", \"signature\"}";
  }
  const std::string proofs = dir + "nizkp/proofs/";
  const std::string output = proofs + "Ciphertexts" + two_digits(l) + ".bt";
  if (!record.exists(output)) return "the server's output " + output + " is missing";
  const crypto::Json expected = expected_statement(record, ctx, dir, contest_id, l);
  if (j["statement"] != expected) {
    for (const auto& [field, value] : expected.items()) {
      if (!j["statement"].contains(field) || j["statement"][field] != value) {
        return "statement." + field + " is " +
               (j["statement"].contains(field) ? j["statement"][field].dump() : "missing") +
               ", the record's files give " + value.dump();
      }
    }
    return "statement has fields other than those of docs/mixnet.md section 9";
  }
  crypto::Bytes signature;
  try {
    signature = crypto::from_hex(j["signature"].get<std::string>());
  } catch (const std::exception&) {
    return "signature is not hex";
  }
  // signed bytes = lp("HAAL-V1-MIX-STATEMENT") || canonical_json_bytes(statement)
  crypto::Bytes message;
  crypto::append_length_prefixed(message, crypto::to_bytes("HAAL-V1-MIX-STATEMENT"));
  const crypto::Bytes body = crypto::canonical_json_bytes(expected);
  message.insert(message.end(), body.begin(), body.end());
  if (!crypto::ed25519_verify(ctx.mix_servers[l - 1].public_key, message, signature)) {
    return "signature is not an Ed25519 signature by context.json mix_servers[" +
           std::to_string(l - 1) + "] (\"" + ctx.mix_servers[l - 1].id + "\")";
  }
  return "";
}

// The files a Haal mix directory of n servers may hold (docs/record.md).
bool expected_file(const std::string& rest, std::size_t n) {
  static const std::set<std::string> fixed = {"protInfo.xml",
                                              "nizkp/version",
                                              "nizkp/type",
                                              "nizkp/auxsid",
                                              "nizkp/width",
                                              "nizkp/FullPublicKey.bt",
                                              "nizkp/Ciphertexts.bt",
                                              "nizkp/ShuffledCiphertexts.bt",
                                              "nizkp/proofs/activethreshold"};
  if (fixed.contains(rest)) return true;
  for (std::size_t l = 1; l <= n; ++l) {
    const std::string ll = two_digits(l);
    for (const char* name : {"PermutationCommitment", "PoSCommitment", "PoSReply", "Ciphertexts"}) {
      if (rest == "nizkp/proofs/" + std::string(name) + ll + ".bt") return true;
    }
    if (rest == "statements/" + ll + ".json") return true;
  }
  return false;
}

}  // namespace

void check_mix_parties_var(const RecordReader& record, const VerifierContext& ctx,
                           std::size_t contest_index, Report& report) {
  const std::string& contest_id = ctx.manifest.contests[contest_index].id;
  const std::string dir = "mix/" + contest_id + "/";
  const std::size_t n = ctx.mix_servers.size();
  if (n == 0) {
    report.fail(kStage, "mix servers of contest " + contest_id, "context.json.mix_servers",
                "skipped: stage 1 could not read the pinned mix servers");
    return;
  }
  // The chain is exactly the pinned servers, in order, every one of them having shuffled.
  const std::string chain_check = "mix chain of contest " + contest_id + " is context.json's " +
                                  std::to_string(n) + " mix servers, in order";
  try {
    const std::vector<std::string> names = party_names(record.read(dir + "protInfo.xml"));
    std::string problem;
    if (names.size() != n) {
      problem = "protInfo.xml names " + std::to_string(names.size()) + " parties";
    }
    for (std::size_t l = 0; problem.empty() && l < n; ++l) {
      if (names[l] != ctx.mix_servers[l].id) {
        problem = "protInfo.xml party " + std::to_string(l + 1) + " is \"" + names[l] +
                  "\", context.json.mix_servers[" + std::to_string(l) + "] is \"" +
                  ctx.mix_servers[l].id + "\"";
      }
    }
    const std::string active = record.exists(dir + "nizkp/proofs/activethreshold")
                                   ? record.read(dir + "nizkp/proofs/activethreshold")
                                   : "";
    if (problem.empty() && active != std::to_string(n)) {
      problem = "nizkp/proofs/activethreshold is \"" + active + "\", not " + std::to_string(n);
    }
    for (std::size_t l = 1; problem.empty() && l <= n; ++l) {
      if (!record.exists(dir + "nizkp/proofs/Ciphertexts" + two_digits(l) + ".bt")) {
        problem = "mix server " + std::to_string(l) + " (\"" + ctx.mix_servers[l - 1].id +
                  "\") did not shuffle (no nizkp/proofs/Ciphertexts" + two_digits(l) + ".bt)";
      }
    }
    if (problem.empty()) {
      report.pass(kStage, chain_check, dir + "protInfo.xml");
    } else {
      report.fail(kStage, chain_check, dir + "protInfo.xml", problem);
    }
  } catch (const std::exception& e) {
    report.fail(kStage, chain_check, dir + "protInfo.xml", e.what());
  }
  for (std::size_t l = 1; l <= n; ++l) {
    const std::string check = "mix server " + std::to_string(l) + " (\"" +
                              ctx.mix_servers[l - 1].id + "\") signed its shuffle of contest " +
                              contest_id;
    const std::string path = dir + "statements/" + two_digits(l) + ".json";
    try {
      const std::string problem = statement_problem(record, ctx, dir, contest_id, l);
      if (problem.empty()) {
        report.pass(kStage, check, path);
      } else {
        report.fail(kStage, check, path, problem);
      }
    } catch (const std::exception& e) {
      report.fail(kStage, check, path, e.what());
    }
  }
  const std::string files_check = "mix/" + contest_id + "/ holds only the chain's files";
  std::size_t bad = 0;
  for (const std::string& path : record.files_under(dir)) {
    if (expected_file(path.substr(dir.size()), n)) continue;
    if (++bad <= 20)
      report.fail(kStage, files_check, path,
                  "not a file of a " + std::to_string(n) + "-server mix directory");
  }
  if (bad == 0) report.pass(kStage, files_check, dir);
}

}  // namespace haal::verifier
