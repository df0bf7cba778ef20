// The voter web app and the published results served by the collector (docs/web.md): files from
// memory with the Content-Security-Policy, unknown files 404, loading refuses a directory without
// index.html; GET /api/results answers no-results until the file exists, then the file, and
// results-invalid for a file that is not this election's results.
#include <catch2/catch.hpp>
#include <fstream>

#include "collector_fixture.hpp"

using namespace haal;
using namespace haal::collector;
using namespace haal::collector::testing;

namespace {
void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}
}  // namespace

TEST_CASE("the collector serves the web app with its security headers") {
  ElectionFixture e(1);
  TempDir web;
  write(web.path() / "index.html", "<!doctype html><title>t</title>");
  write(web.path() / "app.js", "console.log(1)");
  write(web.path() / "notes.md", "not served: unknown type");
  ServerOptions options;
  options.web_app = load_web_app(web.path());
  CHECK(options.web_app->files.size() == 2);
  TempDir store;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string(), options);
  auto c = s.client();

  const auto index = c->Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->body == "<!doctype html><title>t</title>");
  CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(index->get_header_value("Content-Security-Policy") == kWebContentSecurityPolicy);
  CHECK(index->get_header_value("X-Content-Type-Options") == "nosniff");
  const auto js = c->Get("/app.js");
  REQUIRE(js);
  CHECK(js->status == 200);
  CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
  for (const char* missing : {"/notes.md", "/nothing.js", "/..%2Fboard.db"}) {
    INFO(missing);
    const auto r = get_json(*c, missing);
    CHECK(r.status == 404);
    CHECK(r.body.at("error").at("code") == "not-found");
  }
  // The API is unaffected.
  CHECK(get_json(*c, "/healthz").status == 200);
  CHECK(get_json(*c, "/api/election").status == 200);

  TempDir empty;
  CHECK_THROWS_WITH(load_web_app(empty.path()), Catch::Contains("has no index.html"));
  CHECK_THROWS_WITH(load_web_app(empty.path() / "absent"), Catch::Contains("is not a directory"));
}

TEST_CASE("GET /api/results serves the published results.json") {
  ElectionFixture e(1);
  TempDir dir;
  const auto results = dir.path() / "results.json";
  ServerOptions options;
  options.results_file = results;
  TempDir store;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string(), options);
  auto c = s.client();

  auto r = get_json(*c, "/api/results");
  CHECK(r.status == 404);
  CHECK(r.body.at("error").at("code") == "no-results");

  const Json published = {{"format", "haal-results-v1"},
                          {"election_id", e.view.election_id()},
                          {"contests", Json::array()}};
  write(results, published.dump());
  r = get_json(*c, "/api/results");
  CHECK(r.status == 200);
  CHECK(r.body == published);

  Json other = published;
  other["election_id"] = "another-election";
  write(results, other.dump());
  r = get_json(*c, "/api/results");
  CHECK(r.status == 503);
  CHECK(r.body.at("error").at("code") == "results-invalid");
  CHECK_THAT(r.body.at("error").at("message").get<std::string>(),
             Catch::Contains("another-election"));
  write(results, "{not json");
  CHECK(get_json(*c, "/api/results").body.at("error").at("code") == "results-invalid");

  // Without --results there is nothing to serve.
  TempDir store2;
  RunningServer plain(e.view, "sqlite:" + (store2.path() / "board.db").string());
  r = get_json(*plain.client(), "/api/results");
  CHECK(r.status == 404);
  CHECK(r.body.at("error").at("code") == "no-results");
  // No web app: "/" is not found.
  CHECK(get_json(*plain.client(), "/").status == 404);
}
