#include "collector/server/http_request_reader.hpp"

#include <algorithm>
#include <cctype>

#include "crypto/json_codec.hpp"

namespace haal::collector {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 5.6.2 tchar.
bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char);
}

// Field values: visible characters, space and tab (RFC 9110 5.5); no CR, LF or NUL.
bool is_field_value(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
  });
}

// Splits a comma-separated list value into trimmed elements (empty elements kept).
std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const auto comma = value.find(',');
    out.push_back(trim(value.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    value.remove_prefix(comma + 1);
  }
}

// "application/json", optionally with "charset=utf-8" (the only parameter JSON allows, RFC 8259
// 11 says it has no effect; browsers add it).
bool is_json_media_type(std::string_view value) {
  const auto semicolon = value.find(';');
  if (!iequals(trim(value.substr(0, semicolon)), "application/json")) return false;
  if (semicolon == std::string_view::npos) return true;
  std::string_view parameter = trim(value.substr(semicolon + 1));
  return iequals(parameter, "charset=utf-8") || iequals(parameter, "charset=\"utf-8\"");
}

}  // namespace

std::optional<std::string> find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::string ParsedRequest::normalized() const {
  std::string out = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : headers) {
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
        iequals(name, "Expect") || iequals(name, "REMOTE_ADDR") || iequals(name, "REMOTE_PORT") ||
        iequals(name, "LOCAL_ADDR") || iequals(name, "LOCAL_PORT")) {
      continue;
    }
    out += name + ": " + value + "\r\n";
  }
  if (!keep_alive && !find_header(headers, "Connection")) out += "Connection: close\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out += body;
  return out;
}

std::string error_response(const RequestError& error) {
  const std::string body =
      crypto::Json{{"error", {{"code", error.code}, {"message", error.message}}}}.dump();
  return "HTTP/1.1 " + std::to_string(error.status) +
         " Error\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void RequestReader::reset() {
  state_ = State::need_more;
  body_ = Body::none;
  started_ = false;
  expect_continue_ = false;
  scanned_ = 0;
  remaining_ = 0;
  trailer_bytes_ = 0;
  trailer_lines_ = 0;
  request_ = ParsedRequest{};
  error_ = RequestError{};
}

RequestReader::State RequestReader::fail(int status, std::string code, std::string message) {
  error_ = RequestError{status, std::move(code), std::move(message)};
  return state_ = State::failed;
}

RequestReader::State RequestReader::feed(std::string& input) {
  if (state_ == State::failed || state_ == State::complete) return state_;
  if (state_ == State::need_more && body_ == Body::none) {
    if (!started_) {
      // RFC 9112 2.2: a server SHOULD ignore empty lines before the request line.
      std::size_t blank = 0;
      while (blank + 1 < input.size() && input[blank] == '\r' && input[blank + 1] == '\n') {
        blank += 2;
      }
      input.erase(0, blank);
      if (input.empty()) return state_;
      started_ = true;
    }
    const std::size_t from = scanned_ >= 3 ? scanned_ - 3 : 0;
    const std::size_t end = input.find("\r\n\r\n", from);
    if (end == std::string::npos) {
      scanned_ = input.size();
      if (input.size() > limits_.max_header_bytes) {
        return fail(431, "headers-too-large",
                    "the request line and headers exceed " +
                        std::to_string(limits_.max_header_bytes) + " bytes");
      }
      return state_;
    }
    if (end + 4 > limits_.max_header_bytes) {
      return fail(431, "headers-too-large",
                  "the request line and headers exceed " +
                      std::to_string(limits_.max_header_bytes) + " bytes");
    }
    const State s = parse_head(std::string_view(input).substr(0, end + 2));
    input.erase(0, end + 4);
    if (s == State::failed) return s;
    if (body_ == Body::none) return state_ = State::complete;
    return state_ = State::head_complete;
  }
  return feed_body(input);
}

RequestReader::State RequestReader::parse_head(std::string_view head) {
  // Request line: method SP request-target SP HTTP-version (RFC 9112 3).
  const auto line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(400, "bad-request", "the request line is not \"METHOD TARGET HTTP/1.1\"");
  }
  request_.method = std::string(line.substr(0, sp1));
  request_.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  request_.version = std::string(line.substr(sp2 + 1));
  if (!is_token(request_.method)) return fail(400, "bad-request", "the method is not a token");
  if (request_.target.empty() || request_.target.front() != '/' ||
      !std::all_of(request_.target.begin(), request_.target.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f;
      })) {
    return fail(400, "bad-request", "the request target must be an absolute path (origin-form)");
  }
  if (request_.version != "HTTP/1.1" && request_.version != "HTTP/1.0") {
    return fail(505, "http-version-not-supported", "only HTTP/1.1 and HTTP/1.0 are served");
  }

  // Header fields (RFC 9112 5): name ":" OWS value OWS, no obsolete line folding.
  std::string_view rest = line_end + 2 <= head.size() ? head.substr(line_end + 2) : "";
  while (!rest.empty()) {
    const auto eol = rest.find("\r\n");
    const std::string_view field = rest.substr(0, eol);
    rest.remove_prefix(eol + 2);
    if (request_.headers.size() >= limits_.max_headers) {
      return fail(431, "headers-too-large",
                  "more than " + std::to_string(limits_.max_headers) + " header fields");
    }
    if (!field.empty() && (field.front() == ' ' || field.front() == '\t')) {
      return fail(400, "bad-request", "obsolete line folding in a header field");
    }
    const auto colon = field.find(':');
    if (colon == std::string_view::npos || !is_token(field.substr(0, colon))) {
      return fail(400, "bad-request",
                  "a header field is not \"name: value\" (no whitespace before the colon)");
    }
    const std::string_view value = trim(field.substr(colon + 1));
    if (!is_field_value(value)) {
      return fail(
          400, "bad-request",
          "header \"" + std::string(field.substr(0, colon)) + "\" contains a control character");
    }
    request_.headers.emplace_back(field.substr(0, colon), value);
  }

  const bool http10 = request_.version == "HTTP/1.0";
  std::optional<std::string> host_seen;
  std::optional<std::string> content_length;
  bool chunked = false, transfer_encoding = false;
  for (const auto& [name, value] : request_.headers) {
    if (iequals(name, "Host")) {
      if (host_seen) return fail(400, "bad-request", "more than one Host header");
      host_seen = value;
    } else if (iequals(name, "Content-Length")) {
      // RFC 9112 6.3 rule 5: differing values (in one field or several) are unrecoverable.
      for (const std::string_view element : list_elements(value)) {
        if (element.empty() || !std::all_of(element.begin(), element.end(),
                                            [](char c) { return c >= '0' && c <= '9'; })) {
          return fail(400, "bad-framing", "Content-Length is not a decimal number");
        }
        if (element.size() > 18) {
          return fail(413, "payload-too-large",
                      "Content-Length " + std::string(element.substr(0, 32)) +
                          " exceeds the limit of " + std::to_string(limits_.max_body_bytes) +
                          " bytes");
        }
        if (content_length && *content_length != element) {
          return fail(400, "bad-framing", "conflicting Content-Length values");
        }
        content_length = std::string(element);
      }
    } else if (iequals(name, "Transfer-Encoding")) {
      transfer_encoding = true;
      for (const std::string_view element : list_elements(value)) {
        if (!iequals(element, "chunked") || chunked) {
          return fail(501, "unsupported-transfer-coding",
                      "only \"Transfer-Encoding: chunked\" is supported");
        }
        chunked = true;
      }
    } else if (iequals(name, "Connection")) {
      for (const std::string_view element : list_elements(value)) {
        if (iequals(element, "close")) request_.keep_alive = false;
      }
    } else if (iequals(name, "Expect")) {
      if (!iequals(value, "100-continue")) {
        return fail(417, "expectation-failed", "only \"Expect: 100-continue\" is supported");
      }
      expect_continue_ = true;
    }
  }
  if (!host_seen && !http10) return fail(400, "bad-request", "an HTTP/1.1 request needs a Host");
  if (http10) {
    const auto connection = find_header(request_.headers, "Connection");
    if (!connection || !iequals(trim(*connection), "keep-alive")) request_.keep_alive = false;
    if (transfer_encoding) {
      return fail(400, "bad-framing", "Transfer-Encoding in an HTTP/1.0 request");
    }
  }
  if (transfer_encoding && content_length) {
    // RFC 9112 6.1: a request with both is a smuggling attempt or a broken intermediary.
    return fail(400, "bad-framing", "both Content-Length and Transfer-Encoding");
  }
  std::uint64_t length = 0;
  if (content_length) {
    length = std::stoull(*content_length);
    if (length > limits_.max_body_bytes) {
      return fail(413, "payload-too-large",
                  "Content-Length " + *content_length + " exceeds the limit of " +
                      std::to_string(limits_.max_body_bytes) + " bytes");
    }
  }
  // The API's bodies are JSON (docs/api.md 2): anything else is refused before it is read.
  if (request_.method == "POST") {
    const auto type = find_header(request_.headers, "Content-Type");
    if (!type || !is_json_media_type(*type)) {
      return fail(415, "unsupported-media-type",
                  "POST bodies must be sent with \"Content-Type: application/json\"");
    }
  }
  if (chunked) {
    body_ = Body::chunk_size;
  } else if (length > 0) {
    body_ = Body::length;
    remaining_ = length;
  } else {
    // RFC 9112 6.3 rule 7: a request without Content-Length or chunked framing has no body.
    body_ = Body::none;
    expect_continue_ = false;
  }
  return state_;
}

bool RequestReader::take_body(const std::string& input, std::size_t& at) {
  const auto take =
      static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - at));
  request_.body.append(input, at, take);
  at += take;
  remaining_ -= take;
  return remaining_ == 0;
}

RequestReader::State RequestReader::feed_body(std::string& input) {
  std::size_t at = 0;
  auto finish = [&](State s) {
    input.erase(0, at);
    return s;
  };
  while (true) {
    switch (body_) {
      case Body::none:
        return finish(state_ = State::complete);
      case Body::length:
        if (!take_body(input, at)) return finish(state_ = State::need_more);
        body_ = Body::none;
        break;
      case Body::chunk_size: {
        // chunk-size [ chunk-ext ] CRLF (RFC 9112 7.1); extensions are ignored.
        const auto eol = input.find("\r\n", at);
        const std::size_t line_limit = 1024;
        if (eol == std::string::npos) {
          if (input.size() - at > line_limit) {
            return finish(fail(400, "bad-framing", "a chunk size line is longer than 1024 bytes"));
          }
          return finish(state_ = State::need_more);
        }
        if (eol - at > line_limit) {
          return finish(fail(400, "bad-framing", "a chunk size line is longer than 1024 bytes"));
        }
        const std::string_view line(input.data() + at, eol - at);
        std::string_view digits = line.substr(0, line.find(';'));
        while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) {
          digits.remove_suffix(1);
        }
        if (digits.empty() || digits.size() > 15 ||
            !std::all_of(digits.begin(), digits.end(),
                         [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
          return finish(fail(400, "bad-framing", "a chunk size is not a hexadecimal number"));
        }
        const std::uint64_t size = std::stoull(std::string(digits), nullptr, 16);
        at = eol + 2;
        if (size == 0) {
          body_ = Body::trailers;
          break;
        }
        if (size > limits_.max_body_bytes - request_.body.size()) {
          return finish(fail(413, "payload-too-large",
                             "the chunked request body exceeds the limit of " +
                                 std::to_string(limits_.max_body_bytes) + " bytes"));
        }
        remaining_ = size;
        body_ = Body::chunk_data;
        break;
      }
      case Body::chunk_data:
        if (!take_body(input, at)) return finish(state_ = State::need_more);
        body_ = Body::chunk_crlf;
        break;
      case Body::chunk_crlf:
        if (input.size() - at < 2) return finish(state_ = State::need_more);
        if (input.compare(at, 2, "\r\n") != 0) {
          return finish(fail(400, "bad-framing", "chunk data is not followed by CRLF"));
        }
        at += 2;
        body_ = Body::chunk_size;
        break;
      case Body::trailers: {
        // trailer-section CRLF: counted against the header limits, then discarded.
        const auto eol = input.find("\r\n", at);
        const std::size_t available = eol == std::string::npos ? input.size() - at : eol - at;
        if (trailer_bytes_ + available > limits_.max_header_bytes ||
            trailer_lines_ >= limits_.max_headers) {
          return finish(fail(431, "headers-too-large", "the chunked trailers are too large"));
        }
        if (eol == std::string::npos) return finish(state_ = State::need_more);
        at = eol + 2;
        if (available == 0) {
          body_ = Body::none;
          return finish(state_ = State::complete);
        }
        trailer_bytes_ += available + 2;
        ++trailer_lines_;
        break;
      }
    }
  }
}

}  // namespace haal::collector
