// TRON routes of SPEC 5 (payout by id, the filtered and paged payout list,
// batch, stats) through the Router over a real store filled through the Writer.
#include <gtest/gtest.h>

#include "decoders/hex.hpp"
#include "decoders/tron_address.hpp"
#include "routes_test_support.hpp"

namespace csd::api_test {
namespace {

// The USDT contract's address on TRON mainnet, as tronscan.org shows it, and its
// 20-byte hex form: used here as a recipient, so the base58check output has an
// independent known answer.
const std::string kUsdtBase58 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
EvmAddress usdt20() {
  return *fixed_from_hex<EvmAddress>("a614f803b6fd780986a42c78ec9c7f77e6ded13c");
}

std::int64_t time_of(std::uint64_t height) {
  return kMidnight + static_cast<std::int64_t>(height) * 3;
}

const Hash32 kA = id32(0xA);
const Hash32 kB = id32(0xB);
const Hash32 kC = id32(0xC);
const Hash32 kD = id32(0xD);
const Hash32 kE = id32(0xE);
const Hash32 kBatch = id32(0xBA);

// Blocks 1..6, solid_confirmations 3, no solidified head (confirmed up to block 4):
//   1: A executed (V0, batch) to USDT-address  SUCCESS -> confirmed
//   2: B PayoutFailed (KYC)                    SUCCESS -> failed
//   3: C executed (V0, batch) to USDT-address  REVERT  -> failed
//   4: D executed (KYC, batch), BatchSettled(3, 8 USDT) -> confirmed
//   5: E executed (V0, no batch) to USDT-address        -> pending
class RoutesTron : public RouteFixture {
 protected:
  void SetUp() override {
    config.query.solid_confirmations = 3;
    store.config.solid_confirmations = 3;
    const auto& mk = store.make();
    const Hash32 none;
    auto receipt = [&](std::uint64_t h, bool success, std::int64_t fee) {
      store.add_tx(
          TronTxInfo{store_test::LogMaker::tx_hash(h, 0), h, success, success ? "SUCCESS" : "REVERT", fee});
    };
    auto h = store.block(time_of(1));
    store.add(mk.payout_executed(0, h, 0, kA, usdt20(), U256(1'000'000), kBatch, "salary"));
    receipt(h, true, 1'100'000);
    h = store.block(time_of(2));
    store.add(mk.payout_failed(1, h, 0, kB, evm(2), U256(2'000'000), "kyc expired"));
    receipt(h, true, 0);
    h = store.block(time_of(3));
    store.add(mk.payout_executed(0, h, 0, kC, usdt20(), U256(3'000'000), kBatch, "bonus"));
    receipt(h, false, 500);
    h = store.block(time_of(4));
    store.add(mk.payout_executed(1, h, 0, kD, evm(3), U256(4'000'000), kBatch, "fee"));
    store.add(mk.batch_settled(1, h, 1, kBatch, U256(3), U256(8'000'000)));
    receipt(h, true, 7);
    h = store.block(time_of(5));
    store.add(mk.payout_executed(0, h, 0, kE, usdt20(), U256(5'000'000), none, "later"));
    receipt(h, true, 9);
    store.block(time_of(6));
    store.commit(ChainId::kTron);
  }
  static std::vector<std::string> ids(const Reply& reply) {
    std::vector<std::string> out;
    for (const json& p : reply.body["payouts"]) out.push_back(p["payout_id"]);
    return out;
  }
  std::string router0() const {
    return to_base58(tron_address_from_evm20(store.contracts().tron_routers[0].address));
  }
};

TEST_F(RoutesTron, PayoutFieldByField) {
  const Reply reply = get("/v1/payouts/" + hex_id(kA));
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.route, "/v1/payouts/{payout_id}");
  const json& b = reply.body;
  EXPECT_EQ(b["payout_id"], hex_id(kA));
  EXPECT_EQ(b["status"], "confirmed");
  EXPECT_EQ(b["router_type"], "PayoutRouterV0");
  EXPECT_EQ(b["router_address"], router0());
  EXPECT_EQ(b["recipient_address"], kUsdtBase58);
  EXPECT_EQ(b["amount"], "1000000");
  EXPECT_EQ(b["amount_usdt"], "1");
  EXPECT_EQ(b["batch_id"], hex_id(kBatch));
  EXPECT_EQ(b["reason"], "salary");
  EXPECT_TRUE(b["error"].is_null());
  EXPECT_EQ(b["txid"], hex_id(store_test::LogMaker::tx_hash(1, 0)));
  EXPECT_EQ(b["block_number"], 1);
  EXPECT_EQ(b["block_timestamp"], "2023-11-14T00:00:03Z");
  EXPECT_EQ(b["confirmations"], 6);
  EXPECT_EQ(b["fee_trx"], "1.1");  // 1 100 000 sun
  EXPECT_EQ(b["receipt_result"], "SUCCESS");
  EXPECT_EQ(b["confirmed_at"], "2023-11-14T00:00:09Z");  // block 1 + 3 − 1
  EXPECT_EQ(b["as_of"]["chain"], "tron");
  EXPECT_EQ(b["as_of"]["block"], 6);

  const Reply failed = get("/v1/payouts/" + hex_id(kB));
  ASSERT_EQ(failed.status, 200u);
  EXPECT_EQ(failed.body["status"], "failed");
  EXPECT_EQ(failed.body["error"], "kyc expired");
  EXPECT_TRUE(failed.body["batch_id"].is_null());
  EXPECT_TRUE(failed.body["confirmed_at"].is_null());
  EXPECT_EQ(failed.body["fee_trx"], "0");
  // The id without 0x and in upper case names the same payout.
  std::string bare = hex_id(kE).substr(2);
  for (char& c : bare) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const Reply pending = get("/v1/payouts/" + bare);
  ASSERT_EQ(pending.status, 200u);
  EXPECT_EQ(pending.body["status"], "pending");
  EXPECT_EQ(pending.body["confirmations"], 2);
}

TEST_F(RoutesTron, UnknownAndMalformedIds) {
  const json missing = expect_error(get("/v1/payouts/" + hex_id(id32(0x77))), 404, "NOT_FOUND");
  EXPECT_NE(missing["message"].get<std::string>().find(hex_id(id32(0x77))), std::string::npos);
  for (const std::string& bad :
       {std::string("0x1234"), hex_id(kA) + "00", "0x" + std::string(63, 'a') + "g"}) {
    const json error = expect_error(get("/v1/payouts/" + bad), 400, "INVALID_PARAMETER");
    EXPECT_EQ(error["details"]["parameter"], "payout_id");
  }
  expect_error(get("/v1/payouts/batch/" + hex_id(id32(0x78))), 404, "NOT_FOUND");
  const json batch = expect_error(get("/v1/payouts/batch/xyz"), 400, "INVALID_PARAMETER");
  EXPECT_EQ(batch["details"]["parameter"], "batch_id");
  expect_error(get("/v1/payouts/batch"), 400, "INVALID_PARAMETER");  // "batch" is not a payout id
}

TEST_F(RoutesTron, ListFiltersAndPagination) {
  const Reply all = get("/v1/payouts");
  ASSERT_EQ(all.status, 200u) << all.raw.body;
  EXPECT_EQ(all.route, "/v1/payouts");
  EXPECT_EQ(ids(all), (std::vector<std::string>{hex_id(kE), hex_id(kD), hex_id(kC), hex_id(kB), hex_id(kA)}));
  EXPECT_EQ(all.body["pagination"],
            (json{{"total", 5}, {"limit", 20}, {"offset", 0}, {"has_next", false}, {"has_previous", false}}));
  EXPECT_EQ(all.body["filters"], (json{{"status", nullptr},
                                       {"router_type", nullptr},
                                       {"recipient", nullptr},
                                       {"txid", nullptr},
                                       {"start_date", nullptr},
                                       {"end_date", nullptr}}));
  EXPECT_EQ(all.body["as_of"]["block"], 6);

  EXPECT_EQ(ids(get("/v1/payouts", {{"status", "failed"}})),
            (std::vector<std::string>{hex_id(kC), hex_id(kB)}));
  EXPECT_EQ(ids(get("/v1/payouts", {{"router_type", "PayoutRouterKYC"}})),
            (std::vector<std::string>{hex_id(kD), hex_id(kB)}));
  const Reply mine = get("/v1/payouts", {{"recipient", kUsdtBase58}, {"status", "confirmed"}});
  EXPECT_EQ(ids(mine), (std::vector<std::string>{hex_id(kA)}));
  EXPECT_EQ(mine.body["filters"]["recipient"], kUsdtBase58);
  EXPECT_EQ(mine.body["filters"]["status"], "confirmed");
  const Reply by_tx = get("/v1/payouts", {{"txid", hex_id(store_test::LogMaker::tx_hash(3, 0))}});
  EXPECT_EQ(ids(by_tx), (std::vector<std::string>{hex_id(kC)}));
  // start_date as RFC 3339, end_date as unix seconds: blocks 2..4.
  const Reply window =
      get("/v1/payouts", {{"start_date", "2023-11-14T00:00:06Z"}, {"end_date", std::to_string(time_of(4))}});
  ASSERT_EQ(window.status, 200u) << window.raw.body;
  EXPECT_EQ(ids(window), (std::vector<std::string>{hex_id(kD), hex_id(kC), hex_id(kB)}));
  EXPECT_EQ(window.body["filters"]["start_date"], "2023-11-14T00:00:06Z");
  EXPECT_EQ(window.body["filters"]["end_date"], "2023-11-14T00:00:12Z");
  // An offset of +01:00 is an hour earlier in UTC.
  EXPECT_EQ(ids(get("/v1/payouts", {{"start_date", "2023-11-14T01:00:13+01:00"}})),
            (std::vector<std::string>{hex_id(kE)}));

  const Reply page = get("/v1/payouts", {{"limit", "2"}, {"offset", "4"}});
  EXPECT_EQ(ids(page), (std::vector<std::string>{hex_id(kA)}));
  EXPECT_EQ(page.body["pagination"]["has_previous"], true);
  EXPECT_EQ(page.body["pagination"]["has_next"], false);
  const Reply none = get("/v1/payouts", {{"limit", "0"}});
  EXPECT_TRUE(none.body["payouts"].empty());
  EXPECT_EQ(none.body["pagination"]["total"], 5);
  EXPECT_TRUE(get("/v1/payouts", {{"offset", "5"}}).body["payouts"].empty());
  EXPECT_EQ(get("/v1/payouts", {{"limit", "100"}}).body["payouts"].size(), 5u);
}

TEST_F(RoutesTron, ListBadFilters) {
  struct Case {
    const char* name;
    const char* value;
    const char* code;
  };
  for (const Case c :
       {Case{"status", "done", "INVALID_PARAMETER"},
        Case{"router_type", "payoutrouterv0", "INVALID_PARAMETER"},
        Case{"recipient", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T", "INVALID_ADDRESS"},  // checksum
        Case{"recipient", "0xe000000000000000000000000000000000000001x", "INVALID_ADDRESS"},
        Case{"txid", "0x12", "INVALID_PARAMETER"},
        Case{"start_date", "2023-13-01T00:00:00Z", "INVALID_PARAMETER"},
        Case{"start_date", "2023-02-29T00:00:00Z", "INVALID_PARAMETER"},
        Case{"end_date", "2023-11-14 00:00:00", "INVALID_PARAMETER"},
        Case{"end_date", "-5", "INVALID_PARAMETER"},
        Case{"end_date", "99999999999999999999", "INVALID_PARAMETER"},
        Case{"limit", "101", "INVALID_PARAMETER"}, Case{"offset", "-1", "INVALID_PARAMETER"},
        Case{"limt", "1", "INVALID_PARAMETER"}}) {
    const json error = expect_error(get("/v1/payouts", {{c.name, c.value}}), 400, c.code);
    EXPECT_EQ(error["details"]["parameter"], c.name) << c.value;
  }
  const json order =
      expect_error(get("/v1/payouts", {{"start_date", "20"}, {"end_date", "10"}}), 400, "INVALID_PARAMETER");
  EXPECT_NE(order["message"].get<std::string>().find("after"), std::string::npos);
}

TEST_F(RoutesTron, Batch) {
  const Reply reply = get("/v1/payouts/batch/" + hex_id(kBatch));
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.route, "/v1/payouts/batch/{batch_id}");
  const json& b = reply.body;
  EXPECT_EQ(b["batch_id"], hex_id(kBatch));
  EXPECT_EQ(b["total_payouts"], 3);
  EXPECT_EQ(b["completed_payouts"], 2);
  EXPECT_EQ(b["failed_payouts"], 1);
  EXPECT_EQ(b["pending_payouts"], 0);
  EXPECT_EQ(b["status"], "partially_failed");
  EXPECT_EQ(b["total_amount_usdt"], "8");      // the BatchSettled total
  EXPECT_EQ(b["completed_amount_usdt"], "5");  // A + D
  EXPECT_EQ(b["settled_count"], "3");
  EXPECT_EQ(b["settled_txid"], hex_id(store_test::LogMaker::tx_hash(4, 1)));
  EXPECT_EQ(b["as_of"]["block"], 6);
}

TEST_F(RoutesTron, Stats) {
  const Reply reply = get("/v1/payouts/stats");
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.route, "/v1/payouts/stats");
  const json& b = reply.body;
  EXPECT_EQ(b["period"], "day");
  EXPECT_TRUE(b["router_type"].is_null());
  EXPECT_EQ(b["window_start"], "2023-11-13T01:00:00Z");
  EXPECT_EQ(b["window_end"], "2023-11-14T01:00:00Z");
  EXPECT_EQ(b["total_payouts"], 5);
  EXPECT_EQ(b["confirmed_payouts"], 2);
  EXPECT_EQ(b["failed_payouts"], 2);
  EXPECT_EQ(b["pending_payouts"], 1);
  EXPECT_EQ(b["total_amount_usdt"], "15");
  EXPECT_EQ(b["success_rate"], "50");  // 2 confirmed of 4 decided
  EXPECT_EQ(b["average_amount_usdt"], "3");
  EXPECT_EQ(
      b["payouts_by_router"],
      (json::array(
          {json{{"router_type", "PayoutRouterV0"}, {"total_payouts", 3}, {"total_amount_usdt", "9"}},
           json{{"router_type", "PayoutRouterKYC"}, {"total_payouts", 2}, {"total_amount_usdt", "6"}}})));

  const Reply kyc = get("/v1/payouts/stats", {{"period", "hour"}, {"router_type", "PayoutRouterKYC"}});
  ASSERT_EQ(kyc.status, 200u);
  EXPECT_EQ(kyc.body["period"], "hour");
  EXPECT_EQ(kyc.body["router_type"], "PayoutRouterKYC");
  EXPECT_EQ(kyc.body["total_payouts"], 2);  // B and D, within (now − 1 h, now]
  EXPECT_EQ(kyc.body["success_rate"], "50");
  // An hour later they are outside the window.
  const Reply later = get("/v1/payouts/stats", {{"period", "hour"}}, {}, kNow + 3600);
  EXPECT_EQ(later.body["total_payouts"], 0);
  EXPECT_EQ(later.body["success_rate"], "0");
  EXPECT_EQ(later.body["average_amount_usdt"], "0");
  EXPECT_TRUE(later.body["payouts_by_router"].empty());
  EXPECT_EQ(get("/v1/payouts/stats", {{"period", "week"}}).body["total_payouts"], 5);

  expect_error(get("/v1/payouts/stats", {{"period", "year"}}), 400, "INVALID_PARAMETER");
  expect_error(get("/v1/payouts/stats", {{"router_type", "V0"}}), 400, "INVALID_PARAMETER");
  expect_error(get("/v1/payouts/stats", {{"limit", "1"}}), 400, "INVALID_PARAMETER");
}

class RoutesTronEmpty : public RouteFixture {};

TEST_F(RoutesTronEmpty, ChainNotReadyBeforeNotFound) {
  store.block(kMidnight);
  store.commit(ChainId::kBsc);
  for (const std::string& path : {"/v1/payouts/" + hex_id(kA), "/v1/payouts/batch/" + hex_id(kBatch),
                                  std::string("/v1/payouts"), std::string("/v1/payouts/stats")}) {
    const json error = expect_error(get(path), 503, "CHAIN_NOT_READY");
    EXPECT_EQ(error["details"]["chain"], "tron") << path;
  }
}

}  // namespace
}  // namespace csd::api_test
