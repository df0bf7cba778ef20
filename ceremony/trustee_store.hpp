// A trustee's private state: identity keys, polynomial coefficients (between commit and
// finalize) and finally its secret share, sealed under a passphrase (crypto/passphrase_box.hpp)
// in TRUSTEE_DIR/trustee.json with mode 0600 (folder 0700). The plaintext never touches disk.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "ceremony/parameters.hpp"
#include "crypto/passphrase_box.hpp"

namespace haal::ceremony {

using crypto::Scalar;

struct TrusteeSecrets {
  TrusteeSecrets() = default;
  TrusteeSecrets(const TrusteeSecrets&) = default;
  TrusteeSecrets& operator=(const TrusteeSecrets&) = default;
  ~TrusteeSecrets();  // wipes the key bytes (Scalars wipe themselves)

  std::uint32_t trustee = 0;
  Bytes signing_seed;                // Ed25519 seed, 32 bytes
  Bytes encryption_key;              // X25519 private key, 32 bytes
  std::vector<Scalar> coefficients;  // a_0..a_{t-1}, from commit until finalize
  std::optional<Scalar> share;       // s_i = sum over qualified senders, after finalize
};

// Returns fresh identity keys for `trustee` (no coefficients yet).
TrusteeSecrets new_trustee_secrets(std::uint32_t trustee);

// Serialises the secrets: u32_be(trustee) || seed(32) || x25519(32) || u32_be(count) ||
// coefficients (fixed-length scalars) || u8(has_share) || [share]. Binary rather than JSON so
// no copy of a secret lingers in a JSON library's strings. SECRET output.
Bytes encode_trustee_secrets(const crypto::ScalarField& field, const TrusteeSecrets& secrets);
// Inverse of encode_trustee_secrets. Throws CeremonyError on a malformed encoding.
TrusteeSecrets decode_trustee_secrets(const crypto::ScalarField& field, ByteView bytes);

class TrusteeStore {
 public:
  explicit TrusteeStore(std::filesystem::path trustee_dir);

  const std::filesystem::path& file() const { return file_; }
  bool exists() const;
  // Returns the trustee index recorded in the (public) header of the store. Throws
  // CeremonyError when the store is missing or belongs to another election.
  std::uint32_t trustee_index(const CeremonyParameters& params) const;
  // Seals `secrets` (creating the folder with mode 0700 and the file with mode 0600).
  void save(const CeremonyParameters& params, const TrusteeSecrets& secrets,
            std::string_view passphrase, const crypto::ScryptParameters& scrypt = {}) const;
  // Returns the unsealed secrets. Throws std::runtime_error("wrong passphrase or corrupted
  // box") on a wrong passphrase, CeremonyError on a store of another election.
  TrusteeSecrets load(const CeremonyParameters& params, std::string_view passphrase) const;

 private:
  std::filesystem::path dir_;
  std::filesystem::path file_;
};

// The passphrase box label: "haal-trustee-secrets/<election_id>/<manifest_hash hex>/trustee-<i>".
std::string trustee_box_label(const CeremonyParameters& params, std::uint32_t trustee);

}  // namespace haal::ceremony
