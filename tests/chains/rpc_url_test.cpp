#include <gtest/gtest.h>

#include "chains/rpc/url.hpp"

namespace csd {
namespace {

TEST(RpcUrl, ParsesSchemeHostPortAndTarget) {
  auto url = parse_url("HTTPS://Node.Example.com:8545/v1/key?x=1");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "node.example.com");
  EXPECT_EQ(url->port, 8545);
  EXPECT_EQ(url->target, "/v1/key?x=1");
  EXPECT_TRUE(url->secure());
  EXPECT_EQ(url->redacted(), "https://node.example.com:8545/v1/key");
}

TEST(RpcUrl, DefaultsPortAndTargetFromTheScheme) {
  EXPECT_EQ(parse_url("http://a")->port, 80);
  EXPECT_EQ(parse_url("https://a")->port, 443);
  EXPECT_EQ(parse_url("ws://a")->port, 80);
  EXPECT_EQ(parse_url("wss://a")->port, 443);
  EXPECT_EQ(parse_url("http://a")->target, "/");
  EXPECT_EQ(parse_url("http://a?q=1")->target, "/?q=1");
  EXPECT_FALSE(parse_url("ws://a")->secure());
}

TEST(RpcUrl, KeepsUserinfoOutOfTheRedactedForm) {
  auto url = parse_url("https://user:p%40ss@rpc.example:443/secret-path?apikey=abc#frag");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->userinfo, "user:p@ss");              // RFC 3986 §2.1 percent-decoded
  EXPECT_EQ(url->target, "/secret-path?apikey=abc");  // the fragment is never sent (RFC 3986 §3.5)
  EXPECT_EQ(url->redacted(), "https://rpc.example:443/secret-path");
  EXPECT_EQ(url->redacted().find("apikey"), std::string::npos);
  EXPECT_EQ(url->redacted().find("p@ss"), std::string::npos);
}

TEST(RpcUrl, ParsesBracketedIpv6) {
  auto url = parse_url("http://[::1]:8545");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8545);
  EXPECT_EQ(url->host_header(), "[::1]:8545");
  EXPECT_EQ(parse_url("ws://[fe80::1]")->port, 80);
}

TEST(RpcUrl, PortBounds) {
  EXPECT_EQ(parse_url("http://a:1")->port, 1);
  EXPECT_EQ(parse_url("http://a:65535")->port, 65535);
  EXPECT_FALSE(parse_url("http://a:0"));
  EXPECT_FALSE(parse_url("http://a:65536"));
  EXPECT_FALSE(parse_url("http://a:"));
  EXPECT_FALSE(parse_url("http://a:80x"));
}

TEST(RpcUrl, RejectsWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"", "empty"},
      {"127.0.0.1:8545", "missing scheme"},
      {"ftp://a", "unsupported scheme \"ftp\""},
      {"http://", "missing host"},
      {"http://user@", "missing host"},
      {"http://a b", "whitespace"},
      {"http://[::1", "unterminated"},
      {"http://[::1]x", "after IPv6"},
      {"http://a%b", "bad character in host"},
      {"http://us%zzer@a", "percent-escape"},
      {"http://us%4@a", "percent-escape"},
  };
  for (const auto& c : cases) {
    auto url = parse_url(c.text);
    ASSERT_FALSE(url) << c.text;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument) << c.text;
    EXPECT_NE(url.error().message.find(c.reason), std::string::npos)
        << c.text << " -> " << url.error().message;
  }
}

}  // namespace
}  // namespace csd
