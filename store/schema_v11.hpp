// Schema version 11 (store/schema_v11.cpp), a step of schema.cpp's migrations.
#pragma once

#include <cstdint>
#include <string_view>

namespace csd {

// The object histories rebuilt as rowid tables keyed by position (no conversion in C++).
extern const std::string_view kSchemaV11;

// A log's position in the object histories: block · 2^24 + log_index.
inline constexpr int kHistoryLogIndexBits = 24;
inline constexpr std::uint64_t kHistoryMaxLogIndex = (std::uint64_t{1} << kHistoryLogIndexBits) - 1;
inline constexpr std::uint64_t kHistoryMaxBlock = (std::uint64_t{1} << (63 - kHistoryLogIndexBits)) - 1;

}  // namespace csd
