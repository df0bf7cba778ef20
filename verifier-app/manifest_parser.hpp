// The verifier's own reading of manifest.json, re-implemented from docs/ballots.md
// ("Manifest"): strict fields, identifiers, voting window, group, trustees, contest rules.
#pragma once

#include "crypto/json_codec.hpp"
#include "verifier-app/verifier_context.hpp"

namespace haal::verifier {

// Returns true iff `id` matches [A-Za-z0-9][A-Za-z0-9._-]{0,63}.
bool is_valid_identifier(std::string_view id);
// Returns true iff `text` is "YYYY-MM-DDTHH:MM:SSZ" naming a real UTC instant.
bool is_rfc3339_utc(std::string_view text);

// Returns the validated manifest (widths left 0; stage 1 fills them from context.json). Throws
// crypto::FormatError naming the field path ("contests[1].options[0].id: ...").
ParsedManifest parse_manifest(const crypto::Json& j);

}  // namespace haal::verifier
