// The credential authority (issue 18; the role of Belenios's credential authority): for an
// election that mails credentials, a party separate from the officials makes every voter's
// Ed25519 key on its own machine, seals each voter's credential file under that voter's own
// random delivery code, gives the officials only the public roll entries, and destroys the
// credential files and codes once they are delivered. Layout and rules: docs/ballots.md
// section 4.1.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/passphrase_box.hpp"
#include "crypto/random_source.hpp"
#include "election/roll.hpp"

namespace haal::election {

// Number of symbols of a delivery code (5 bits each: 100 bits of entropy).
inline constexpr std::size_t kDeliveryCodeSymbols = 20;

// Returns a fresh delivery code: kDeliveryCodeSymbols symbols of Crockford's base32 alphabet
// (0-9 and A-Z without I, L, O, U), each from 5 bits of `random`, in groups of five joined by
// '-' (e.g. "7K2QM-X9D4R-0B8ZT-H3N6W"). The result is a SECRET (the credential's passphrase).
std::string make_delivery_code(crypto::RandomSource& random);

// The authority's log AUTHORITY_DIR/authority.json: what it issued and when it destroyed it.
struct AuthorityLog {
  std::string election_id;
  std::string manifest_hash;  // hex
  struct Batch {
    std::string issued_at;  // RFC 3339 UTC
    std::size_t voters = 0;
    std::string roll_hash;  // hex of H(roll.json) after the batch
  };
  std::vector<Batch> batches;
  std::optional<std::string> destroyed_at;  // RFC 3339 UTC, once `destroy` has run
  std::size_t destroyed_files = 0;
};

// Returns AUTHORITY_DIR/authority.json. Throws crypto::FormatError for a malformed file and
// std::runtime_error when it is absent.
AuthorityLog load_authority_log(const std::filesystem::path& authority_dir);

struct AuthorityIssueOptions {
  crypto::ScryptParameters scrypt;
  std::function<void(std::size_t done, std::size_t total)> progress;  // may be empty
};

// `haal authority issue`: for each voter of `voters_csv` (docs/ballots.md section 4), makes a
// fresh key and a fresh delivery code, writes the credential file sealed under the code to
// AUTHORITY_DIR/delivery/credentials/<voter_id>.json and the letter carrying the code to
// AUTHORITY_DIR/delivery/letters/<voter_id>.txt (both mode 0600, never overwritten), adds the
// voter to AUTHORITY_DIR/roll.json (public keys only, the officials' input) and logs the batch
// in authority.json. Refuses (before writing anything) a directory of another election, an
// authority whose keys were destroyed, and voters it has already issued. Returns the roll.
Roll authority_issue(const std::filesystem::path& election_dir, std::string_view voters_csv,
                     std::string_view source, const std::filesystem::path& authority_dir,
                     const AuthorityIssueOptions& options);

// `haal authority destroy`: overwrites every file under AUTHORITY_DIR/delivery/ with zeros
// (flushed to the disk), removes it and the folder, and logs the destruction (time, number of
// files); afterwards `authority_issue` refuses. Keeps roll.json and authority.json. Throws when
// already destroyed. Returns the number of files destroyed.
std::size_t authority_destroy(const std::filesystem::path& authority_dir);

}  // namespace haal::election
