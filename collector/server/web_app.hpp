// The voter web app and published results served by the collector (docs/web.md): the static
// files of the app (built by web/build.mjs into build/web-app/) are read once at start-up and
// served from memory with a strict Content-Security-Policy, and GET /api/results serves the tally's
// results.json once it is published.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "crypto/json_codec.hpp"

namespace haal::collector {

struct StaticFile {
  std::string content;
  std::string content_type;
};

// The files of a built web app, by name ("index.html", "app.js", ...).
struct WebApp {
  std::filesystem::path dir;
  std::map<std::string, StaticFile> files;
};

// Reads every regular file directly in `dir` (no sub-directories) whose name is made of
// [A-Za-z0-9._-] and has a known type (.html, .js, .css, .json, .svg, .png, .ico, .txt).
// Throws std::runtime_error if `dir` is not a directory or has no index.html.
WebApp load_web_app(const std::filesystem::path& dir);

// The headers sent with every file of the app: no request may leave the collector's origin.
inline constexpr const char* kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Reads a published results.json (docs/counting.md section 7.1). Returns std::nullopt if the
// file does not exist; throws std::runtime_error naming the problem if it is not JSON, not
// format "haal-results-v1", or for another election.
std::optional<crypto::Json> read_results_file(const std::filesystem::path& file,
                                              const std::string& election_id);

}  // namespace haal::collector
