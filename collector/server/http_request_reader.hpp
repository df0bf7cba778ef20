// Incremental, strict reader of one HTTP/1.1 request (RFC 9112) from the bytes a connection
// received: request line, headers and body under explicit limits, with the framing rules that
// keep a request unambiguous behind a proxy (section 6.3: conflicting Content-Length values or
// Content-Length with Transfer-Encoding are refused, not guessed at). The collector's front door
// (front_door.hpp) feeds it and hands only complete requests to workers. No I/O, not
// thread-safe (one reader per connection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace haal::collector {

struct RequestLimits {
  std::size_t max_header_bytes = 16 * 1024;  // request line + headers (+ chunked trailers)
  std::size_t max_headers = 64;              // header lines (+ trailer lines)
  std::size_t max_body_bytes = 256 * 1024;   // decoded body, whatever the framing
};

// Why a request is refused before it reaches a handler: the HTTP status, the API error code
// (docs/api.md section 9) and a message for the client.
struct RequestError {
  int status = 400;
  std::string code;
  std::string message;
};

struct ParsedRequest {
  std::string method;
  std::string target;
  std::string version;                                       // "HTTP/1.1" or "HTTP/1.0"
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order
  std::string body;                                          // decoded (chunked framing removed)
  bool keep_alive = true;  // false for "Connection: close" and HTTP/1.0 without keep-alive

  // Returns the request as a normalized HTTP/1.1 message for the router: the same request
  // line and headers without the framing headers (Content-Length, Transfer-Encoding, Expect)
  // and any REMOTE_ADDR / REMOTE_PORT / LOCAL_ADDR / LOCAL_PORT header (names the router
  // fills in itself), then "Content-Length: <decoded size>" and the decoded body.
  std::string normalized() const;
};

class RequestReader {
 public:
  enum class State { need_more, head_complete, complete, failed };

  explicit RequestReader(RequestLimits limits) : limits_(limits) {}

  // Consumes what it can of `input` (erasing the consumed prefix; bytes of a following,
  // pipelined request stay in it) and returns the new state. `head_complete` is returned once,
  // when the head has been read and a body is expected: the caller may answer
  // "100 Continue" (see expects_continue()) and must call feed() again. After `complete` the
  // request is in request(); after `failed` the error is in error() and the connection must be
  // closed (its framing is unknown). Linear in the bytes consumed.
  State feed(std::string& input);

  // True iff the head carried "Expect: 100-continue" and a body is to be read.
  bool expects_continue() const { return expect_continue_; }
  // True once any byte of a request was consumed (an idle connection has none).
  bool started() const { return started_; }
  const ParsedRequest& request() const { return request_; }
  const RequestError& error() const { return error_; }
  State state() const { return state_; }

  // Forgets the current request (after it was answered) to read the next one.
  void reset();

 private:
  enum class Body { none, length, chunk_size, chunk_data, chunk_crlf, trailers };
  State fail(int status, std::string code, std::string message);
  State parse_head(std::string_view head);
  State feed_body(std::string& input);
  // Moves up to remaining_ body bytes of `input` from `at` into the body; true once none remain.
  bool take_body(const std::string& input, std::size_t& at);

  RequestLimits limits_;
  State state_ = State::need_more;
  Body body_ = Body::none;
  bool started_ = false;
  bool expect_continue_ = false;
  std::size_t scanned_ = 0;        // head bytes already searched for the blank line
  std::uint64_t remaining_ = 0;    // body bytes (length) or chunk bytes still to read
  std::size_t trailer_bytes_ = 0;  // bytes of chunked trailers so far
  std::size_t trailer_lines_ = 0;
  ParsedRequest request_;
  RequestError error_;
};

// Returns the value of header `name` (case-insensitive) of `headers`, if present (the first).
std::optional<std::string> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name);

// Returns an HTTP/1.1 response carrying the API's JSON error form for `error`, with
// "Connection: close".
std::string error_response(const RequestError& error);

}  // namespace haal::collector
