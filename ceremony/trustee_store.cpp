#include "ceremony/trustee_store.hpp"

#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "crypto/base/file.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ecies.hpp"
#include "crypto/ed25519.hpp"

namespace haal::ceremony {

namespace {

constexpr std::string_view kStoreFormat = "haal-trustee-store-v1";

std::uint32_t read_u32(ByteView bytes, std::size_t& offset) {
  if (offset + 4 > bytes.size()) throw CeremonyError("trustee secrets: truncated");
  std::uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v = (v << 8) | bytes[offset++];
  return v;
}

ByteView read_bytes(ByteView bytes, std::size_t& offset, std::size_t length) {
  if (offset + length > bytes.size()) throw CeremonyError("trustee secrets: truncated");
  const ByteView out = bytes.subspan(offset, length);
  offset += length;
  return out;
}

}  // namespace

TrusteeSecrets::~TrusteeSecrets() {
  crypto::wipe(signing_seed);
  crypto::wipe(encryption_key);
}

TrusteeSecrets new_trustee_secrets(std::uint32_t trustee) {
  TrusteeSecrets s;
  s.trustee = trustee;
  s.signing_seed = crypto::Ed25519PrivateKey::generate().seed();
  s.encryption_key = crypto::X25519PrivateKey::generate().private_bytes();
  return s;
}

Bytes encode_trustee_secrets(const crypto::ScalarField& field, const TrusteeSecrets& s) {
  Bytes out;
  // Reserved up front: a reallocation would leave a stray copy of the secrets in freed memory.
  out.reserve(4 + 32 + 32 + 4 + (s.coefficients.size() + 1) * field.byte_length() + 1);
  crypto::append_u32_be(out, s.trustee);
  out.insert(out.end(), s.signing_seed.begin(), s.signing_seed.end());
  out.insert(out.end(), s.encryption_key.begin(), s.encryption_key.end());
  crypto::append_u32_be(out, static_cast<std::uint32_t>(s.coefficients.size()));
  for (const Scalar& a : s.coefficients) {
    Bytes e = field.encode(a);
    out.insert(out.end(), e.begin(), e.end());
    crypto::wipe(e);
  }
  out.push_back(s.share ? 1 : 0);
  if (s.share) {
    Bytes e = field.encode(*s.share);
    out.insert(out.end(), e.begin(), e.end());
    crypto::wipe(e);
  }
  return out;
}

TrusteeSecrets decode_trustee_secrets(const crypto::ScalarField& field, ByteView bytes) {
  TrusteeSecrets s;
  std::size_t offset = 0;
  s.trustee = read_u32(bytes, offset);
  const ByteView seed = read_bytes(bytes, offset, 32);
  s.signing_seed.assign(seed.begin(), seed.end());
  const ByteView enc = read_bytes(bytes, offset, 32);
  s.encryption_key.assign(enc.begin(), enc.end());
  const std::uint32_t count = read_u32(bytes, offset);
  if (count > kMaxTrustees) throw CeremonyError("trustee secrets: too many coefficients");
  for (std::uint32_t k = 0; k < count; ++k) {
    s.coefficients.push_back(field.decode(read_bytes(bytes, offset, field.byte_length())));
  }
  const ByteView flag = read_bytes(bytes, offset, 1);
  if (flag[0] > 1) throw CeremonyError("trustee secrets: bad share flag");
  if (flag[0] == 1) s.share = field.decode(read_bytes(bytes, offset, field.byte_length()));
  if (offset != bytes.size()) throw CeremonyError("trustee secrets: trailing bytes");
  return s;
}

std::string trustee_box_label(const CeremonyParameters& params, std::uint32_t trustee) {
  return "haal-trustee-secrets/" + params.election_id + "/" + params.manifest_hash_hex() +
         "/trustee-" + std::to_string(trustee);
}

TrusteeStore::TrusteeStore(std::filesystem::path trustee_dir)
    : dir_(std::move(trustee_dir)), file_(dir_ / "trustee.json") {}

TrusteeStore::TrusteeStore(std::filesystem::path dir, std::filesystem::path file)
    : dir_(std::move(dir)), file_(std::move(file)) {}

TrusteeStore TrusteeStore::from_file(std::filesystem::path file) {
  std::filesystem::path dir = file.parent_path();
  return TrusteeStore(dir.empty() ? std::filesystem::path(".") : dir, std::move(file));
}

void TrusteeStore::copy_to(const TrusteeStore& to) const {
  if (to.exists()) {
    throw CeremonyError(to.file_.string() + " already exists; not overwriting a trustee store");
  }
  const std::string data = base::read_file(file_);
  if (!std::filesystem::exists(to.dir_)) {
    std::filesystem::create_directories(to.dir_);
    std::filesystem::permissions(to.dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
  }
  write_file_atomically(
      to.file_, ByteView(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), 0600);
}

TrusteeSecrets change_trustee_passphrase(const CeremonyParameters& params,
                                         const TrusteeStore& store, std::string_view old_passphrase,
                                         std::string_view new_passphrase) {
  const TrusteeSecrets secrets = store.load(params, old_passphrase);
  store.save(params, secrets, new_passphrase);
  return store.load(params, new_passphrase);
}

TrusteeSecrets backup_trustee_store(const CeremonyParameters& params, const TrusteeStore& store,
                                    const TrusteeStore& backup, std::string_view passphrase) {
  store.load(params, passphrase);
  store.copy_to(backup);
  return backup.load(params, passphrase);
}

TrusteeSecrets restore_trustee_store(const CeremonyParameters& params, const TrusteeStore& backup,
                                     const TrusteeStore& store, std::string_view passphrase) {
  backup.load(params, passphrase);
  backup.copy_to(store);
  return store.load(params, passphrase);
}

bool TrusteeStore::exists() const {
  return std::filesystem::exists(file_);
}

std::uint32_t TrusteeStore::trustee_index(const CeremonyParameters& params) const {
  if (!exists()) {
    throw CeremonyError("no trustee store at " + file_.string() +
                        " (run `haal trustee init` first)");
  }
  const Json j = read_json_file(file_);
  const std::string path = file_.string();
  crypto::reject_unknown_fields(j, {"format", "election_id", "manifest_hash", "trustee", "box"},
                                path);
  if (crypto::require_string(j, "format", path) != kStoreFormat) {
    throw crypto::FormatError(path + ".format", "must be \"" + std::string(kStoreFormat) + "\"");
  }
  if (crypto::require_string(j, "election_id", path) != params.election_id ||
      crypto::require_string(j, "manifest_hash", path) != params.manifest_hash_hex()) {
    throw CeremonyError(path + " belongs to another election or manifest");
  }
  const std::uint64_t index = crypto::require_uint(j, "trustee", path);
  params.check_index(index, path);
  return static_cast<std::uint32_t>(index);
}

void TrusteeStore::save(const CeremonyParameters& params, const TrusteeSecrets& secrets,
                        std::string_view passphrase, const crypto::ScryptParameters& scrypt) const {
  std::filesystem::create_directories(dir_);
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  Bytes plaintext = encode_trustee_secrets(params.group->scalars(), secrets);
  Json box;
  try {
    box = crypto::passphrase_box_seal(plaintext, passphrase,
                                      trustee_box_label(params, secrets.trustee), scrypt);
  } catch (...) {
    crypto::wipe(plaintext);
    throw;
  }
  crypto::wipe(plaintext);
  const Json store{{"format", kStoreFormat},
                   {"election_id", params.election_id},
                   {"manifest_hash", params.manifest_hash_hex()},
                   {"trustee", secrets.trustee},
                   {"box", std::move(box)}};
  Bytes data = crypto::canonical_json_bytes(store);
  data.push_back('\n');
  write_file_atomically(file_, data, 0600);
}

TrusteeSecrets TrusteeStore::load(const CeremonyParameters& params,
                                  std::string_view passphrase) const {
  const std::uint32_t index = trustee_index(params);
  const Json j = read_json_file(file_);
  Bytes plaintext = crypto::passphrase_box_open(crypto::require_field(j, "box", file_.string()),
                                                passphrase, trustee_box_label(params, index));
  TrusteeSecrets secrets;
  try {
    secrets = decode_trustee_secrets(params.group->scalars(), plaintext);
  } catch (...) {
    crypto::wipe(plaintext);
    throw;
  }
  crypto::wipe(plaintext);
  if (secrets.trustee != index) throw CeremonyError(file_.string() + ": trustee index mismatch");
  return secrets;
}

}  // namespace haal::ceremony
