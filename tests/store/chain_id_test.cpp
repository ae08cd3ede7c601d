#include "store/chain_id.hpp"

#include <gtest/gtest.h>

namespace csd {
namespace {

TEST(ChainId, NamesRoundTrip) {
  for (const ChainId chain : kAllChains) {
    auto parsed = parse_chain_name(chain_name(chain));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, chain);
  }
  EXPECT_EQ(chain_name(ChainId::kTron), "tron");
  EXPECT_FALSE(parse_chain_name("BSC").has_value());  // names are lower case
  EXPECT_FALSE(parse_chain_name("").has_value());
}

// The numeric ids are persisted; changing one would corrupt existing databases.
TEST(ChainId, PersistedValuesAreStable) {
  EXPECT_EQ(static_cast<int>(ChainId::kBsc), 1);
  EXPECT_EQ(static_cast<int>(ChainId::kSolana), 2);
  EXPECT_EQ(static_cast<int>(ChainId::kTron), 3);
}

}  // namespace
}  // namespace csd
