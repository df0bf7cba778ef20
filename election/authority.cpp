#include "election/authority.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include <array>
#include <ctime>
#include <system_error>

#include "crypto/canonical_json.hpp"
#include "election/context.hpp"
#include "election/credential.hpp"
#include "election/manifest.hpp"
#include "election/strict_json.hpp"

namespace haal::election {

namespace fs = std::filesystem;
using crypto::FormatError;

namespace {

constexpr const char* kLogFile = "authority.json";
constexpr const char* kLogFormat = "haal-credential-authority-v1";

// Crockford's base32 alphabet: no I, L, O, U (nothing to misread on paper).
constexpr std::string_view kCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Returns the current time as RFC 3339 UTC (YYYY-MM-DDTHH:MM:SSZ).
std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text.data();
}

Json log_to_json(const AuthorityLog& log) {
  Json batches = Json::array();
  for (const AuthorityLog::Batch& b : log.batches) {
    batches.push_back(
        {{"issued_at", b.issued_at}, {"voters", b.voters}, {"roll_hash", b.roll_hash}});
  }
  Json j = {{"format", kLogFormat},
            {"election_id", log.election_id},
            {"manifest_hash", log.manifest_hash},
            {"batches", batches}};
  if (log.destroyed_at) {
    j["destroyed"] = {{"at", *log.destroyed_at}, {"files", log.destroyed_files}};
  }
  return j;
}

void save_log(const fs::path& authority_dir, const AuthorityLog& log) {
  write_canonical_json_file(authority_dir / kLogFile, log_to_json(log));
}

// The letter that carries a voter's delivery code (plain text, printed by the mailing house).
// The code is copied once, into a buffer reserved to its final size, which the caller wipes.
std::string letter_text(const std::string& election_id, const VoterRow& voter,
                        const std::string& code) {
  const std::string before =
      "Election " + election_id + ": your voting credential, part 1 of 2 (the delivery code)\n\n" +
      "Voter: " + voter.name + " (voter id " + voter.voter_id + ")\n" + "Delivery code: ";
  const std::string file = voter.voter_id + ".json";
  const std::string after =
      "\n\nYour credential file " + file +
      " reaches you separately. It is sealed under this\n"
      "code: type the code as its passphrase, exactly as printed (capital letters, digits,\n"
      "dashes), when you vote (on the voting site, or `haal vote --credential " +
      file +
      "`)\n"
      "and when you check that the published roll lists your key (the site's My key page,\n"
      "or `haal credentials check --credential " +
      file +
      "`).\n"
      "Whoever holds both this letter and the file can vote in your name: keep them apart.\n"
      "If you think someone else had both, vote again: your last ballot is the one counted.\n";
  std::string letter;
  letter.reserve(before.size() + code.size() + after.size());
  letter += before;
  letter += code;
  letter += after;
  return letter;
}

// Overwrites the regular file `path` with zeros, flushes it to the disk and removes it.
void overwrite_and_remove(const fs::path& path) {
  const auto size = fs::file_size(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), path.string());
  const std::array<char, 4096> zeros{};
  std::uintmax_t left = size;
  while (left > 0) {
    const std::size_t chunk = left < zeros.size() ? static_cast<std::size_t>(left) : zeros.size();
    const ssize_t written = ::write(fd, zeros.data(), chunk);
    if (written <= 0) {
      ::close(fd);
      throw std::system_error(errno, std::generic_category(), path.string() + ": overwrite");
    }
    left -= static_cast<std::uintmax_t>(written);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::system_error(errno, std::generic_category(), path.string() + ": fsync");
  fs::remove(path);
}

}  // namespace

std::string make_delivery_code(crypto::RandomSource& random) {
  std::array<std::uint8_t, kDeliveryCodeSymbols> bytes{};
  random.fill(bytes);
  std::string code;
  code.reserve(kDeliveryCodeSymbols + kDeliveryCodeSymbols / 5);  // no reallocation: one copy
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 5 == 0) code.push_back('-');
    code.push_back(kCodeAlphabet[bytes[i] & 31]);  // 32 divides 256: uniform
  }
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return code;
}

AuthorityLog load_authority_log(const fs::path& authority_dir) {
  const fs::path file = authority_dir / kLogFile;
  if (!fs::exists(file)) {
    throw std::runtime_error(file.string() +
                             ": no credential authority log (run `haal authority issue` first)");
  }
  const Json j = read_json_file(file);
  const std::string path = file.string();
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
  crypto::reject_unknown_fields(
      j, {"format", "election_id", "manifest_hash", "batches", "destroyed"}, path);
  if (crypto::require_string(j, "format", path) != kLogFormat) {
    throw FormatError(path + ".format", std::string("must be \"") + kLogFormat + "\"");
  }
  AuthorityLog log;
  log.election_id = crypto::require_string(j, "election_id", path);
  log.manifest_hash = crypto::require_string(j, "manifest_hash", path);
  const Json& batches = crypto::require_field(j, "batches", path);
  if (!batches.is_array() || batches.empty()) {
    throw FormatError(path + ".batches", "must be a non-empty array");
  }
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const std::string at = path + ".batches[" + std::to_string(i) + "]";
    const Json& b = batches[i];
    if (!b.is_object()) throw FormatError(at, "must be a JSON object");
    crypto::reject_unknown_fields(b, {"issued_at", "voters", "roll_hash"}, at);
    const Json& voters = crypto::require_field(b, "voters", at);
    if (!voters.is_number_unsigned()) throw FormatError(at + ".voters", "must be a count");
    log.batches.push_back({crypto::require_string(b, "issued_at", at), voters.get<std::size_t>(),
                           crypto::require_string(b, "roll_hash", at)});
  }
  if (j.contains("destroyed")) {
    const Json& d = j.at("destroyed");
    const std::string at = path + ".destroyed";
    if (!d.is_object()) throw FormatError(at, "must be a JSON object");
    crypto::reject_unknown_fields(d, {"at", "files"}, at);
    const Json& files = crypto::require_field(d, "files", at);
    if (!files.is_number_unsigned()) throw FormatError(at + ".files", "must be a count");
    log.destroyed_at = crypto::require_string(d, "at", at);
    log.destroyed_files = files.get<std::size_t>();
  }
  return log;
}

Roll authority_issue(const fs::path& election_dir, std::string_view voters_csv,
                     std::string_view source, const fs::path& authority_dir,
                     const AuthorityIssueOptions& options) {
  const Manifest manifest = load_manifest(election_dir);
  const std::string manifest_hash = crypto::to_hex(election::manifest_hash(manifest));
  AuthorityLog log{manifest.election_id, manifest_hash, {}, std::nullopt, 0};
  if (fs::exists(authority_dir / kLogFile)) {
    log = load_authority_log(authority_dir);
    if (log.election_id != manifest.election_id || log.manifest_hash != manifest_hash) {
      throw std::invalid_argument(
          authority_dir.string() + " is the credential authority of election \"" + log.election_id +
          "\" (manifest_hash " + log.manifest_hash + "), not of this manifest");
    }
    if (log.destroyed_at) {
      throw std::runtime_error(
          authority_dir.string() + ": this authority destroyed its credentials at " +
          *log.destroyed_at + " and issues no more (use a new authority directory)");
    }
  }
  Roll roll = load_roll(authority_dir, manifest.election_id);
  const std::vector<VoterRow> rows = parse_voters_csv(voters_csv, source);
  for (const VoterRow& row : rows) {
    if (roll.find(row.voter_id)) {
      throw FormatError(
          std::string(source) + ":" + std::to_string(row.line),
          "voter \"" + row.voter_id + "\" already has a credential from this authority");
    }
  }
  const fs::path credentials = authority_dir / "delivery" / "credentials";
  const fs::path letters = authority_dir / "delivery" / "letters";
  fs::create_directories(credentials);
  fs::create_directories(letters);
  for (const fs::path& dir : {authority_dir, authority_dir / "delivery", credentials, letters}) {
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  }
  for (const VoterRow& row : rows) {
    for (const fs::path& file :
         {credentials / (row.voter_id + ".json"), letters / (row.voter_id + ".txt")}) {
      if (fs::exists(file)) {
        throw std::runtime_error(file.string() + ": already exists (refusing to overwrite)");
      }
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const VoterRow& row = rows[i];
    std::optional<std::string> code = make_delivery_code(crypto::system_random());
    const crypto::Bytes public_key =
        write_fresh_credential(credentials / (row.voter_id + ".json"), manifest.election_id,
                               row.voter_id, code, options.scrypt);
    std::string letter = letter_text(manifest.election_id, row, *code);
    create_new_file(letters / (row.voter_id + ".txt"), letter, true);
    OPENSSL_cleanse(letter.data(), letter.size());
    OPENSSL_cleanse(code->data(), code->size());
    roll.add(row.voter_id, public_key);
    if (options.progress) options.progress(i + 1, rows.size());
  }
  save_roll(authority_dir, roll);
  log.batches.push_back({utc_now(), rows.size(), crypto::to_hex(roll.hash())});
  save_log(authority_dir, log);
  return roll;
}

std::size_t authority_destroy(const fs::path& authority_dir) {
  AuthorityLog log = load_authority_log(authority_dir);
  if (log.destroyed_at) {
    throw std::runtime_error(authority_dir.string() +
                             ": the credentials were already destroyed at " + *log.destroyed_at);
  }
  std::size_t files = 0;
  const fs::path delivery = authority_dir / "delivery";
  if (fs::exists(delivery)) {
    std::vector<fs::path> paths;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(delivery)) {
      if (entry.is_regular_file()) paths.push_back(entry.path());
    }
    for (const fs::path& path : paths) {
      overwrite_and_remove(path);
      ++files;
    }
    fs::remove_all(delivery);
  }
  log.destroyed_at = utc_now();
  log.destroyed_files = files;
  save_log(authority_dir, log);
  return files;
}

}  // namespace haal::election
