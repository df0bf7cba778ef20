// haal-verify: the independent verifier of a Haal election record (docs/verifier.md).
//   haal-verify RECORD_DIR_OR_TAR [--json FILE] [--threads N] [--quiet]
//   haal-verify receipt RECEIPT RECORD_DIR_OR_TAR [--json FILE] [--threads N] [--quiet]
// Exit code 0 only when every check passes; 1 when a check fails; 2 on a usage error.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/json_codec.hpp"
#include "verifier-app/receipt_check.hpp"
#include "verifier-app/verify_record.hpp"

namespace {

constexpr const char* kUsage =
    "usage: haal-verify RECORD_DIR_OR_TAR [--json FILE] [--threads N] [--quiet]\n"
    "       haal-verify receipt RECEIPT RECORD_DIR_OR_TAR [--json FILE] [--threads N] [--quiet]\n";

struct Options {
  std::vector<std::string> positional;
  std::string json_file;
  unsigned threads = 0;
  bool quiet = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--json") {
      o.json_file = value();
    } else if (a == "--threads") {
      const std::string v = value();
      if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(v) == 0) {
        throw std::invalid_argument("--threads: expected a positive integer, got \"" + v + "\"");
      }
      o.threads = static_cast<unsigned>(std::stoul(v));
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (a.rfind("--", 0) == 0) {
      throw std::invalid_argument("unknown option " + a);
    } else {
      o.positional.push_back(a);
    }
  }
  return o;
}

// Prints which election the record claims to be, before any check, so that an observer can
// match it with what the officials announced: "haal-verify: election ID, context_hash HEX" (the
// canonical hash of context.json, the one every proof binds; stage 1 checks everything else).
void print_identity(const haal::verifier::RecordReader& record, std::ostream& out) {
  std::string id = "?", hash = "?";
  try {
    id = haal::crypto::require_string(record.read_json("manifest.json"), "election_id",
                                      "manifest.json");
  } catch (const std::exception&) {
    id = "? (manifest.json unreadable: see stage 1)";
  }
  try {
    hash =
        haal::crypto::to_hex(haal::crypto::canonical_json_hash(record.read_json("context.json")));
  } catch (const std::exception&) {
    hash = "? (context.json unreadable: see stage 1)";
  }
  out << "haal-verify: election " << id << ", context_hash " << hash << "\n";
}

int finish(const haal::verifier::Report& report, const Options& o, nlohmann::json extra = {}) {
  report.print_summary(std::cout);
  if (!o.json_file.empty()) {
    nlohmann::json j = report.to_json();
    for (auto& [k, v] : extra.items()) j[k] = v;
    std::ofstream out(o.json_file);
    out << j.dump(2) << "\n";
    if (!out) {
      std::cerr << "haal-verify: cannot write " << o.json_file << "\n";
      return 1;
    }
  }
  return report.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace haal::verifier;
  Options o;
  try {
    o = parse(argc, argv);
    const bool receipt = !o.positional.empty() && o.positional[0] == "receipt";
    if (receipt ? o.positional.size() != 3 : o.positional.size() != 1)
      throw std::invalid_argument("wrong number of arguments");
  } catch (const std::exception& e) {
    std::cerr << "haal-verify: " << e.what() << "\n" << kUsage;
    return 2;
  }
  Report report(&std::cout, o.quiet);
  VerifyOptions options{o.threads, o.quiet ? nullptr : &std::cerr};
  const bool receipt = o.positional[0] == "receipt";
  const std::string record_path = receipt ? o.positional[2] : o.positional[0];
  try {
    const RecordReader record = RecordReader::open(record_path);
    print_identity(record, std::cout);
    if (!receipt) {
      verify_record(record, options, report);
      return finish(report, o);
    }
    const haal::crypto::Json receipt_json = [&] {
      return parse_json_strict(haal::base::read_file(o.positional[1]), o.positional[1]);
    }();
    const ReceiptStatus status = check_receipt_var(receipt_json, record, options, report);
    std::cout << "receipt: "
              << (status.on_board ? "on the final board" : "NOT shown to be on the final board")
              << "; status: " << status.status;
    if (status.superseded_by) std::cout << " (by board index " << *status.superseded_by << ")";
    std::cout << "\n";
    nlohmann::json extra = {
        {"receipt", {{"on_board", status.on_board}, {"status", status.status}}}};
    if (status.superseded_by) extra["receipt"]["superseded_by"] = *status.superseded_by;
    return finish(report, o, extra);
  } catch (const std::exception& e) {
    // The record cannot even be opened (missing, truncated archive): one FAIL naming why.
    report.fail(Stage::kParameters, "record can be read", record_path, e.what());
    return finish(report, o);
  }
}
