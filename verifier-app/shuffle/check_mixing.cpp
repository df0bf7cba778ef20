#include "verifier-app/shuffle/check_mixing.hpp"

#include <atomic>
#include <optional>
#include <stdexcept>

#include "crypto/base/parallel.hpp"
#include "verifier-app/shuffle/mix_statements.hpp"

namespace haal::verifier {

namespace {

constexpr Stage kStage = Stage::kMixing;

std::string two_digits(unsigned l) {
  return (l < 10 ? "0" : "") + std::to_string(l);
}

// Compares the decoded input list with the counted ballots' ciphertexts of contest `ci`;
// returns "" or the first difference.
std::string compare_input(const crypto::Group& group, const shuffle::MixOutput& input,
                          const VerifierContext& ctx, std::size_t ci) {
  const auto& cast = ctx.cleansed;
  if (input.ciphertexts.size() != cast.size()) {
    return std::to_string(input.ciphertexts.size()) + " ciphertexts, but " +
           std::to_string(cast.size()) + " ballots are counted";
  }
  std::atomic<std::size_t> first_bad{cast.size()};
  base::parallel_for(
      cast.size(), 1024,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t k = b; k < e; ++k) {
          const auto& expected = cast[k].contests.at(ci);
          bool same = expected.size() == input.ciphertexts[k].size();
          for (std::size_t j = 0; same && j < expected.size(); ++j) {
            same = group.equal(expected[j].alpha, input.ciphertexts[k][j].alpha) &&
                   group.equal(expected[j].beta, input.ciphertexts[k][j].beta);
          }
          if (!same) {
            std::size_t cur = first_bad.load();
            while (k < cur && !first_bad.compare_exchange_weak(cur, k)) {
            }
          }
        }
      },
      nullptr, ctx.threads);
  if (first_bad.load() == cast.size()) return "";
  const std::size_t k = first_bad.load();
  return "ciphertext " + std::to_string(k) + " differs from the contest's ciphertexts of the " +
         "counted ballot of voter \"" + cast[k].voter_id + "\" (board entry " +
         std::to_string(cast[k].board_index) + ")";
}

void check_contest(const RecordReader& record, const VerifierContext& ctx,
                   const shuffle::VmnGroup& vg, std::size_t ci, Report& report) {
  const ManifestContest& contest = ctx.manifest.contests[ci];
  const std::string dir = "mix/" + contest.id + "/";
  if (!record.exists(dir + "protInfo.xml")) {
    if (ctx.cleansed.empty()) {
      report.pass(kStage, "no counted ballots and no mix for contest " + contest.id, dir);
    } else {
      report.fail(kStage, "mix proof directory of contest " + contest.id, dir + "protInfo.xml",
                  "missing from the record");
    }
    return;
  }
  check_mix_parties_var(record, ctx, ci, report);
  const shuffle::FileSource files = record_files(record, dir);
  const shuffle::Workers workers{ctx.threads, ctx.progress};
  const std::string bound = "mix of contest " + contest.id + " is bound to this election";
  shuffle::MixChainResult chain;
  try {
    chain = shuffle::verify_mix_directory(vg, files, workers);
  } catch (const std::exception& e) {
    report.fail(kStage, "mix proof directory of contest " + contest.id + " is well-formed", dir,
                e.what());
    return;
  }
  // Binding: the session ids enter rho, hence every challenge.
  std::vector<std::pair<std::string, std::string>> problems;
  if (chain.info.sid != expected_mix_sid(ctx)) {
    problems.push_back({dir + "protInfo.xml <sid>",
                        "\"" + chain.info.sid + "\", expected \"" + expected_mix_sid(ctx) + "\""});
  }
  if (chain.auxsid != expected_mix_auxsid(contest.id)) {
    problems.push_back({dir + "nizkp/auxsid", "\"" + chain.auxsid + "\", expected \"" +
                                                  expected_mix_auxsid(contest.id) + "\""});
  }
  if (!chain.public_key.empty() && !ctx.group->equal(chain.public_key, ctx.public_key)) {
    problems.push_back({dir + "nizkp/FullPublicKey.bt", "not the election's public key"});
  }
  if (chain.width != 0 && chain.width != contest.width) {
    problems.push_back({dir + "nizkp/width", std::to_string(chain.width) + ", the contest has " +
                                                 std::to_string(contest.width)});
  }
  for (const auto& e : chain.errors) problems.push_back({dir, e});
  if (problems.empty()) {
    report.pass(kStage, bound, dir);
  } else {
    for (const auto& [where, why] : problems) report.fail(kStage, bound, where, why);
  }
  for (const auto& s : chain.servers) {
    const std::string check = "mix server " + std::to_string(s.index) + "'s proof of shuffle (" +
                              "Terelius-Wikstrom) for contest " + contest.id;
    const std::string where = dir + "nizkp/proofs/PoSReply" + two_digits(s.index) + ".bt";
    if (s.failure.empty()) {
      report.pass(kStage, check, where);
    } else {
      report.fail(kStage, check, where, "equation fails: " + s.failure);
    }
  }
  // The input is exactly what stage 5 counted, in cast.json order.
  const std::string input_check =
      "mix input of contest " + contest.id + " is the counted ballots' ciphertexts in cast order";
  try {
    shuffle::MixOutput input;
    input.width = chain.width;
    input.path = "nizkp/Ciphertexts.bt";
    // When the chain was refused before its lists were read (say activethreshold out of range),
    // the input is read here, so that this line reports on the input itself.
    std::optional<crypto::Bytes> reread;
    if (chain.input_file.empty()) {
      reread = files("nizkp/Ciphertexts.bt");
      if (!reread) throw std::runtime_error(dir + "nizkp/Ciphertexts.bt: missing from the record");
    }
    const shuffle::CiphertextListView list = shuffle::read_ciphertext_list(
        vg, reread ? *reread : chain.input_file, chain.width, 0, dir + "nizkp/Ciphertexts.bt");
    input.ciphertexts = shuffle::decode_ciphertexts(vg, list, workers);
    const std::string diff = compare_input(*ctx.group, input, ctx, ci);
    if (diff.empty() && ctx.cleansed_ok) {
      report.pass(kStage, input_check, dir + "nizkp/Ciphertexts.bt");
    } else if (diff.empty()) {
      report.fail(kStage, input_check, dir + "nizkp/Ciphertexts.bt",
                  "equal to the verifier's counted set, but cleanse/cast.json was not verified");
    } else {
      report.fail(kStage, input_check, dir + "nizkp/Ciphertexts.bt", diff);
    }
  } catch (const std::exception& e) {
    report.fail(kStage, input_check, dir + "nizkp/Ciphertexts.bt", e.what());
  }
}

}  // namespace

std::string expected_mix_sid(const VerifierContext& context) {
  return "Haal" + crypto::to_hex(context.context_hash);
}

std::string expected_mix_auxsid(std::string_view contest_id) {
  return "c" + crypto::to_hex(crypto::to_bytes(contest_id));
}

shuffle::FileSource record_files(const RecordReader& record, std::string prefix) {
  return [&record, prefix](const std::string& path) -> std::optional<crypto::Bytes> {
    const std::string full = prefix + path;
    if (!record.exists(full)) return std::nullopt;
    const std::string s = record.read(full);
    return crypto::Bytes(s.begin(), s.end());
  };
}

void check_mixing(const RecordReader& record, const VerifierContext& context, Report& report) {
  if (!context.has_group()) {
    report.fail(kStage, "mix proofs", "mix/",
                "skipped: stage 1 did not establish the group and public key");
    return;
  }
  std::unique_ptr<shuffle::VmnGroup> vg;
  try {
    vg = std::make_unique<shuffle::VmnGroup>(*context.group);
  } catch (const std::exception& e) {
    report.fail(kStage, "mix group", "manifest.json .group", e.what());
    return;
  }
  for (std::size_t ci = 0; ci < context.manifest.contests.size(); ++ci) {
    check_contest(record, context, *vg, ci, report);
  }
  // Nothing else under mix/.
  for (const auto& path : record.files_under("mix/")) {
    const std::string rest = path.substr(4);
    const std::string id = rest.substr(0, rest.find('/'));
    if (!context.manifest.find_contest(id)) {
      report.fail(kStage, "mix/ holds only the manifest's contests", path,
                  "no contest \"" + id + "\" in the manifest");
    }
  }
}

}  // namespace haal::verifier
