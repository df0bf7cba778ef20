// RecordReader: directories, strict ustar archives, truncation, strict JSON.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "tests/verifier/record_builder.hpp"
#include "verifier-app/record_reader.hpp"

using namespace haal::verifier;
using namespace haal::verifier::testing;
namespace fs = std::filesystem;

namespace {

fs::path make_tar(const fs::path& dir) {
  const fs::path tar = fresh_temp_path("tar") += ".tar";
  const std::string command = "tar --format=ustar -cf '" + tar.string() + "' -C '" + dir.string() + "' .";
  REQUIRE(std::system(command.c_str()) == 0);
  return tar;
}

}  // namespace

TEST_CASE("record reader: a directory and its ustar archive hold the same files and bytes") {
  const fs::path dir = fresh_temp_path("reader");
  fs::create_directories(dir / "a" / "b");
  std::ofstream(dir / "a" / "b" / "x.json") << "{\"k\":1}\n";
  std::ofstream(dir / "lines.txt") << "one\ntwo\nthree";
  const fs::path tar = make_tar(dir);
  for (const fs::path& p : {dir, tar}) {
    const RecordReader r = RecordReader::open(p);
    CHECK(r.files() == std::vector<std::string>{"a/b/x.json", "lines.txt"});
    CHECK(r.read("a/b/x.json") == "{\"k\":1}\n");
    CHECK(r.read_json("a/b/x.json")["k"] == 1);
    std::vector<std::string> lines;
    r.for_each_line("lines.txt", [&](std::size_t n, std::string_view l) {
      CHECK(n == lines.size() + 1);
      lines.emplace_back(l);
      return true;
    });
    CHECK(lines == std::vector<std::string>{"one", "two", "three"});
    CHECK(r.files_under("a/") == std::vector<std::string>{"a/b/x.json"});
    CHECK_THROWS_WITH(r.read("missing.json"), Catch::Contains("missing.json: missing from the record"));
  }
  fs::remove_all(dir);
  fs::remove(tar);
}

TEST_CASE("record reader: truncated or corrupted archives are refused with the offset") {
  const fs::path dir = fresh_temp_path("reader-trunc");
  fs::create_directories(dir);
  std::ofstream(dir / "big.txt") << std::string(3000, 'x');
  const fs::path tar = make_tar(dir);
  const auto size = fs::file_size(tar);
  SECTION("cut inside a member's content") {
    fs::resize_file(tar, 512 * 3);
    CHECK_THROWS_WITH(RecordReader::open(tar), Catch::Contains("truncated"));
  }
  SECTION("cut at a block boundary before the end marker") {
    fs::resize_file(tar, 512 * 8);  // "./", header, 6 content blocks; no end marker
    CHECK_THROWS_WITH(RecordReader::open(tar), Catch::Contains("truncated"));
  }
  SECTION("size not a multiple of 512") {
    fs::resize_file(tar, size - 100);
    CHECK_THROWS_WITH(RecordReader::open(tar), Catch::Contains("not a multiple of 512"));
  }
  SECTION("header checksum") {
    std::fstream f(tar, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(512 + 10);  // inside the name field of big.txt's header
    f.put('Z');
    f.close();
    CHECK_THROWS_WITH(RecordReader::open(tar), Catch::Contains("checksum"));
  }
  fs::remove_all(dir);
  fs::remove(tar);
}

TEST_CASE("strict JSON: syntax errors name line and column; duplicate keys are refused") {
  CHECK_THROWS_WITH(parse_json_strict("{\n  \"a\": 1,\n  \"b\": }", "f.json"), Catch::Contains("f.json:3:"));
  CHECK_THROWS_WITH(parse_json_strict("{\"a\":1,\"a\":2}", "f.json"), Catch::Contains("duplicate object key \"a\""));
  CHECK(parse_json_strict("{\"a\":{\"a\":1}}", "f.json")["a"]["a"] == 1);
}
