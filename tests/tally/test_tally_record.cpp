// The record writer (tally/ceremony/record.hpp) read back by the verifier's independent reader,
// and the mix-net session identifiers of docs/record.md.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "crypto/canonical_json.hpp"
#include "crypto/sha256.hpp"
#include "tally/ceremony/mix.hpp"
#include "tally/ceremony/publish.hpp"
#include "tally/ceremony/record.hpp"
#include "verifier-app/record_reader.hpp"

namespace fs = std::filesystem;
using haal::tally::Json;

namespace {

fs::path fresh_dir(const std::string& name) {
  std::random_device rd;
  const fs::path p =
      fs::temp_directory_path() / ("haal-tally-" + name + "-" + std::to_string(rd()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A small record: a context, nested files, a path longer than 100 bytes, a 1-byte and an
// exactly-512-byte file.
fs::path sample_record() {
  const fs::path dir = fresh_dir("record");
  haal::tally::write_record_json(dir / "context.json",
                                 Json{{"election_id", "e1"}, {"group", "P-256"}});
  haal::tally::write_record_json(dir / "board" / "head.json", Json{{"tree_size", 3}});
  const std::string long_name = "mix/" + std::string(90, 'c') + "/nizkp/proofs/PoSReply01.bt";
  const std::string bytes512(512, 'x');
  haal::tally::write_record_bytes(
      dir / long_name,
      haal::crypto::ByteView(reinterpret_cast<const std::uint8_t*>(bytes512.data()), 512));
  haal::tally::write_record_bytes(
      dir / "a", haal::crypto::ByteView(reinterpret_cast<const std::uint8_t*>("z"), 1));
  return dir;
}

}  // namespace

TEST_CASE("record JSON files are canonical with one newline", "[record]") {
  const fs::path dir = fresh_dir("json");
  const Json j = {{"b", 1}, {"a", "\xc3\xa4"}};
  haal::tally::write_record_json(dir / "x" / "f.json", j);
  CHECK(slurp(dir / "x" / "f.json") == "{\"a\":\"\xc3\xa4\",\"b\":1}\n");
  CHECK(haal::tally::read_record_json(dir / "x" / "f.json") == j);
  CHECK_THROWS_WITH(haal::tally::read_record_json(dir / "missing.json"),
                    Catch::Contains("missing.json"));
  fs::remove_all(dir);
}

TEST_CASE("index.json lists every file with its size and SHA-256", "[record]") {
  const fs::path dir = sample_record();
  haal::tally::write_record_index(dir);
  const Json index = haal::tally::read_record_json(dir / "index.json");
  CHECK(index["format"] == "haal-record-v1");
  CHECK(index["election_id"] == "e1");
  CHECK(index["context_hash"] == haal::crypto::to_hex(haal::crypto::canonical_json_hash(
                                     haal::tally::read_record_json(dir / "context.json"))));
  REQUIRE(index["files"].size() == 4);
  std::vector<std::string> paths;
  for (const auto& f : index["files"]) {
    paths.push_back(f["path"]);
    const std::string content = slurp(dir / f["path"].get<std::string>());
    CHECK(f["bytes"] == content.size());
    CHECK(f["sha256"] == haal::crypto::to_hex(haal::crypto::sha256(std::string_view(content))));
  }
  CHECK(std::is_sorted(paths.begin(), paths.end()));
  CHECK(std::find(paths.begin(), paths.end(), "index.json") == paths.end());
  fs::remove_all(dir);
}

TEST_CASE("the record archive is deterministic ustar that the verifier reads back", "[record]") {
  const fs::path dir = sample_record();
  haal::tally::write_record_index(dir);
  const fs::path tar1 = dir.string() + "-1.tar", tar2 = dir.string() + "-2.tar";
  haal::tally::write_record_tar(dir, tar1);
  haal::tally::write_record_tar(dir, tar2);
  CHECK(slurp(tar1) == slurp(tar2));
  CHECK(fs::file_size(tar1) % 512 == 0);
  const auto reader = haal::verifier::RecordReader::open(tar1);
  const auto files = reader.files();
  CHECK(files.size() == 5);
  for (const auto& f : files) CHECK(reader.read(f) == slurp(dir / f));
  // A truncated archive is refused by the reader.
  std::string bytes = slurp(tar1);
  bytes.resize(bytes.size() - 1536);
  std::ofstream(tar2, std::ios::binary | std::ios::trunc) << bytes;
  CHECK_THROWS(haal::verifier::RecordReader::open(tar2));
  fs::remove_all(dir);
  fs::remove(tar1);
  fs::remove(tar2);
}

namespace {

// `value` as `digits` octal digits with leading zeros (docs/record.md, "RECORD.tar").
std::string octal(std::uintmax_t value, int digits) {
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0 && value > 0; --i, value /= 8) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 8);
  }
  return out;
}

// One member header rebuilt from the table of docs/record.md, field by field.
std::string spec_header(const std::string& path, std::uintmax_t size) {
  std::string name = path, prefix;
  if (path.size() > 100) {
    const std::size_t slash = path.rfind('/', 155);
    REQUIRE(slash != std::string::npos);
    prefix = path.substr(0, slash);
    name = path.substr(slash + 1);
    REQUIRE(name.size() <= 100);
  }
  std::string h(512, '\0');
  const auto put = [&h](std::size_t offset, const std::string& bytes) {
    h.replace(offset, bytes.size(), bytes);
  };
  put(0, name);
  put(100, octal(0644, 7));
  put(108, octal(0, 7));
  put(116, octal(0, 7));
  put(124, octal(size, 11));
  put(136, octal(0, 11));
  put(148, std::string(8, ' '));
  put(156, "0");
  put(257, std::string("ustar\0", 6));
  put(263, "00");
  put(345, prefix);
  unsigned sum = 0;
  for (const char c : h) sum += static_cast<unsigned char>(c);
  put(148, octal(sum, 6) + std::string(1, '\0') + " ");
  return h;
}

}  // namespace

TEST_CASE("the record archive has exactly the bytes docs/record.md specifies", "[record]") {
  const fs::path dir = sample_record();
  // Also a path of exactly 100 bytes (no NUL in the name field) and an empty file.
  const std::string exactly100 = "plaintexts/" + std::string(84, 'p') + ".json";
  REQUIRE(exactly100.size() == 100);
  haal::tally::write_record_bytes(dir / exactly100, haal::crypto::ByteView());
  haal::tally::write_record_index(dir);
  const fs::path tar = dir.string() + ".tar";
  haal::tally::write_record_tar(dir, tar);

  // The paths of index.json plus index.json itself, in bytewise order.
  std::vector<std::string> paths{"index.json"};
  const Json index = haal::tally::read_record_json(dir / "index.json");
  for (const auto& f : index["files"]) {
    paths.push_back(f["path"].get<std::string>());
  }
  std::sort(paths.begin(), paths.end());
  std::string expected;
  std::uintmax_t expected_size = 1024;
  for (const std::string& path : paths) {
    const std::string content = slurp(dir / path);
    expected += spec_header(path, content.size()) + content;
    expected += std::string((512 - content.size() % 512) % 512, '\0');
    expected_size += 512 + 512 * ((content.size() + 511) / 512);
  }
  expected += std::string(1024, '\0');  // two zero blocks, no padding to 10240 bytes
  const std::string actual = slurp(tar);
  CHECK(actual.size() == expected_size);
  CHECK(actual.size() % 10240 != 0);
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (actual[i] != expected[i]) FAIL("first differing byte at offset " << i);
  }
  // The worked example of docs/record.md: a 1-byte file "a" has checksum 3135 = "006077".
  CHECK(spec_header("a", 1).substr(148, 8) == std::string("006077\0 ", 8));
  CHECK(actual.substr(0, 512) == spec_header("a", 1));
  fs::remove_all(dir);
  fs::remove(tar);
}

TEST_CASE("an over-long path cannot be archived", "[record]") {
  const fs::path dir = fresh_dir("long");
  haal::tally::write_record_bytes(
      dir / std::string(120, 'n'),
      haal::crypto::ByteView(reinterpret_cast<const std::uint8_t*>("z"), 1));
  CHECK_THROWS_WITH(haal::tally::write_record_tar(dir, dir.string() + ".tar"),
                    Catch::Contains("too long"));
  fs::remove_all(dir);
}

TEST_CASE("mix session ids bind the election and the contest", "[mix]") {
  haal::crypto::Digest h{};
  h[0] = 0xab;
  CHECK(haal::tally::mix_session_id(h) == "Haalab" + std::string(62, '0'));
  CHECK(haal::tally::mix_auxiliary_session_id("city-council_2") == "c636974792d636f756e63696c5f32");
  CHECK(haal::tally::mix_auxiliary_session_id("mayor") == "c6d61796f72");
}
