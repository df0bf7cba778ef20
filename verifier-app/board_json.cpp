#include "verifier-app/board_json.hpp"

#include <algorithm>

namespace haal::verifier {

using crypto::FormatError;
using crypto::Json;

namespace {

std::vector<Digest> digests(const Json& list, const std::string& path, std::size_t max) {
  if (list.size() > max) throw FormatError(path, "more than " + std::to_string(max) + " hashes");
  std::vector<Digest> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(digest_from_json(list[i], path + "[" + std::to_string(i) + "]"));
  }
  return out;
}

void require_object(const Json& j, const std::string& path) {
  if (!j.is_object()) throw FormatError(path, "must be a JSON object");
}

}  // namespace

Digest digest_from_json(const Json& j, const std::string& path) {
  const crypto::Bytes b = crypto::bytes_from_json(j, path, 32);
  Digest d{};
  std::copy(b.begin(), b.end(), d.begin());
  return d;
}

BoardEntry board_entry_from_json(const Json& j, const std::string& path) {
  require_object(j, path);
  crypto::reject_unknown_fields(j, {"kind", "payload", "sequence", "timestamp_ms"}, path);
  BoardEntry e;
  e.kind = crypto::require_string(j, "kind", path);
  if (!is_valid_entry_kind(e.kind))
    throw FormatError(path + ".kind", "invalid kind \"" + e.kind + "\"");
  e.sequence = crypto::require_uint(j, "sequence", path);
  e.timestamp_ms = crypto::require_uint(j, "timestamp_ms", path);
  e.payload = crypto::bytes_from_json(crypto::require_field(j, "payload", path), path + ".payload");
  if (e.payload.size() > kMaxPayloadBytes)
    throw FormatError(path + ".payload", "larger than 16 MiB");
  return e;
}

namespace {

// Consumes `literal` at the front of `s`.
bool eat(std::string_view& s, std::string_view literal) {
  if (s.substr(0, literal.size()) != literal) return false;
  s.remove_prefix(literal.size());
  return true;
}

// Consumes a canonical JSON unsigned integer (no sign, no leading zero, no fraction or exponent)
// that fits in uint64.
bool eat_uint(std::string_view& s, std::uint64_t& out) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > 20 || (n > 1 && s[0] == '0')) return false;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t d = static_cast<std::uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  s.remove_prefix(n);
  return true;
}

int lower_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<BoardEntry> board_entry_from_canonical_line(std::string_view line) {
  BoardEntry e;
  std::string_view s = line;
  if (!eat(s, "{\"kind\":\"")) return std::nullopt;
  const std::size_t kind_end = s.find('"');
  if (kind_end == std::string_view::npos) return std::nullopt;
  // Valid kinds are [a-z0-9-] only, which canonical JSON writes unescaped.
  if (!is_valid_entry_kind(s.substr(0, kind_end))) return std::nullopt;
  e.kind.assign(s.substr(0, kind_end));
  s.remove_prefix(kind_end);
  if (!eat(s, "\",\"payload\":\"")) return std::nullopt;
  const std::size_t hex_end = s.find('"');
  if (hex_end == std::string_view::npos || hex_end % 2 != 0 || hex_end / 2 > kMaxPayloadBytes)
    return std::nullopt;
  e.payload.resize(hex_end / 2);
  for (std::size_t i = 0; i < hex_end; i += 2) {
    const int hi = lower_hex_value(s[i]);
    const int lo = lower_hex_value(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    e.payload[i / 2] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  s.remove_prefix(hex_end);
  if (!eat(s, "\",\"sequence\":") || !eat_uint(s, e.sequence)) return std::nullopt;
  if (!eat(s, ",\"timestamp_ms\":") || !eat_uint(s, e.timestamp_ms)) return std::nullopt;
  if (s != "}") return std::nullopt;
  return e;
}

TreeHead tree_head_from_json(const Json& j, const std::string& path) {
  require_object(j, path);
  crypto::reject_unknown_fields(
      j, {"log_id", "root_hash", "signature", "timestamp_ms", "tree_size"}, path);
  TreeHead h;
  h.log_id = crypto::require_string(j, "log_id", path);
  if (h.log_id.empty() || h.log_id.size() > 256 ||
      !std::all_of(h.log_id.begin(), h.log_id.end(),
                   [](char c) { return c >= 0x21 && c <= 0x7e; })) {
    throw FormatError(path + ".log_id", "must be 1..256 printable ASCII characters");
  }
  h.tree_size = crypto::require_uint(j, "tree_size", path);
  h.root_hash = digest_from_json(crypto::require_field(j, "root_hash", path), path + ".root_hash");
  h.timestamp_ms = crypto::require_uint(j, "timestamp_ms", path);
  h.signature =
      crypto::bytes_from_json(crypto::require_field(j, "signature", path), path + ".signature", 64);
  return h;
}

InclusionProof inclusion_proof_from_json(const Json& j, const std::string& path) {
  require_object(j, path);
  crypto::reject_unknown_fields(j, {"audit_path", "leaf_index", "tree_size"}, path);
  InclusionProof p;
  p.leaf_index = crypto::require_uint(j, "leaf_index", path);
  p.tree_size = crypto::require_uint(j, "tree_size", path);
  if (p.leaf_index >= p.tree_size)
    throw FormatError(path + ".leaf_index", "must be below tree_size");
  p.audit_path = digests(crypto::require_array(j, "audit_path", path), path + ".audit_path", 64);
  return p;
}

ConsistencyProof consistency_proof_from_json(const Json& j, const std::string& path) {
  require_object(j, path);
  crypto::reject_unknown_fields(j, {"first_size", "path", "second_size"}, path);
  ConsistencyProof p;
  p.first_size = crypto::require_uint(j, "first_size", path);
  p.second_size = crypto::require_uint(j, "second_size", path);
  if (p.first_size > p.second_size) throw FormatError(path + ".first_size", "exceeds second_size");
  p.path = digests(crypto::require_array(j, "path", path), path + ".path", 128);
  return p;
}

}  // namespace haal::verifier
