// The front door's request reader (collector/server/http_request_reader.hpp): honest requests in
// any split, pipelining and chunked bodies are read exactly; every limit and framing rule refuses.
#include <catch2/catch.hpp>

#include "collector/server/http_request_reader.hpp"

using haal::collector::RequestLimits;
using haal::collector::RequestReader;
using State = RequestReader::State;

namespace {

constexpr const char* kPost =
    "POST /api/ballots HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n";

// Feeds `bytes` one byte at a time (the worst split); returns the final state.
State feed_bytewise(RequestReader& reader, const std::string& bytes, std::string& rest) {
  State s = State::need_more;
  for (char c : bytes) {
    rest.push_back(c);
    s = reader.feed(rest);
    if (s == State::head_complete) s = reader.feed(rest);
    if (s == State::complete || s == State::failed) break;
  }
  return s;
}

RequestReader::State read_all(RequestReader& reader, std::string input) {
  State s = reader.feed(input);
  if (s == State::head_complete) s = reader.feed(input);
  return s;
}

}  // namespace

TEST_CASE("request reader: honest requests, any split, pipelined") {
  const std::string one = std::string(kPost) + "Content-Length: 7\r\n\r\n{\"a\":1}";
  const std::string two = "GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  RequestReader reader(RequestLimits{});
  std::string rest;
  REQUIRE(feed_bytewise(reader, one, rest) == State::complete);
  CHECK(reader.request().method == "POST");
  CHECK(reader.request().body == "{\"a\":1}");
  CHECK(reader.request().keep_alive);
  CHECK(rest.empty());

  std::string input = one + two;
  reader.reset();
  REQUIRE(read_all(reader, input) == State::complete);
  input = one + two;
  reader.reset();
  REQUIRE(reader.feed(input) == State::head_complete);
  REQUIRE(reader.feed(input) == State::complete);
  CHECK(input == two);  // the pipelined request is left for the next round
  reader.reset();
  REQUIRE(reader.feed(input) == State::complete);
  CHECK(reader.request().target == "/healthz");
  CHECK_FALSE(reader.request().keep_alive);
  const std::string normalized = reader.request().normalized();
  CHECK(normalized.find("Content-Length: 0\r\n\r\n") != std::string::npos);

  // Chunked with an extension and a trailer, fed byte by byte: decoded and re-framed.
  const std::string chunked = std::string(kPost) +
                              "Transfer-Encoding: chunked\r\n\r\n"
                              "3;ext=1\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nX-Trailer: t\r\n\r\n";
  reader.reset();
  rest.clear();
  REQUIRE(feed_bytewise(reader, chunked, rest) == State::complete);
  CHECK(reader.request().body == "{\"a\":1}");
  const std::string forwarded = reader.request().normalized();
  CHECK(forwarded.find("Transfer-Encoding") == std::string::npos);
  CHECK(forwarded.find("Content-Length: 7\r\n\r\n{\"a\":1}") != std::string::npos);
}

TEST_CASE("request reader: limits and framing rules refuse") {
  RequestLimits limits;
  limits.max_header_bytes = 1024;
  limits.max_headers = 8;
  limits.max_body_bytes = 100;
  auto refused = [&](const std::string& request) {
    RequestReader reader(limits);
    const State s = read_all(reader, request);
    return s == State::failed ? reader.error().status : 0;
  };
  const std::string post = kPost;
  // Honest at the limits.
  CHECK(refused(post + "Content-Length: 100\r\n\r\n" + std::string(100, 'x')) == 0);
  // Sizes.
  CHECK(refused(post + "Content-Length: 101\r\n\r\n") == 413);
  CHECK(refused(post + "Content-Length: 1000000000000\r\n\r\n") == 413);
  CHECK(refused(post + "Content-Length: 99999999999999999999999\r\n\r\n") == 413);
  CHECK(refused(post + "Transfer-Encoding: chunked\r\n\r\n65\r\n" + std::string(101, 'x')) == 413);
  CHECK(refused(post + "Transfer-Encoding: chunked\r\n\r\n40\r\n" + std::string(64, 'x') +
                "\r\n40\r\n") == 413);
  CHECK(refused("GET / HTTP/1.1\r\nHost: h\r\n" + std::string(2000, 'a')) == 431);
  std::string many = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 8; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  CHECK(refused(many + "\r\n") == 431);
  // Framing (RFC 9112 6.1, 6.3).
  CHECK(refused(post + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}") == 400);
  CHECK(refused(post + "Content-Length: 2, 3\r\n\r\n{}") == 400);
  CHECK(refused(post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}") == 0);
  CHECK(refused(post + "Content-Length: -1\r\n\r\n") == 400);
  CHECK(refused(post + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
  CHECK(refused(post + "Transfer-Encoding: gzip\r\n\r\n") == 501);
  CHECK(refused(post + "Transfer-Encoding: chunked, chunked\r\n\r\n") == 501);
  CHECK(refused(post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n") == 400);
  CHECK(refused(post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX") == 400);
  // Syntax.
  CHECK(refused("POST /x HTTP/1.1\r\nHost: h\r\nContent-Type : application/json\r\n\r\n") == 400);
  CHECK(refused("GET /x HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n") == 400);
  CHECK(refused("GET /x HTTP/1.1\r\n\r\n") == 400);  // no Host
  CHECK(refused("GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
  CHECK(refused("GET http://x/ HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(refused("GET /x HTTP/2.0\r\nHost: h\r\n\r\n") == 505);
  CHECK(refused("GET /x HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n") == 417);
  // Media type of POSTs.
  CHECK(refused("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}") == 415);
  CHECK(refused("POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\n\r\n") == 415);
  CHECK(refused("POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: application/json;charset=latin1"
                "\r\n\r\n") == 415);
  CHECK(refused("POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: Application/JSON; charset=UTF-8"
                "\r\n\r\n") == 0);
  // Headers the router sets itself never pass through.
  RequestReader reader(limits);
  std::string spoofed = "GET /x HTTP/1.1\r\nHost: h\r\nREMOTE_ADDR: 1.2.3.4\r\n\r\n";
  REQUIRE(reader.feed(spoofed) == State::complete);
  CHECK(reader.request().normalized().find("1.2.3.4") == std::string::npos);
}
