// Tests of api/errors.hpp: the SPEC 5 error shape, stable codes, RFC 3339
// and IMF-fixdate formatting.
#include "api/errors.hpp"

#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace csd {
namespace {

using Json = nlohmann::json;

constexpr ApiErrorCode kAllCodes[] = {
    ApiErrorCode::kInvalidAddress,    ApiErrorCode::kInvalidParameter, ApiErrorCode::kNotFound,
    ApiErrorCode::kMethodNotAllowed,  ApiErrorCode::kPayloadTooLarge,  ApiErrorCode::kUriTooLong,
    ApiErrorCode::kHeaderTooLarge,    ApiErrorCode::kBadRequest,       ApiErrorCode::kChainNotReady,
    ApiErrorCode::kUnauthorized,      ApiErrorCode::kInternal,         ApiErrorCode::kTimeout,
    ApiErrorCode::kServiceUnavailable};

TEST(Errors, CodeNamesAreStableAndDistinct) {
  // Names are part of the public API (clients switch on them): pin every one.
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kInvalidAddress), "INVALID_ADDRESS");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kInvalidParameter), "INVALID_PARAMETER");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kNotFound), "NOT_FOUND");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kMethodNotAllowed), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kPayloadTooLarge), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kUriTooLong), "URI_TOO_LONG");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kHeaderTooLarge), "HEADER_TOO_LARGE");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kBadRequest), "BAD_REQUEST");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kChainNotReady), "CHAIN_NOT_READY");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kUnauthorized), "UNAUTHORIZED");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kInternal), "INTERNAL");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kTimeout), "TIMEOUT");
  EXPECT_EQ(api_error_code_name(ApiErrorCode::kServiceUnavailable), "SERVICE_UNAVAILABLE");
  std::set<std::string_view> names;
  for (const ApiErrorCode code : kAllCodes) names.insert(api_error_code_name(code));
  EXPECT_EQ(names.size(), std::size(kAllCodes));
}

TEST(Errors, DefaultStatuses) {
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kInvalidAddress), 400u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kInvalidParameter), 400u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kBadRequest), 400u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kUnauthorized), 401u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kNotFound), 404u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kMethodNotAllowed), 405u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kTimeout), 408u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kPayloadTooLarge), 413u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kUriTooLong), 414u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kHeaderTooLarge), 431u);  // RFC 6585 §5
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kInternal), 500u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kChainNotReady), 503u);
  EXPECT_EQ(api_error_default_status(ApiErrorCode::kServiceUnavailable), 503u);
}

TEST(Errors, ResponseHasExactlyTheSpecShape) {
  const ApiResponse response =
      error_response(400, ApiErrorCode::kInvalidAddress, "address: bad checksum", "req-1", 951'782'400);
  EXPECT_EQ(response.status, 400u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.route, "unmatched");
  const Json body = Json::parse(response.body);
  ASSERT_TRUE(body.is_object());
  ASSERT_EQ(body.size(), 1u);
  const Json& error = body.at("error");
  ASSERT_EQ(error.size(), 5u);
  EXPECT_EQ(error.at("code"), "INVALID_ADDRESS");
  EXPECT_EQ(error.at("message"), "address: bad checksum");
  EXPECT_EQ(error.at("details"), Json::object());
  EXPECT_EQ(error.at("request_id"), "req-1");
  EXPECT_EQ(error.at("timestamp"), "2000-02-29T00:00:00Z");
  // Field order as SPEC 5 writes it.
  EXPECT_LT(response.body.find("\"code\""), response.body.find("\"message\""));
  EXPECT_LT(response.body.find("\"details\""), response.body.find("\"request_id\""));
}

TEST(Errors, DefaultStatusOverload) {
  const ApiResponse response = error_response(ApiErrorCode::kNotFound, "no such route", "r", 0);
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(Json::parse(response.body)["error"]["code"], "NOT_FOUND");
}

TEST(Errors, DetailsObjectIsEmbedded) {
  const ApiResponse response =
      error_response(503, ApiErrorCode::kChainNotReady, "bsc has indexed nothing yet", "r", 0,
                     R"({"chain":"bsc","indexed":null,"lag":12})");
  const Json details = Json::parse(response.body)["error"]["details"];
  EXPECT_EQ(details["chain"], "bsc");
  EXPECT_TRUE(details["indexed"].is_null());
  EXPECT_EQ(details["lag"], 12);
}

TEST(Errors, DetailsThatAreNotAnObjectBecomeEmpty) {
  for (const std::string_view bad : {"", "[1,2]", "42", "{\"a\":", "null"}) {
    const ApiResponse response = error_response(500, ApiErrorCode::kInternal, "x", "r", 0, bad);
    EXPECT_EQ(Json::parse(response.body)["error"]["details"], Json::object()) << bad;
  }
}

TEST(Errors, InvalidUtf8InMessageIsReplacedNotThrown) {
  const std::string message = std::string("bad \xff\xfe input");
  const ApiResponse response = error_response(400, ApiErrorCode::kInvalidParameter, message, "r", 0);
  const Json body = Json::parse(response.body);                               // parses: valid UTF-8
  EXPECT_EQ(body["error"]["message"], "bad \xEF\xBF\xBD\xEF\xBF\xBD input");  // U+FFFD twice
}

TEST(Errors, MessageIsJsonEscaped) {
  const ApiResponse response =
      error_response(400, ApiErrorCode::kInvalidParameter, "quote \" and \\ and \n", "r", 0);
  EXPECT_EQ(Json::parse(response.body)["error"]["message"], "quote \" and \\ and \n");
}

// Known answers computed from the proleptic Gregorian calendar (e.g. `date -u -d @N`).
TEST(Rfc3339, KnownAnswers) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(951'782'400), "2000-02-29T00:00:00Z");  // 2000 is a leap year (÷400)
  EXPECT_EQ(rfc3339_utc(951'868'800), "2000-03-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(4'102'444'799), "2099-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(1'777'550'400), "2026-04-30T12:00:00Z");  // SPEC 5's example
  EXPECT_EQ(rfc3339_utc(1'078'012'800), "2004-02-29T00:00:00Z");  // leap year (÷4)
  EXPECT_EQ(rfc3339_utc(4'107'542'400), "2100-03-01T00:00:00Z");  // 2100 is not a leap year (÷100)
  EXPECT_EQ(rfc3339_utc(4'107'542'399), "2100-02-28T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(2'147'483'647), "2038-01-19T03:14:07Z");  // the 32-bit time_t limit
  EXPECT_EQ(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(-86'400), "1969-12-31T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1'700'000'000), "2023-11-14T22:13:20Z");
}

TEST(Rfc3339, ClampsToFourDigitYears) {
  EXPECT_EQ(rfc3339_utc(std::numeric_limits<std::int64_t>::max()), "9999-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(253'402'300'799), "9999-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(253'402'300'800), "9999-12-31T23:59:59Z");
  EXPECT_EQ(rfc3339_utc(std::numeric_limits<std::int64_t>::min()), "0000-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(-62'167'219'200), "0000-01-01T00:00:00Z");
}

TEST(HttpDate, KnownAnswers) {
  EXPECT_EQ(http_date(784'111'777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110 §5.6.7's example
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(951'782'400), "Tue, 29 Feb 2000 00:00:00 GMT");
  EXPECT_EQ(http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
}

}  // namespace
}  // namespace csd
