// BSC routes of SPEC 5 (access, tier, requirements, ledger) through the Router
// over a real store filled through the Writer: JSON compared field by field,
// zero state, CHAIN_NOT_READY, pagination edges and bad input.
#include <gtest/gtest.h>

#include "routes_test_support.hpp"

namespace csd::api_test {
namespace {

const EvmAddress kAlice = evm(1);
const EvmAddress kBob = evm(2);
// fixed<EvmAddress>(0xE0, n): 0xe0, 11 zero bytes, then n as 8 big-endian bytes.
const std::string kAliceHex = "0xe000000000000000000000000000000000000001";
const std::string kBobHex = "0xe000000000000000000000000000000000000002";
const std::string kEscrowHex = "0xc000000000000000000000000000000000000002";
// EIP-55's own example (eips.ethereum.org/EIPS/eip-55, "Test Cases").
const std::string kEip55 = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

class RoutesBsc : public RouteFixture {};

TEST_F(RoutesBsc, AccessFieldByField) {
  const auto& mk = store.make();
  auto h = store.block(kMidnight - 500);
  store.add(mk.transfer(h, store.index(), kBob, kAlice, tst(1000)));
  store.add(mk.locked(h, store.index(), id32(1), kAlice, tst(50), kNow + 86'400 + 1, "agr-7"));
  store.add(mk.staked(h, store.index(), id32(2), kAlice, 2, tst(25), kNow + 100));
  store.add(mk.reserved(h, store.index(), id32(3), kAlice, 1, tst(5), 10, kNow + 7200));
  h = store.block(kMidnight + 10);
  store.add(mk.consumed(h, store.index(), id32(3), kAlice, 4));
  store.commit(ChainId::kBsc, 1);

  const Reply reply = get("/v1/access/" + kAliceHex);
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.route, "/v1/access/{address}");
  EXPECT_EQ(reply.raw.content_type, "application/json");
  const json& b = reply.body;
  EXPECT_EQ(b["address"], kAliceHex);
  EXPECT_EQ(b["current_tier"], 2);
  EXPECT_EQ(b["tier_active_until"], "2023-11-14T01:01:40Z");  // kNow + 100
  EXPECT_EQ(b["tst_balance"], "1000000000000000000000");
  EXPECT_EQ(b["tst_staked"], "25000000000000000000");
  EXPECT_EQ(b["tst_locked"], "50000000000000000000");
  EXPECT_EQ(b["tst_available"], "1000000000000000000000");
  EXPECT_EQ(b["tst_total"], "1075000000000000000000");
  ASSERT_EQ(b["locks"].size(), 1u);
  const json& lock = b["locks"][0];
  EXPECT_EQ(lock["lock_id"], hex_id(id32(1)));
  EXPECT_EQ(lock["agreement_id"], "agr-7");
  EXPECT_EQ(lock["amount"], "50000000000000000000");
  EXPECT_EQ(lock["tier"], 2);
  EXPECT_EQ(lock["locked_until"], "2023-11-15T01:00:01Z");
  EXPECT_EQ(lock["status"], "active");
  EXPECT_EQ(lock["days_remaining"], 2);  // one day and one second, rounded up
  EXPECT_EQ(lock["tx_hash"], hex_id(store_test::LogMaker::tx_hash(1, 1)));
  ASSERT_EQ(b["stakes"].size(), 1u);
  const json& stake = b["stakes"][0];
  EXPECT_EQ(stake["stake_id"], hex_id(id32(2)));
  EXPECT_EQ(stake["tier"], 2);
  EXPECT_EQ(stake["amount"], "25000000000000000000");
  EXPECT_EQ(stake["staked_at"], "2023-11-13T23:51:40Z");  // kMidnight − 500
  EXPECT_EQ(stake["expires_at"], "2023-11-14T01:01:40Z");
  EXPECT_EQ(stake["status"], "active");
  const json& risk = b["entity_quotas"]["risk"];
  EXPECT_EQ(risk["reservation_id"], hex_id(id32(3)));
  EXPECT_EQ(risk["total"], 10);
  EXPECT_EQ(risk["used_today"], 4);
  EXPECT_EQ(risk["available"], 6);
  EXPECT_EQ(risk["reset_at"], "2023-11-15T00:00:00Z");
  EXPECT_EQ(risk["reserved_until"], "2023-11-14T03:00:00Z");
  EXPECT_TRUE(b["entity_quotas"]["strategy"].is_null());
  EXPECT_TRUE(b["entity_quotas"]["memory"].is_null());
  const json& as_of = b["as_of"];
  EXPECT_EQ(as_of["chain"], "bsc");
  EXPECT_EQ(as_of["block"], 2);
  EXPECT_EQ(as_of["block_hash"], hex_id(fixed<Hash32>(0xB0, 2)));
  EXPECT_EQ(as_of["block_time"], "2023-11-14T00:00:10Z");
  EXPECT_EQ(as_of["finalized_block"], 1);
  EXPECT_EQ(b.size(), 12u);  // exactly the SPEC 5 fields
}

TEST_F(RoutesBsc, UnknownAddressGetsZeroStateNot404) {
  const auto h = store.block(kMidnight);
  store.add(store.make().transfer(h, store.index(), kBob, kAlice, tst(1)));
  store.commit(ChainId::kBsc);
  const Reply reply = get("/v1/access/0xe000000000000000000000000000000000000063");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body["current_tier"], 0);
  EXPECT_TRUE(reply.body["tier_active_until"].is_null());
  for (const char* field : {"tst_balance", "tst_staked", "tst_locked", "tst_available", "tst_total"}) {
    EXPECT_EQ(reply.body[field], "0") << field;
  }
  EXPECT_TRUE(reply.body["locks"].empty());
  EXPECT_TRUE(reply.body["as_of"]["finalized_block"].is_null());

  const Reply tier = get("/v1/tier/0xe000000000000000000000000000000000000063");
  ASSERT_EQ(tier.status, 200u);
  EXPECT_EQ(tier.body["tier"], 0);
  EXPECT_TRUE(tier.body["expires_at"].is_null());
  EXPECT_TRUE(tier.body["stake_id"].is_null());
  EXPECT_EQ(tier.body["benefits"]["entity_analysis_per_day"], 1);
  EXPECT_EQ(tier.body["benefits"]["execution_wait_time"], 86'400);
  EXPECT_EQ(tier.body["benefits"]["priority_level"], "none");
  EXPECT_EQ(tier.body["benefits"]["max_capital"], "0");
}

TEST_F(RoutesBsc, ChainNotReadyWhileBscHasIndexedNothing) {
  store.block(kMidnight);
  store.commit(ChainId::kTron);  // only TRON has a checkpoint
  for (const std::string& path : {"/v1/access/" + kAliceHex, "/v1/tier/" + kAliceHex,
                                  "/v1/ledger/" + kAliceHex, std::string("/v1/requirements/lock_p2p")}) {
    const bool needs_chain = path.find("requirements") == std::string::npos;
    const Reply reply = needs_chain ? get(path) : get(path, {{"address", kAliceHex}});
    const json error = expect_error(reply, 503, "CHAIN_NOT_READY");
    EXPECT_EQ(error["details"]["chain"], "bsc") << path;
    EXPECT_EQ(error["details"]["enabled"], true);
    EXPECT_TRUE(error["details"]["indexed"].is_null());
  }
  // Without an address the requirements table is not chain state.
  EXPECT_EQ(get("/v1/requirements/lock_p2p").status, 200u);
}

TEST_F(RoutesBsc, DisabledChainSaysSo) {
  config.chains[0].enabled = false;
  const Reply reply = get("/v1/access/" + kAliceHex);
  const json error = expect_error(reply, 503, "CHAIN_NOT_READY");
  EXPECT_EQ(error["details"]["enabled"], false);
  EXPECT_NE(error["message"].get<std::string>().find("disabled"), std::string::npos);
}

TEST_F(RoutesBsc, AddressesAreCheckedAndPrintedLowercase) {
  store.block(kMidnight);
  store.commit(ChainId::kBsc);
  // EIP-55 valid mixed case, all lower and all upper are accepted; output is lowercase.
  for (const std::string& text : {kEip55, std::string("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
                                  std::string("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")}) {
    const Reply reply = get("/v1/tier/" + text);
    ASSERT_EQ(reply.status, 200u) << text << reply.raw.body;
    EXPECT_EQ(reply.body["address"], "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
  }
  // One letter's case flipped: fails EIP-55.
  const json checksum =
      expect_error(get("/v1/access/0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), 400, "INVALID_ADDRESS");
  EXPECT_NE(checksum["message"].get<std::string>().find("checksum"), std::string::npos);
  EXPECT_EQ(checksum["details"]["parameter"], "address");
  for (const std::string& bad : {std::string("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae"),    // 39 digits
                                 std::string("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0"),  // 41 digits
                                 std::string("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),     // no 0x
                                 std::string("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg"),   // non-hex
                                 std::string("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")}) {  // a TRON address
    const json error = expect_error(get("/v1/tier/" + bad), 400, "INVALID_ADDRESS");
    EXPECT_NE(error["message"].get<std::string>().find("address"), std::string::npos) << bad;
  }
  // Control bytes in the path are not echoed.
  const Reply control = get(std::string("/v1/tier/0x\x01\x7f\xff"));
  const json error = expect_error(control, 400, "INVALID_ADDRESS");
  EXPECT_EQ(error["message"].get<std::string>().find('\x01'), std::string::npos);
}

TEST_F(RoutesBsc, UnknownAndRepeatedQueryParametersAreRefused) {
  store.block(kMidnight);
  store.commit(ChainId::kBsc);
  const json typo = expect_error(get("/v1/ledger/" + kAliceHex, {{"limt", "5"}}), 400, "INVALID_PARAMETER");
  EXPECT_EQ(typo["details"]["parameter"], "limt");
  EXPECT_NE(typo["message"].get<std::string>().find("limt"), std::string::npos);
  EXPECT_NE(typo["message"].get<std::string>().find("limit"), std::string::npos);  // lists what is accepted
  const json none = expect_error(get("/v1/access/" + kAliceHex, {{"x", "1"}}), 400, "INVALID_PARAMETER");
  EXPECT_EQ(none["details"]["parameter"], "x");
  const json twice = expect_error(get("/v1/ledger/" + kAliceHex, {{"limit", "5"}, {"limit", "6"}}), 400,
                                  "INVALID_PARAMETER");
  EXPECT_EQ(twice["details"]["parameter"], "limit");
}

TEST_F(RoutesBsc, TierOfAStake) {
  const auto h = store.block(kMidnight);
  store.add(store.make().staked(h, store.index(), id32(5), kAlice, 3, tst(100), kNow + 30 * 86'400));
  store.commit(ChainId::kBsc);
  const Reply reply = get("/v1/tier/" + kAliceHex);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.route, "/v1/tier/{address}");
  EXPECT_EQ(reply.body["address"], kAliceHex);
  EXPECT_EQ(reply.body["tier"], 3);
  EXPECT_EQ(reply.body["expires_at"], "2023-12-14T01:00:00Z");
  EXPECT_EQ(reply.body["stake_id"], hex_id(id32(5)));
  EXPECT_TRUE(reply.body["benefits"]["entity_analysis_per_day"].is_null());  // unlimited
  EXPECT_EQ(reply.body["benefits"]["execution_wait_time"], 0);               // instant
  EXPECT_EQ(reply.body["benefits"]["priority_level"], "high");
  EXPECT_TRUE(reply.body["benefits"]["max_capital"].is_null());  // unlimited
  EXPECT_EQ(reply.body["as_of"]["block"], 1);
}

TEST_F(RoutesBsc, RequirementsWithAndWithoutAddress) {
  const auto h = store.block(kMidnight);
  store.add(store.make().transfer(h, store.index(), kBob, kAlice, tst(30)));
  store.commit(ChainId::kBsc);
  const Reply table = get("/v1/requirements/lock_p2p");
  ASSERT_EQ(table.status, 200u);
  EXPECT_EQ(table.route, "/v1/requirements/{action}");
  EXPECT_EQ(table.body["action"], "lock_p2p");
  EXPECT_TRUE(table.body["description"].is_string());
  ASSERT_EQ(table.body["tiers"].size(), 3u);
  EXPECT_EQ(table.body["tiers"][0]["tier"], 1);
  EXPECT_EQ(table.body["tiers"][0]["required"], "10000000000000000000");  // SPEC 3.1: 10 TST
  EXPECT_EQ(table.body["tiers"][2]["required"], "250000000000000000000");
  EXPECT_EQ(table.body["tiers"][0]["benefits"]["max_capital"], "50000");
  EXPECT_EQ(table.body["tiers"][0]["entity_quota"], (json{{"risk", 3}, {"strategy", 12}, {"memory", 7}}));
  EXPECT_TRUE(table.body["user"].is_null());
  EXPECT_TRUE(table.body["as_of"].is_null());

  const Reply user = get("/v1/requirements/lock_p2p", {{"address", kAliceHex}});
  ASSERT_EQ(user.status, 200u);
  EXPECT_EQ(user.body["user"]["address"], kAliceHex);
  EXPECT_EQ(user.body["user"]["tst_balance"], "30000000000000000000");
  EXPECT_EQ(user.body["user"]["qualified_tier"], 1);
  EXPECT_EQ(user.body["user"]["status"], "qualified");
  EXPECT_EQ(user.body["user"]["shortfall"], "0");
  EXPECT_EQ(user.body["as_of"]["chain"], "bsc");

  const Reply upgrade = get("/v1/requirements/upgrade_tier", {{"address", kBobHex}});
  ASSERT_EQ(upgrade.status, 200u);
  EXPECT_EQ(upgrade.body["tiers"][0]["required"], "5000000000000000000");  // SPEC 3.1: stake 5 TST
  EXPECT_EQ(upgrade.body["user"]["status"], "insufficient");
  EXPECT_EQ(upgrade.body["user"]["shortfall"], "5000000000000000000");
  EXPECT_EQ(get("/v1/requirements/reserve_entity").status, 200u);

  const json action = expect_error(get("/v1/requirements/lock"), 400, "INVALID_PARAMETER");
  EXPECT_EQ(action["details"]["parameter"], "action");
  EXPECT_NE(action["message"].get<std::string>().find("lock_p2p"), std::string::npos);
  expect_error(get("/v1/requirements/lock_p2p", {{"address", "0x12"}}), 400, "INVALID_ADDRESS");
}

class RoutesBscLedger : public RouteFixture {
 protected:
  // 25 transfers to Alice, one per block: the newest (block 25) first.
  void SetUp() override {
    for (std::uint64_t i = 1; i <= 25; ++i) {
      const auto h = store.block(kMidnight + static_cast<std::int64_t>(i));
      store.add(store.make().transfer(h, store.index(), kBob, kAlice, tst(i)));
    }
    store.commit(ChainId::kBsc);
  }
};

TEST_F(RoutesBscLedger, DefaultPageIsTheNewest20) {
  const Reply reply = get("/v1/ledger/" + kAliceHex);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.route, "/v1/ledger/{address}");
  EXPECT_EQ(reply.body["address"], kAliceHex);
  ASSERT_EQ(reply.body["entries"].size(), 20u);
  const json& first = reply.body["entries"][0];
  EXPECT_EQ(first["type"], "transfer_in");
  EXPECT_EQ(first["amount"], "25000000000000000000");
  EXPECT_EQ(first["counterparty"], kBobHex);
  EXPECT_EQ(first["tx_hash"], hex_id(store_test::LogMaker::tx_hash(25, 0)));
  EXPECT_EQ(first["block"], 25);
  EXPECT_EQ(first["log_index"], 0);
  EXPECT_EQ(first["time"], "2023-11-14T00:00:25Z");
  EXPECT_EQ(reply.body["pagination"],
            (json{{"total", 25}, {"limit", 20}, {"offset", 0}, {"has_next", true}, {"has_previous", false}}));
  EXPECT_EQ(reply.body["as_of"]["block"], 25);
}

TEST_F(RoutesBscLedger, PaginationEdges) {
  const Reply zero = get("/v1/ledger/" + kAliceHex, {{"limit", "0"}});
  ASSERT_EQ(zero.status, 200u);
  EXPECT_TRUE(zero.body["entries"].empty());
  EXPECT_EQ(zero.body["pagination"]["total"], 25);  // still counted
  EXPECT_EQ(zero.body["pagination"]["limit"], 0);

  const Reply hundred = get("/v1/ledger/" + kAliceHex, {{"limit", "100"}});
  ASSERT_EQ(hundred.status, 200u);
  EXPECT_EQ(hundred.body["entries"].size(), 25u);
  EXPECT_EQ(hundred.body["pagination"]["has_next"], false);

  const Reply tail = get("/v1/ledger/" + kAliceHex, {{"limit", "10"}, {"offset", "20"}});
  ASSERT_EQ(tail.status, 200u);
  ASSERT_EQ(tail.body["entries"].size(), 5u);
  EXPECT_EQ(tail.body["entries"][4]["block"], 1);  // the oldest last
  EXPECT_EQ(tail.body["pagination"]["has_previous"], true);
  EXPECT_EQ(tail.body["pagination"]["has_next"], false);

  const Reply past = get("/v1/ledger/" + kAliceHex, {{"offset", "25"}});
  ASSERT_EQ(past.status, 200u);
  EXPECT_TRUE(past.body["entries"].empty());
  EXPECT_EQ(past.body["pagination"]["total"], 25);
  const Reply far = get("/v1/ledger/" + kAliceHex, {{"offset", "9223372036854775807"}});
  ASSERT_EQ(far.status, 200u);
  EXPECT_TRUE(far.body["entries"].empty());
}

TEST_F(RoutesBscLedger, BadNumbersName400) {
  struct Case {
    const char* name;
    const char* value;
  };
  for (const Case c : {Case{"limit", "101"}, Case{"limit", "-1"}, Case{"limit", "abc"}, Case{"limit", ""},
                       Case{"limit", "1.5"}, Case{"limit", "+5"}, Case{"limit", "18446744073709551616"},
                       Case{"offset", "-1"}, Case{"offset", "9223372036854775808"},
                       Case{"offset", "99999999999999999999999999"}, Case{"offset", " 1"}}) {
    const json error =
        expect_error(get("/v1/ledger/" + kAliceHex, {{c.name, c.value}}), 400, "INVALID_PARAMETER");
    EXPECT_EQ(error["details"]["parameter"], c.name) << c.value;
    EXPECT_EQ(error["message"].get<std::string>().rfind(c.name, 0), 0u) << error["message"];
  }
  const json limit =
      expect_error(get("/v1/ledger/" + kAliceHex, {{"limit", "101"}}), 400, "INVALID_PARAMETER");
  EXPECT_NE(limit["message"].get<std::string>().find("100"), std::string::npos);
}

TEST_F(RoutesBscLedger, CounterpartyOfContractMovements) {
  const auto h = store.block(kMidnight + 100);
  store.add(store.make().locked(h, store.index(), id32(9), kAlice, tst(10), kNow + 10, "a"));
  store.commit(ChainId::kBsc);
  const Reply reply = get("/v1/ledger/" + kAliceHex, {{"limit", "1"}});
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body["entries"][0]["type"], "lock");
  EXPECT_EQ(reply.body["entries"][0]["counterparty"], kEscrowHex);
}

}  // namespace
}  // namespace csd::api_test
