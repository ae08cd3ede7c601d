// request_head_from: the pure RequestHead (api/request_parser.hpp) of a
// request whose header Beast has parsed. Shared by the server and the HTTP
// fuzz target, so the fuzzer drives the very conversion the server runs.
// Includes Beast: only those two translation units include this header.
// Thread safety: a pure function.
#pragma once

#include <string>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include "api/request_parser.hpp"

namespace csd {

[[nodiscard]] inline RequestHead request_head_from(
    const boost::beast::http::request_parser<boost::beast::http::empty_body>& parser) {
  const auto& message = parser.get();
  RequestHead head;
  head.method = std::string(message.method_string());
  head.target = std::string(message.target());
  head.version = message.version();
  for (const auto& field : message) {
    head.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  head.chunked = parser.chunked();
  if (const auto length = parser.content_length()) head.content_length = *length;
  return head;
}

}  // namespace csd
