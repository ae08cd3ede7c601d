// Router: the meaning of the read-only API (SPEC 5). Maps an ApiRequest to
// the route it names, parses and checks its parameters, applies the optional
// signature auth, answers from one read snapshot of the store (never an RPC
// call) and renders the view as JSON with the SPEC 5 error shape on failure.
// ApiResponse.route is the route template, for metrics labels.
//
// Decisions that /openapi.json documents: unknown or repeated query
// parameters are a 400 INVALID_PARAMETER naming the parameter; times in
// filters are unix seconds or RFC 3339; a chain-derived view of a chain that
// has indexed nothing (or is disabled) is a 503 CHAIN_NOT_READY with that
// chain's /v1/status entry in `details`.
//
// Thread safety: immutable after construction; handle() is called
// concurrently from the server's threads, each call leasing its own reader
// connection from the pool.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>

#include "api/auth.hpp"
#include "api/http_message.hpp"
#include "store/queries.hpp"
#include "store/reader_pool.hpp"

namespace csd {

struct ChainRouteConfig {
  bool enabled = true;
  // /health degrades when head − indexed exceeds this (blocks, or slots on Solana).
  std::uint64_t health_max_lag = 100;
  // /health degrades when the chain's sync status (or, while none was
  // recorded, its checkpoint) was last updated longer ago than this.
  std::int64_t health_max_staleness_s = 120;
};

struct RouterConfig {
  QueryConfig query;  // tier/discount tables (incl. solana token_decimals), solid_confirmations
  std::array<ChainRouteConfig, 3> chains;  // index: ChainId − 1
  AuthConfig auth;
  std::function<std::string()> render_metrics;  // the /metrics body; empty when unset

  [[nodiscard]] const ChainRouteConfig& chain(ChainId id) const noexcept {
    return chains[static_cast<std::size_t>(id) - 1];
  }
};

class Router {
 public:
  // REQUIRES: pool outlives the Router.
  Router(ReaderPool& pool, RouterConfig config);

  [[nodiscard]] ApiResponse handle(const ApiRequest& request) const;

  // An ApiHandler for the server, borrowing this Router.
  // REQUIRES: the Router outlives every call of the handler (stop the server first).
  [[nodiscard]] ApiHandler handler() const {
    return [this](const ApiRequest& request) { return handle(request); };
  }

 private:
  ReaderPool* pool_;
  const RouterConfig config_;
  const Authenticator auth_;
};

}  // namespace csd
