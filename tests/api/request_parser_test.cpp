// Tests of api/request_parser.hpp: percent-decoding (RFC 3986 §2.1), query
// parsing (application/x-www-form-urlencoded, WHATWG URL §5.1), request
// targets (RFC 9112 §3.2), X-Request-Id, and the SPEC 5 policy on heads.
#include "api/request_parser.hpp"

#include <string>
#include <variant>

#include <gtest/gtest.h>

namespace csd {
namespace {

RequestHead get_head(std::string target) {
  RequestHead head;
  head.method = "GET";
  head.target = std::move(target);
  head.headers = {{"Host", "127.0.0.1"}, {"X-Custom", "Value"}};
  return head;
}

RequestRefusal refusal_of(const RequestHead& head, std::size_t target_limit = 2048) {
  auto outcome = interpret_head(head, RequestLimits{target_limit}, "id", 7);
  EXPECT_TRUE(std::holds_alternative<RequestRefusal>(outcome)) << head.method << " " << head.target;
  if (auto* refusal = std::get_if<RequestRefusal>(&outcome)) return *refusal;
  return {};
}

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
  EXPECT_EQ(percent_decode("a%20b%2fc%2Fd", false).value(), "a b/c/d");
  EXPECT_EQ(percent_decode("%E2%82%ac", false).value(), "\xE2\x82\xAC");  // U+20AC, RFC 3629 example
  EXPECT_EQ(percent_decode("", false).value(), "");
  EXPECT_EQ(percent_decode("100%25", false).value(), "100%");
}

TEST(PercentDecode, PlusIsSpaceOnlyInQueries) {
  EXPECT_EQ(percent_decode("a+b", false).value(), "a+b");
  EXPECT_EQ(percent_decode("a+b", true).value(), "a b");
  EXPECT_EQ(percent_decode("a%2Bb", true).value(), "a+b");
}

TEST(PercentDecode, RejectsBadEscapes) {
  for (const std::string_view bad : {"%", "%4", "a%zz", "%g0", "%0g", "abc%", "%%41"}) {
    const auto result = percent_decode(bad, false);
    ASSERT_FALSE(result.has_value()) << bad;
    EXPECT_NE(result.error().message.find("percent-escape"), std::string::npos) << result.error().message;
  }
}

TEST(PercentDecode, RejectsNulRawOrEscaped) {
  EXPECT_FALSE(percent_decode("a%00b", false).has_value());
  EXPECT_FALSE(percent_decode(std::string_view("a\0b", 3), true).has_value());
}

TEST(PercentDecode, RejectsInvalidUtf8) {
  EXPECT_FALSE(percent_decode("%C3%28", false).has_value());        // bad continuation
  EXPECT_FALSE(percent_decode("%C0%AF", false).has_value());        // overlong '/'
  EXPECT_FALSE(percent_decode("%ED%A0%80", false).has_value());     // UTF-16 surrogate
  EXPECT_FALSE(percent_decode("%F4%90%80%80", false).has_value());  // above U+10FFFF
  EXPECT_FALSE(percent_decode("%E2%82", false).has_value());        // truncated
  EXPECT_FALSE(percent_decode("%FF", false).has_value());
  EXPECT_TRUE(percent_decode("%F0%9F%98%80", false).has_value());  // U+1F600
  EXPECT_TRUE(percent_decode("%F4%8F%BF%BF", false).has_value());  // U+10FFFF, the last code point
}

TEST(ParseQuery, KeepsOrderDuplicatesAndEmptyValues) {
  const auto query = parse_query("a=1&b=x%20y&flag&a=2&c+d=e+f&empty=&k=v=w");
  ASSERT_TRUE(query.has_value()) << query.error().message;
  const QueryParams expected = {{"a", "1"},     {"b", "x y"},  {"flag", ""}, {"a", "2"},
                                {"c d", "e f"}, {"empty", ""}, {"k", "v=w"}};
  EXPECT_EQ(*query, expected);
}

TEST(ParseQuery, SkipsEmptySegments) {
  EXPECT_EQ(parse_query("").value(), QueryParams{});
  EXPECT_EQ(parse_query("&&a=1&&").value(), (QueryParams{{"a", "1"}}));
  EXPECT_EQ(parse_query("=v").value(), (QueryParams{{"", "v"}}));
}

TEST(ParseQuery, ErrorsNameTheParameter) {
  const auto bad_value = parse_query("limit=1&offset=%zz");
  ASSERT_FALSE(bad_value.has_value());
  EXPECT_EQ(bad_value.error().code, ErrorCode::kOutOfRange);
  EXPECT_NE(bad_value.error().message.find("'offset'"), std::string::npos) << bad_value.error().message;
  const auto bad_key = parse_query("li%0mit=1");
  ASSERT_FALSE(bad_key.has_value());
  EXPECT_NE(bad_key.error().message.find("li%0mit"), std::string::npos) << bad_key.error().message;
  EXPECT_FALSE(parse_query("a=%00").has_value());
}

TEST(ParseTarget, OriginForm) {
  const auto target = parse_target("/v1/ledger/0xAbC?limit=10&offset=0");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->path, "/v1/ledger/0xAbC");
  EXPECT_EQ(target->query, (QueryParams{{"limit", "10"}, {"offset", "0"}}));
  EXPECT_EQ(parse_target("/").value().path, "/");
  EXPECT_EQ(parse_target("/a?").value().query, QueryParams{});
  EXPECT_EQ(parse_target("/a%3Fb?c=d%3F").value().path, "/a?b");  // an escaped '?' is data
}

TEST(ParseTarget, AbsoluteForm) {  // RFC 9112 §3.2.2
  const auto target = parse_target("http://127.0.0.1:8645/v1/status?x=1");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target->path, "/v1/status");
  EXPECT_EQ(target->query, (QueryParams{{"x", "1"}}));
  EXPECT_EQ(parse_target("HTTP://example.com").value().path, "/");
  EXPECT_EQ(parse_target("https://h?a=b").value().query, (QueryParams{{"a", "b"}}));
}

TEST(ParseTarget, Rejections) {
  for (const std::string_view bad : {"", "*", "v1/status", "example.com:80", "/a#frag", "/a%zz", "/a%00"}) {
    const auto target = parse_target(bad);
    ASSERT_FALSE(target.has_value()) << bad;
    EXPECT_EQ(target.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(parse_target("/a?b=%zz").error().code, ErrorCode::kOutOfRange);  // the query's fault
}

TEST(RequestId, SaneIds) {
  EXPECT_TRUE(is_sane_request_id("a"));
  EXPECT_TRUE(is_sane_request_id("Req-1.2_3"));
  EXPECT_TRUE(is_sane_request_id(std::string(128, 'x')));
  EXPECT_FALSE(is_sane_request_id(std::string(129, 'x')));
  EXPECT_FALSE(is_sane_request_id(""));
  EXPECT_FALSE(is_sane_request_id("has space"));
  EXPECT_FALSE(is_sane_request_id("semi;colon"));
  EXPECT_FALSE(is_sane_request_id("new\nline"));
  EXPECT_FALSE(is_sane_request_id("\xC3\xA9"));
}

TEST(RequestId, FromBytesIs32LowercaseHex) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0xf0 + i);
  EXPECT_EQ(request_id_from_bytes(bytes), "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
}

TEST(InterpretHead, BuildsTheApiRequest) {
  RequestHead head = get_head("/v1/access/0xab?x=1+2");
  head.method = "HEAD";
  auto outcome = interpret_head(head, RequestLimits{}, "rid", 1234);
  ASSERT_TRUE(std::holds_alternative<ApiRequest>(outcome));
  const ApiRequest& request = std::get<ApiRequest>(outcome);
  EXPECT_EQ(request.method, "HEAD");
  EXPECT_EQ(request.path, "/v1/access/0xab");
  EXPECT_EQ(request.raw_target, "/v1/access/0xab?x=1+2");
  EXPECT_EQ(request.query_param("x"), "1 2");
  EXPECT_EQ(request.header("x-custom"), "Value");  // names lower-cased, values as sent
  EXPECT_EQ(request.header("host"), "127.0.0.1");
  EXPECT_EQ(request.request_id, "rid");
  EXPECT_EQ(request.now, 1234);
}

TEST(InterpretHead, MethodsOtherThanGetAndHeadAre405) {
  for (const std::string_view method :
       {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "get"}) {
    RequestHead head = get_head("/");
    head.method = std::string(method);
    const RequestRefusal refusal = refusal_of(head);
    EXPECT_EQ(refusal.status, 405u) << method;
    EXPECT_EQ(refusal.code, ApiErrorCode::kMethodNotAllowed);
    EXPECT_TRUE(refusal.allow_header);
    EXPECT_FALSE(refusal.must_close);
  }
  RequestHead post = get_head("/");
  post.method = "POST";
  post.content_length = 3;
  EXPECT_TRUE(refusal_of(post).must_close);  // the unread body must not be parsed as a request
}

TEST(InterpretHead, AnyBodyIs413) {
  RequestHead with_length = get_head("/");
  with_length.content_length = 1;
  EXPECT_EQ(refusal_of(with_length).status, 413u);
  EXPECT_EQ(refusal_of(with_length).code, ApiErrorCode::kPayloadTooLarge);
  EXPECT_TRUE(refusal_of(with_length).must_close);
  RequestHead chunked = get_head("/");
  chunked.chunked = true;
  EXPECT_EQ(refusal_of(chunked).status, 413u);
  RequestHead zero = get_head("/");
  zero.content_length = 0;  // "Content-Length: 0" is no body
  EXPECT_TRUE(std::holds_alternative<ApiRequest>(interpret_head(zero, RequestLimits{}, "id", 0)));
}

TEST(InterpretHead, TargetLimitIs414OnePastTheBound) {
  const std::string at_limit = "/" + std::string(99, 'a');
  EXPECT_TRUE(
      std::holds_alternative<ApiRequest>(interpret_head(get_head(at_limit), RequestLimits{100}, "id", 0)));
  const RequestRefusal refusal = refusal_of(get_head(at_limit + "a"), 100);
  EXPECT_EQ(refusal.status, 414u);
  EXPECT_EQ(refusal.code, ApiErrorCode::kUriTooLong);
}

TEST(InterpretHead, Http11NeedsExactlyOneHost) {  // RFC 9112 §3.2
  RequestHead none = get_head("/");
  none.headers = {};
  EXPECT_EQ(refusal_of(none).status, 400u);
  RequestHead two = get_head("/");
  two.headers.emplace_back("HOST", "other");
  EXPECT_EQ(refusal_of(two).code, ApiErrorCode::kBadRequest);
  RequestHead http10 = get_head("/");
  http10.version = 10;
  http10.headers = {};
  EXPECT_TRUE(std::holds_alternative<ApiRequest>(interpret_head(http10, RequestLimits{}, "id", 0)));
}

TEST(InterpretHead, BadTargetsAre400WithTheRightCode) {
  EXPECT_EQ(refusal_of(get_head("/a%zz")).code, ApiErrorCode::kBadRequest);
  EXPECT_EQ(refusal_of(get_head("/a?limit=%zz")).code, ApiErrorCode::kInvalidParameter);
  EXPECT_EQ(refusal_of(get_head("/a?limit=%zz")).status, 400u);
  EXPECT_EQ(refusal_of(get_head("*")).code, ApiErrorCode::kBadRequest);
}

TEST(OversizedHead, TellsLongTargetsFromLargeHeaders) {
  EXPECT_TRUE(oversized_head_is_long_target("GET /" + std::string(3000, 'a'), 2048));  // no line end yet
  EXPECT_TRUE(oversized_head_is_long_target("GET /" + std::string(3000, 'a') + " HTTP/1.1\r\nHost: x", 2048));
  EXPECT_FALSE(oversized_head_is_long_target("GET /a HTTP/1.1\r\nX: " + std::string(9000, 'b'), 2048));
  EXPECT_FALSE(oversized_head_is_long_target("GET /" + std::string(2047, 'a') + " HTTP/1.1\r\nX: y", 2048));
  EXPECT_TRUE(oversized_head_is_long_target("GET /" + std::string(2048, 'a') + " HTTP/1.1\r\nX: y", 2048));
  EXPECT_FALSE(oversized_head_is_long_target("", 2048));
}

}  // namespace
}  // namespace csd
