// TLS client setup shared by the HTTP and WebSocket transports: TLS 1.2+,
// peer verification against the system trust store or a CA file, SNI and
// RFC 6125 host-name verification. INTERNAL to chains/rpc: it includes
// Asio's SSL headers, so only chains/rpc/*.cpp include it.
//
// Thread safety: a context is shared read-only by the streams of one
// transport, which all run on that transport's thread.
#pragma once

#include <string>

#include <boost/asio/ssl.hpp>
#include <boost/system/error_code.hpp>

#include "chains/rpc/url.hpp"
#include "decoders/result.hpp"

namespace csd::rpc_detail {

// An SSL_CTX for clients. ca_file empty: the system store.
[[nodiscard]] Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_client_context(
    const std::string& ca_file);

// Before the handshake: SNI (host names only, RFC 6066 §3) and host-name
// verification of the peer certificate against url.host.
[[nodiscard]] Status prepare_tls_stream(SSL* ssl, const Url& url);

// A readable reason for a failed handshake: the X509 verification error when
// there is one ("hostname mismatch", "unable to get local issuer
// certificate"), else the transport error.
[[nodiscard]] std::string tls_failure_reason(SSL* ssl, const boost::system::error_code& ec);

}  // namespace csd::rpc_detail
