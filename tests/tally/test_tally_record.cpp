// The record writer (tally/tally_record.hpp) read back by the verifier's independent reader,
// and the mix-net session identifiers of docs/record.md.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "crypto/canonical_json.hpp"
#include "crypto/sha256.hpp"
#include "tally/tally_mix.hpp"
#include "tally/tally_record.hpp"
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
