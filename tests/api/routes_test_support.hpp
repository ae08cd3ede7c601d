// Test helpers for the route tests: a store in a temp dir filled through the
// Writer (tests/store/queries_test_support.hpp), a ReaderPool and a Router over
// it, and GET requests built as the server builds them. Every response a test
// receives is also recorded as a sample ({route, status, content_type, body})
// and, when the environment names CHAINSYNCD_API_SAMPLES_DIR, written there at
// the end of the test, where the openapi_samples ctest validates each one
// against /openapi.json's schema.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/router.hpp"
#include "store/reader_pool.hpp"
#include "tests/store/queries_test_support.hpp"

namespace csd::api_test {

using nlohmann::json;
using store_test::evm;
using store_test::fixed;
using store_test::id32;
using store_test::kMidnight;
using store_test::tst;
using Params = std::vector<std::pair<std::string, std::string>>;

// A response with its body parsed (null for a non-JSON body).
struct Reply {
  unsigned status = 0;
  json body;
  std::string route;
  ApiResponse raw;
};

// Every response of the test, written as one JSON array when the test ends.
class SampleRecorder {
 public:
  void add(const ApiRequest& request, const ApiResponse& response) {
    samples_.push_back(json{{"path", request.path},
                            {"route", response.route},
                            {"status", response.status},
                            {"content_type", response.content_type},
                            {"body", response.body}});
  }
  // Only when CHAINSYNCD_API_SAMPLES_DIR is set (the api_samples_record ctest).
  void write() const {
    const char* dir = std::getenv("CHAINSYNCD_API_SAMPLES_DIR");
    if (dir == nullptr || samples_.empty()) return;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::filesystem::create_directories(dir);
    std::ofstream out(std::filesystem::path(dir) /
                      (std::string(info->test_suite_name()) + "." + info->name() + ".json"));
    out << samples_.dump(1, ' ', false, json::error_handler_t::replace);
  }

 private:
  json samples_ = json::array();
};

// A store, a pool and a router; build the router after filling the store.
class RouteFixture : public ::testing::Test {
 protected:
  static constexpr std::int64_t kNow = kMidnight + 3600;  // 2023-11-14T01:00:00Z

  void TearDown() override { samples_.write(); }

  store_test::QueryStore store;
  RouterConfig config;

  Router& router() {
    if (!router_) {
      auto pool = ReaderPool::open(store.path(), 2);
      if (!pool) throw std::runtime_error(pool.error().message);
      pool_ = std::move(*pool);
      router_ = std::make_unique<Router>(*pool_, config);
    }
    return *router_;
  }

  static ApiRequest request(std::string path, const Params& query = {}, const Params& headers = {},
                            std::int64_t now = kNow) {
    ApiRequest r;
    r.method = "GET";
    r.path = path;
    r.raw_target = std::move(path);
    for (std::size_t i = 0; i < query.size(); ++i) {
      r.raw_target += (i == 0 ? "?" : "&") + query[i].first + "=" + query[i].second;
    }
    r.query = query;
    r.headers = headers;
    r.request_id = "req-test";
    r.now = now;
    return r;
  }

  Reply send(const ApiRequest& r) {
    Reply reply;
    reply.raw = router().handle(r);
    samples_.add(r, reply.raw);
    reply.status = reply.raw.status;
    reply.route = reply.raw.route;
    if (reply.raw.content_type == "application/json") {
      reply.body = json::parse(reply.raw.body, nullptr, false);
      EXPECT_FALSE(reply.body.is_discarded()) << reply.raw.body;
    }
    return reply;
  }

  Reply get(std::string path, const Params& query = {}, const Params& headers = {}, std::int64_t now = kNow) {
    return send(request(std::move(path), query, headers, now));
  }

  // Asserts the SPEC 5 error shape and returns its "error" object.
  static json expect_error(const Reply& reply, unsigned status, std::string_view code) {
    EXPECT_EQ(reply.status, status) << reply.raw.body;
    if (!reply.body.is_object() || !reply.body.contains("error")) {
      ADD_FAILURE() << "no error object: " << reply.raw.body;
      return json::object();
    }
    const json& error = reply.body["error"];
    EXPECT_EQ(error.value("code", ""), code) << reply.raw.body;
    EXPECT_EQ(error.value("request_id", ""), "req-test");
    EXPECT_TRUE(error.contains("message") && error["message"].is_string());
    EXPECT_TRUE(error.contains("details") && error["details"].is_object());
    EXPECT_TRUE(error.contains("timestamp") && error["timestamp"].is_string());
    return error;
  }

  // An all-zero-padded hex id as the API prints it.
  static std::string hex_id(const Hash32& h) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out = "0x";
    for (const std::uint8_t b : h.bytes) {
      out += kDigits[b >> 4];
      out += kDigits[b & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<ReaderPool> pool_;
  std::unique_ptr<Router> router_;
  SampleRecorder samples_;
};

}  // namespace csd::api_test
