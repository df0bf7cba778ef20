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
  // Returns the store held in `file` (a backup made by backup_trustee_store, any name).
  static TrusteeStore from_file(std::filesystem::path file);

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
  // Copies this store's file, byte for byte, to `to` (creating its folder with mode 0700, the
  // file with mode 0600). Throws CeremonyError if `to` already exists.
  void copy_to(const TrusteeStore& to) const;

 private:
  TrusteeStore(std::filesystem::path dir, std::filesystem::path file);
  std::filesystem::path dir_;
  std::filesystem::path file_;
};

// Re-seals `store` under `new_passphrase` (fresh salt and nonce) after opening it with
// `old_passphrase`, replacing the file atomically, then checks it opens with the new one.
// Throws std::runtime_error("wrong passphrase or corrupted box") on a wrong old passphrase,
// changing nothing. Returns the secrets (to report what the store holds).
TrusteeSecrets change_trustee_passphrase(const CeremonyParameters& params,
                                         const TrusteeStore& store, std::string_view old_passphrase,
                                         std::string_view new_passphrase);

// Copies `store` to `backup` after checking that it opens with `passphrase` (the backup is
// still sealed under it), then checks the copy opens too. Throws CeremonyError if `backup`
// exists; the wrong-passphrase error of load, writing nothing. Returns the secrets.
TrusteeSecrets backup_trustee_store(const CeremonyParameters& params, const TrusteeStore& store,
                                    const TrusteeStore& backup, std::string_view passphrase);

// Restores `backup` into `store` (which must not exist) after checking that the backup is this
// election's trustee store and opens with `passphrase`. Throws as load does, writing nothing.
// Returns the secrets.
TrusteeSecrets restore_trustee_store(const CeremonyParameters& params, const TrusteeStore& backup,
                                     const TrusteeStore& store, std::string_view passphrase);

// The passphrase box label: "haal-trustee-secrets/<election_id>/<manifest_hash hex>/trustee-<i>".
std::string trustee_box_label(const CeremonyParameters& params, std::uint32_t trustee);

}  // namespace haal::ceremony
