// What a key ceremony is for: the election, its group, n trustees and threshold t, read from
// the election's manifest.json. Every ceremony message and proof is bound to manifest_hash.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/proof_context.hpp"
#include "crypto/sha256.hpp"

namespace haal::ceremony {

using crypto::Bytes;
using crypto::ByteView;
using crypto::Group;
using crypto::Json;

// A ceremony cannot proceed (missing files, too few qualified trustees, wrong stage). what()
// says what is missing or wrong and what to do next.
class CeremonyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Largest trustee count (indices are 1..n; shares are f(index)): the manifest's limit, which
// `haal election new` and haal-verify enforce (docs/ballots.md section 2, election/manifest.hpp).
inline constexpr std::uint32_t kMaxTrustees = 255;

struct CeremonyParameters {
  std::string election_id;
  const crypto::Group* group = nullptr;
  std::uint32_t trustee_count = 0;  // n
  std::uint32_t threshold = 0;      // t: any t trustees decrypt, t-1 learn nothing
  crypto::Digest manifest_hash{};   // canonical_json_hash(manifest)

  Bytes manifest_hash_bytes() const { return Bytes(manifest_hash.begin(), manifest_hash.end()); }
  std::string manifest_hash_hex() const { return crypto::to_hex(manifest_hash); }
  // Returns {election_hash = manifest_hash, binding}: the context of every ceremony proof.
  crypto::ProofContext proof_context(std::string_view binding) const;
  // Throws CeremonyError unless 1 <= index <= n.
  void check_index(std::uint64_t index, std::string_view what) const;
};

// Returns the parameters in `manifest` ("election_id", "group", "trustees": {"count",
// "threshold"}; other fields are the election component's and are ignored here but hashed).
// Throws FormatError naming the field, or CeremonyError unless 1 <= t <= n <= kMaxTrustees.
CeremonyParameters ceremony_parameters_from_manifest(const Json& manifest);

// Returns the parameters of DIR/manifest.json.
CeremonyParameters load_ceremony_parameters(const std::filesystem::path& election_dir);

// Returns the parsed JSON of a file. Throws CeremonyError naming the file when it cannot be
// read or parsed.
Json read_json_file(const std::filesystem::path& path);

// Writes `data` to `path` via a temporary file created with `mode` (O_EXCL) and an atomic
// rename, so a reader never sees a partial file and a secret never exists with wider mode.
void write_file_atomically(const std::filesystem::path& path, ByteView data, unsigned mode);

}  // namespace haal::ceremony
