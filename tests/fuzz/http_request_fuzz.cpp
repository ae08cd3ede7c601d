// Fuzz target: the HTTP request path of the API server with raw bytes in.
// The bytes go (1) straight through the pure parsers of api/request_parser
// (target, query, percent-decoding, request-id, oversized-head triage) and
// (2) through Beast's request parser with the server's header limit, whose
// head then meets the SPEC 5 policy (interpret_head) and error_response, and
// (3) every request that policy lets through is answered by the Router over a
// real store (one block indexed per chain, so parameters are parsed fully):
// the answer has a status in 200–599, a route label, and valid JSON.
// Invariants: decoded text never holds NUL or invalid UTF-8, paths start
// with '/', only GET/HEAD reach the handler, refusals carry the status and
// code that belong together, and every error body is valid JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "api/beast_request_head.hpp"
#include "api/errors.hpp"
#include "api/request_parser.hpp"
#include "api/router.hpp"
#include "store/reader_pool.hpp"
#include "store/writer.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

namespace http = boost::beast::http;

constexpr std::size_t kHeaderLimit = 8 * 1024;
constexpr std::size_t kTargetLimit = 2048;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool has_nul(std::string_view text) {
  return text.find('\0') != std::string_view::npos;
}

// Re-encodes every byte as %XX: decoding that must give the input back.
std::string percent_encode_all(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 0xf];
  }
  return out;
}

void check_pure_parsers(std::string_view text) {
  if (auto decoded = csd::percent_decode(text, false)) {
    check(decoded->size() <= text.size());
    check(!has_nul(*decoded));
    // Round trip: what decoded once decodes again from its full escaping.
    check(csd::percent_decode(percent_encode_all(*decoded), false).value() == *decoded);
  }
  if (auto query = csd::parse_query(text)) {
    for (const auto& [key, value] : *query) check(!has_nul(key) && !has_nul(value));
  }
  if (auto target = csd::parse_target(text)) {
    check(!target->path.empty() && target->path.front() == '/');
    check(!has_nul(target->path));
  }
  if (csd::is_sane_request_id(text)) check(!text.empty() && text.size() <= 128);
  (void)csd::oversized_head_is_long_target(text, kTargetLimit);
}

void check_refusal(const csd::RequestRefusal& refusal) {
  switch (refusal.status) {
    case 405:
      check(refusal.code == csd::ApiErrorCode::kMethodNotAllowed && refusal.allow_header);
      break;
    case 413:
      check(refusal.code == csd::ApiErrorCode::kPayloadTooLarge && refusal.must_close);
      break;
    case 414:
      check(refusal.code == csd::ApiErrorCode::kUriTooLong);
      break;
    case 400:
      check(refusal.code == csd::ApiErrorCode::kBadRequest ||
            refusal.code == csd::ApiErrorCode::kInvalidParameter);
      break;
    default:
      check(false);
  }
  check(refusal.status == 405 || !refusal.allow_header);
  const csd::ApiResponse response =
      csd::error_response(refusal.status, refusal.code, refusal.message, "fuzz", 1'777'550'400);
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  check(!body.is_discarded() && body.contains("error"));
}

// A store in a temp dir with one block indexed on each chain, and a Router
// over it; built on first use, removed at exit.
class RoutedStore {
 public:
  RoutedStore() {
    const auto database = dir_.file("store.db");
    {
      auto writer =
          csd::Writer::open(database, csd::StoreContracts{}, [] { return std::int64_t{1'777'550'400}; });
      check(writer.has_value());
      for (const csd::ChainId chain : csd::kAllChains) {
        csd::Batch batch;
        csd::BlockHeader block;
        block.height = 1;
        block.hash.bytes.fill(0x11);
        block.time = 1'777'550'000;
        batch.blocks.push_back(block);
        batch.checkpoint = block;
        check(writer->apply(chain, batch).has_value());
      }
    }
    auto pool = csd::ReaderPool::open(database, 1);
    check(pool.has_value());
    pool_ = std::move(*pool);
    router_ = std::make_unique<csd::Router>(*pool_, csd::RouterConfig{});
  }
  RoutedStore(const RoutedStore&) = delete;
  RoutedStore& operator=(const RoutedStore&) = delete;
  ~RoutedStore() {
    router_.reset();  // before dir_ goes: the pool holds the database open
    pool_.reset();
  }
  [[nodiscard]] const csd::Router& router() const { return *router_; }

 private:
  csd::testing_support::TempDir dir_;  // declared first: removed last
  std::unique_ptr<csd::ReaderPool> pool_;
  std::unique_ptr<csd::Router> router_;
};

const csd::Router& fuzz_router() {
  static const RoutedStore store;  // NOLINT: the harness's one fixture, built once
  return store.router();
}

void check_routed(const csd::ApiRequest& request) {
  const csd::ApiResponse response = fuzz_router().handle(request);
  check(response.status >= 200 && response.status <= 599);
  check(!response.route.empty());
  if (response.content_type == "application/json") {
    check(!nlohmann::json::parse(response.body, nullptr, false).is_discarded());
  }
}

void check_beast_and_policy(std::string_view text) {
  http::request_parser<http::empty_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
  parser.eager(false);
  boost::system::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(text.data(), text.size()), ec);
  check(used <= text.size());
  if (ec || !parser.is_header_done()) return;

  const csd::RequestHead head = csd::request_head_from(parser);

  const auto outcome = csd::interpret_head(head, csd::RequestLimits{kTargetLimit}, "fuzz", 0);
  if (const auto* request = std::get_if<csd::ApiRequest>(&outcome)) {
    check(request->method == "GET" || request->method == "HEAD");
    check(!request->path.empty() && request->path.front() == '/');
    check(!has_nul(request->path));
    check(head.target.size() <= kTargetLimit);
    check(!head.chunked && head.content_length.value_or(0) == 0);
    for (const auto& [name, value] : request->headers) {
      for (const char c : name) check(c < 'A' || c > 'Z');
    }
    check_routed(*request);
  } else {
    check_refusal(std::get<csd::RequestRefusal>(outcome));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_pure_parsers(text);
  check_beast_and_policy(text);
  return 0;
}
