#include "chains/rpc/tls_context.hpp"

#include <boost/asio/ip/address.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace csd::rpc_detail {

namespace ssl = boost::asio::ssl;

Result<std::unique_ptr<ssl::context>> make_tls_client_context(const std::string& ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  // TLS 1.2 is the floor (RFC 8996 deprecates 1.0 and 1.1).
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                       ec);
  if (ec) return make_error(ErrorCode::kInternal, "tls: cannot set options: " + ec.message());
  context->set_verify_mode(ssl::verify_peer, ec);
  if (ec) return make_error(ErrorCode::kInternal, "tls: cannot set verify mode: " + ec.message());
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec)
      return make_error(ErrorCode::kUnavailable, "tls: cannot load the system trust store: " + ec.message());
  } else {
    context->load_verify_file(ca_file, ec);
    if (ec)
      return make_error(ErrorCode::kInvalidArgument,
                        "tls: cannot load ca_file " + ca_file + ": " + ec.message());
  }
  return context;
}

Status prepare_tls_stream(SSL* ssl_handle, const Url& url) {
  boost::system::error_code ec;
  (void)boost::asio::ip::make_address(url.host, ec);  // ec set: a host name, not an IP literal
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
  if (ec) {
    // SNI: the macro SSL_set_tlsext_host_name expands to this call.
    if (SSL_ctrl(ssl_handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(url.host.c_str())) != 1) {
      return make_error(ErrorCode::kInternal, "tls: cannot set SNI for " + url.host);
    }
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size()) != 1) {
      return make_error(ErrorCode::kInternal, "tls: cannot set host name check for " + url.host);
    }
  } else if (X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str()) != 1) {
    return make_error(ErrorCode::kInternal, "tls: cannot set IP address check for " + url.host);
  }
  return {};
}

std::string tls_failure_reason(SSL* ssl_handle, const boost::system::error_code& ec) {
  const long verify = SSL_get_verify_result(ssl_handle);
  if (verify != X509_V_OK) {
    return std::string("TLS certificate verification failed: ") + X509_verify_cert_error_string(verify);
  }
  return "TLS handshake failed: " + ec.message();
}

}  // namespace csd::rpc_detail
