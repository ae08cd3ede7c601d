// TLS of the RPC transports (chains/rpc/tls_context): a CA and server
// certificate made in the test, an HTTPS test node, and the three outcomes
// an operator meets: trusted, untrusted CA, wrong host name.
#include <fstream>

#include <gtest/gtest.h>

#include "chains/rpc/http_transport.hpp"
#include "tests/chains/support/test_certs.hpp"
#include "tests/chains/support/test_http_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd {
namespace {

using namespace std::chrono_literals;
using testing_support::Behavior;
using testing_support::TestHttpServer;

class RpcTls : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = testing_support::make_test_pki("DNS:localhost");
    ca_file_ = dir_.file("ca.pem").string();
    std::ofstream(ca_file_) << pki_.ca_cert_pem;
    server_ = std::make_unique<TestHttpServer>(
        testing_support::make_server_tls(pki_.server_cert_pem, pki_.server_key_pem, pki_.ca_cert_pem));
    server_->set_fallback([](const auto&) { return Behavior::ok(R"({"tls":true})"); });
  }

  HttpTransportConfig config(const std::string& host, std::string ca_file) const {
    HttpTransportConfig out;
    out.urls = {server_->url(host)};
    out.ca_file = std::move(ca_file);
    out.retry.initial_backoff = 1ms;
    out.retry.max_backoff = 5ms;
    out.retry.max_attempts = 2;
    return out;
  }

  testing_support::TempDir dir_;
  testing_support::TestPki pki_;
  std::string ca_file_;
  std::unique_ptr<TestHttpServer> server_;
};

TEST_F(RpcTls, TrustedCertificateWorksAndIsReused) {
  auto transport = HttpTransport::create(config("localhost", ca_file_));
  ASSERT_TRUE(transport) << transport.error().message;
  for (int i = 0; i < 3; ++i) {
    auto body = (*transport)->post("", "{}");
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ(*body, R"({"tls":true})");
  }
  EXPECT_EQ((*transport)->connections_opened(), 1u);  // one handshake, keep-alive after
  EXPECT_EQ(server_->request_count(), 3u);
}

TEST_F(RpcTls, UntrustedCertificateFailsClearly) {
  // Without ca_file the system store is used, which does not know our test CA.
  auto transport = HttpTransport::create(config("localhost", ""));
  ASSERT_TRUE(transport) << transport.error().message;
  auto body = (*transport)->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(body.error().message.find("TLS certificate verification failed"), std::string::npos)
      << body.error().message;
  EXPECT_NE(body.error().message.find("self-signed certificate"), std::string::npos) << body.error().message;
  EXPECT_EQ(server_->request_count(), 0u);
}

TEST_F(RpcTls, WrongHostNameFailsClearly) {
  // The certificate names only DNS:localhost (RFC 6125): 127.0.0.1 does not match.
  auto transport = HttpTransport::create(config("127.0.0.1", ca_file_));
  ASSERT_TRUE(transport) << transport.error().message;
  auto body = (*transport)->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(body.error().message.find("mismatch"), std::string::npos) << body.error().message;
  EXPECT_EQ(server_->request_count(), 0u);
}

TEST_F(RpcTls, PlainHttpToATlsPortFails) {
  HttpTransportConfig plain = config("localhost", "");
  plain.urls = {"http://localhost:" + std::to_string(server_->port())};
  plain.request_timeout = 5s;
  auto transport = HttpTransport::create(plain);
  ASSERT_TRUE(transport);
  auto body = (*transport)->post("", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(server_->request_count(), 0u);
}

}  // namespace
}  // namespace csd
