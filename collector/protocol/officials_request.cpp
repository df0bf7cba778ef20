#include "collector/protocol/officials_request.hpp"

#include "collector/protocol/election_view.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/passphrase_box.hpp"
#include "crypto/random_source.hpp"
#include "election/parties.hpp"

namespace haal::collector {

Json officials_request_to_json(const OfficialsRequest& r) {
  Json j = {{"action", r.action},
            {"election_id", r.election_id},
            {"nonce", r.nonce},
            {"timestamp_ms", r.timestamp_ms}};
  if (r.roll_hash) j["roll_hash"] = *r.roll_hash;
  return j;
}

crypto::Bytes officials_request_signed_bytes(const OfficialsRequest& request) {
  crypto::Bytes out;
  crypto::append_length_prefixed(out, crypto::to_bytes(kOfficialsRequestTag));
  const crypto::Bytes body = crypto::canonical_json_bytes(officials_request_to_json(request));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Json sign_officials_request(const std::string& action, const std::string& election_id,
                            const crypto::Ed25519PrivateKey& key,
                            const std::optional<std::string>& roll_hash) {
  crypto::Bytes nonce(16);
  crypto::system_random().fill(nonce);
  const OfficialsRequest r{action, election_id, unix_time_ms(), crypto::to_hex(nonce), roll_hash};
  return {{"request", officials_request_to_json(r)},
          {"signature", crypto::to_hex(key.sign(officials_request_signed_bytes(r)))}};
}

OfficialsRequest check_officials_request(const Json& signed_request, crypto::ByteView public_key,
                                         const std::string& election_id, std::uint64_t now_ms) {
  OfficialsRequest r;
  crypto::Bytes signature;
  try {
    if (!signed_request.is_object())
      throw crypto::FormatError("officials_request", "expected an object");
    crypto::reject_unknown_fields(signed_request, {"request", "signature"}, "officials_request");
    const Json& body = crypto::require_field(signed_request, "request", "officials_request");
    const std::string path = "officials_request.request";
    if (!body.is_object()) throw crypto::FormatError(path, "expected an object");
    crypto::reject_unknown_fields(
        body, {"action", "election_id", "nonce", "timestamp_ms", "roll_hash"}, path);
    r.action = crypto::require_string(body, "action", path);
    if (r.action != kActionOpenPolls && r.action != kActionClosePolls &&
        r.action != kActionExport) {
      throw crypto::FormatError(path + ".action", "unknown action \"" + r.action + "\"");
    }
    r.election_id = crypto::require_string(body, "election_id", path);
    r.timestamp_ms = crypto::require_uint(body, "timestamp_ms", path);
    r.nonce = crypto::require_string(body, "nonce", path);
    crypto::bytes_from_json(body["nonce"], path + ".nonce", 16);
    if (body.contains("roll_hash")) {
      if (r.action != kActionOpenPolls)
        throw crypto::FormatError(path + ".roll_hash", "only open-polls names the roll");
      r.roll_hash = crypto::require_string(body, "roll_hash", path);
      crypto::bytes_from_json(body["roll_hash"], path + ".roll_hash", 32);
    }
    signature = crypto::bytes_from_json(
        crypto::require_field(signed_request, "signature", "officials_request"),
        "officials_request.signature", crypto::kEd25519SignatureLength);
  } catch (const crypto::FormatError& e) {
    throw Rejection(400, "bad-shape", e.what());
  }
  if (!crypto::ed25519_verify(public_key, officials_request_signed_bytes(r), signature)) {
    throw Rejection(401, "bad-signature",
                    "officials_request.signature: not a valid signature by the officials' key");
  }
  if (r.election_id != election_id) {
    throw Rejection(
        422, "wrong-election",
        "officials_request.request.election_id: \"" + r.election_id + "\" is not this election");
  }
  const std::uint64_t distance =
      r.timestamp_ms > now_ms ? r.timestamp_ms - now_ms : now_ms - r.timestamp_ms;
  if (distance > kOfficialsRequestWindowMs) {
    throw Rejection(401, "stale-request",
                    "officials_request.request.timestamp_ms: " + std::to_string(distance) +
                        " ms away from the collector's clock (limit " +
                        std::to_string(kOfficialsRequestWindowMs) + " ms)");
  }
  return r;
}

std::string officials_key_label(const std::string& election_id) {
  return "haal officials key/" + election_id;
}

void write_officials_key_file(const std::filesystem::path& key_file, const std::string& election_id,
                              const crypto::Ed25519PrivateKey& key, const std::string& passphrase) {
  if (std::filesystem::exists(key_file)) {
    throw std::runtime_error(key_file.string() + ": exists; not overwritten");
  }
  crypto::Bytes seed = key.seed();
  const Json box = crypto::passphrase_box_seal(seed, passphrase, officials_key_label(election_id));
  crypto::wipe(seed);
  write_json_file(key_file, box);
  std::filesystem::permissions(
      key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

void write_officials_key(const std::filesystem::path& election_dir,
                         const std::filesystem::path& key_file, const std::string& election_id,
                         const crypto::Ed25519PrivateKey& key, const std::string& passphrase) {
  const auto public_file = election_dir / "officials.json";
  for (const auto& p : {public_file, key_file}) {
    if (std::filesystem::exists(p))
      throw std::runtime_error(p.string() + ": exists; not overwritten");
  }
  write_officials_key_file(key_file, election_id, key, passphrase);
  write_json_file(public_file,
                  election::party_public_file(election_id, "officials", "", key.public_key()));
}

crypto::Ed25519PrivateKey read_officials_key(const std::filesystem::path& key_file,
                                             const std::string& election_id,
                                             const std::string& passphrase) {
  crypto::Bytes seed = crypto::passphrase_box_open(read_json_file(key_file), passphrase,
                                                   officials_key_label(election_id));
  auto key = crypto::Ed25519PrivateKey::from_seed(seed);
  crypto::wipe(seed);
  return key;
}

}  // namespace haal::collector
