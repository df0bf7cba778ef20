#include "collector/server/web_app.hpp"

#include <stdexcept>

#include "crypto/base/file.hpp"

namespace haal::collector {

namespace {

std::optional<std::string> content_type_for(const std::string& name) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"}};
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  const auto it = types.find(name.substr(dot));
  if (it == types.end()) return std::nullopt;
  return it->second;
}

bool safe_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  for (const char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

WebApp load_web_app(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error("web app: " + dir.string() + " is not a directory");
  }
  WebApp app{dir, {}};
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const auto type = content_type_for(name);
    if (!safe_name(name) || !type) continue;
    app.files.emplace(name, StaticFile{base::read_file(entry.path()), *type});
  }
  if (!app.files.count("index.html")) {
    throw std::runtime_error("web app: " + dir.string() +
                             " has no index.html (build it with `cmake --build build`)");
  }
  return app;
}

std::optional<crypto::Json> read_results_file(const std::filesystem::path& file,
                                              const std::string& election_id) {
  if (!std::filesystem::exists(file)) return std::nullopt;
  const crypto::Json j = crypto::Json::parse(base::read_file(file), nullptr, false);
  if (j.is_discarded()) throw std::runtime_error(file.string() + ": not valid JSON");
  if (!j.is_object() || j.value("format", "") != "haal-results-v1") {
    throw std::runtime_error(file.string() + ": not a results file (format \"haal-results-v1\")");
  }
  if (j.value("election_id", "") != election_id) {
    throw std::runtime_error(file.string() + ": results of election \"" +
                             j.value("election_id", "") + "\", not \"" + election_id + "\"");
  }
  if (!j.contains("contests") || !j.at("contests").is_array()) {
    throw std::runtime_error(file.string() + ": \"contests\" must be an array");
  }
  return j;
}

}  // namespace haal::collector
