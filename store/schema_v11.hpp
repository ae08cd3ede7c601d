// Schema version 11 (store/schema_v11.cpp), a step of schema.cpp's migrations.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "decoders/result.hpp"

namespace csd {

class WriteTxn;

// A log's position in the object histories: block · 2^24 + log_index.
inline constexpr int kHistoryLogIndexBits = 24;
inline constexpr std::uint64_t kHistoryMaxLogIndex = (std::uint64_t{1} << kHistoryLogIndexBits) - 1;
inline constexpr std::uint64_t kHistoryMaxBlock = (std::uint64_t{1} << (63 - kHistoryLogIndexBits)) - 1;

// The object histories, keyed by position since schema 11.
inline constexpr std::array<std::string_view, 7> kHistoryTables = {
    "tst_lock",        "tst_lock_close",        "tst_stake",    "tst_stake_close",
    "tst_reservation", "tst_reservation_close", "tst_quota_use"};

// Rebuilds each object history as a rowid table keyed by position, its rows copied.
[[nodiscard]] Status histories_by_position(WriteTxn& txn);

}  // namespace csd
