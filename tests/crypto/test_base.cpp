// The base layer (crypto/base/): the parallel loop visits every index once and rethrows the
// lowest failing index's error whatever the scheduling; the progress line shows count, rate and
// ETA; the UTF-8 validator follows RFC 3629 to the byte; the file reader names the file and the
// reason.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/base/file.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/base/utf8.hpp"

using namespace haal::base;

TEST_CASE("parallel_for visits every index once, in blocks, on several threads") {
  for (const std::size_t block : {1, 7, 64, 5000}) {
    std::vector<std::atomic<int>> hits(1000);
    Progress progress("test", hits.size(), nullptr);
    parallel_for(
        hits.size(), block,
        [&](std::size_t begin, std::size_t end) {
          CHECK(end - begin <= block);
          for (std::size_t i = begin; i < end; ++i) hits[i]++;
        },
        &progress, 4);
    for (auto& h : hits) CHECK(h.load() == 1);
  }
  std::vector<std::atomic<int>> each(100);
  parallel_for_each(
      each.size(), [&](std::size_t i) { each[i]++; }, nullptr, 3);
  for (auto& h : each) CHECK(h.load() == 1);
  parallel_for(0, 16, [](std::size_t, std::size_t) { FAIL("body called on an empty range"); });
}

TEST_CASE("parallel_for rethrows the error of the lowest failing index on any thread count") {
  for (const unsigned threads : {1u, 2u, 8u}) {
    const auto boom = [](std::size_t i) {
      // The later failure is quicker, so with several threads it is usually caught first.
      if (i == 57) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        throw std::runtime_error("boom at 57");
      }
      if (i == 900) throw std::runtime_error("boom at 900");
    };
    CHECK_THROWS_WITH(parallel_for_each(1000, boom, nullptr, threads), "boom at 57");
    CHECK_THROWS_WITH(parallel_for(
                          1000, 10,
                          [&](std::size_t b, std::size_t e) {
                            for (std::size_t i = b; i < e; ++i) boom(i);
                          },
                          nullptr, threads),
                      "boom at 57");
  }
}

TEST_CASE("worker_count: an explicit request wins, then set_worker_count, then the hardware") {
  CHECK(worker_count(3) == 3);
  set_worker_count(5);
  CHECK(worker_count() == 5);
  CHECK(worker_count(2) == 2);
  set_worker_count(0);
  CHECK(worker_count() >= 1);
}

TEST_CASE("Progress prints count, rate and ETA, then a final line, and short steps stay silent") {
  std::ostringstream shown;
  {
    Progress progress("decrypting", 10, &shown, std::chrono::milliseconds(0));
    progress.advance(4);
    CHECK_THAT(shown.str(), Catch::Contains("decrypting: 4/10 (") && Catch::Contains("/s, ETA "));
    progress.advance(6);
    progress.finish();
    CHECK_THAT(shown.str(), Catch::Contains("decrypting: 10/10 (") && Catch::Contains(", took "));
    CHECK(shown.str().back() == '\n');
  }
  std::ostringstream quiet;
  {
    Progress progress("short", 10, &quiet);  // quiet for the first second
    progress.advance(10);
  }
  CHECK(quiet.str().empty());
}

TEST_CASE("UTF-8: RFC 3629 sequences accepted, every ill-formed kind rejected at its offset") {
  CHECK(is_valid_utf8_var(""));
  CHECK(is_valid_utf8_var("plain ASCII"));
  CHECK(is_valid_utf8_var("\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x97\xB3"));  // été € 🗳
  CHECK(is_valid_utf8_var("\xF4\x8F\xBF\xBF"));                                 // U+10FFFF
  CHECK(is_valid_utf8_var("\xED\x9F\xBF"));                                     // U+D7FF
  CHECK(utf8_sequence_length_var("a\xE2\x82\xAC", 1) == 3);
  CHECK(utf8_sequence_length_var("a", 1) == 0);
  for (const std::string& bad : {
           std::string("\x80"),              // lone continuation byte
           std::string("\xC0\xAF"),          // overlong '/'
           std::string("\xC1\xBF"),          // overlong
           std::string("\xE0\x9F\xBF"),      // overlong 3-byte
           std::string("\xF0\x8F\xBF\xBF"),  // overlong 4-byte
           std::string("\xED\xA0\x80"),      // surrogate U+D800
           std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
           std::string("\xF5\x80\x80\x80"),  // invalid lead byte
           std::string("\xFF"),              // invalid byte
           std::string("\xE2\x82"),          // truncated
           std::string("\xC3\x28"),          // bad continuation
       }) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_utf8_var(bad));
    CHECK_FALSE(is_valid_utf8_var("ok " + bad + " ok"));
    const TextFault fault = first_text_fault_var("ok " + bad);
    CHECK(fault.kind == TextFault::Kind::kNotUtf8);
    CHECK(fault.offset == 3);
  }
}

TEST_CASE("first_text_fault_var finds control characters and reports whichever fault comes first") {
  CHECK(first_text_fault_var("Z\xC3\xBCrich").kind == TextFault::Kind::kNone);
  const TextFault tab = first_text_fault_var("a\tb");
  CHECK(tab.kind == TextFault::Kind::kControlCharacter);
  CHECK(tab.offset == 1);
  CHECK(first_text_fault_var("ab\x7F").offset == 2);
  CHECK(first_text_fault_var(std::string("a\0b", 3)).kind == TextFault::Kind::kControlCharacter);
  CHECK(first_text_fault_var("\n\xFF").kind == TextFault::Kind::kControlCharacter);
  CHECK(first_text_fault_var("\xFF\n").kind == TextFault::Kind::kNotUtf8);
  CHECK(describe(first_text_fault_var("ab\xC0\xAF")) == "is not valid UTF-8 (byte 2)");
  CHECK(describe(first_text_fault_var("a\tb")) == "contains a control character (byte 1)");
  CHECK(describe(first_text_fault_var("fine")).empty());
}

TEST_CASE("read_file returns every byte and names the file and the reason when it cannot") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("haal-test-base-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string content("bytes\0with a NUL and \xFF", 23);
  std::ofstream(dir / "f.bin", std::ios::binary) << content;
  CHECK(read_file(dir / "f.bin") == content);
  CHECK(read_file_bytes(dir / "f.bin") ==
        std::vector<std::uint8_t>(content.begin(), content.end()));
  std::ofstream(dir / "empty", std::ios::binary).flush();
  CHECK(read_file(dir / "empty").empty());
  CHECK_THROWS_WITH(read_file(dir / "missing.json"),
                    (dir / "missing.json").string() + ": cannot open: No such file or directory");
  CHECK_THROWS_AS(read_file(dir / "missing.json"), FileError);
  CHECK_THROWS_WITH(read_file(dir), dir.string() + ": is a directory");
  std::filesystem::remove_all(dir);
}
