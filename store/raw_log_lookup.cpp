#include "store/raw_log_lookup.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "store/chain_id.hpp"
#include "store/raw_pack.hpp"

namespace csd {

Status RawLogLookup::load(std::uint64_t block) {
  logs_.clear();
  time_ = 0;
  block_.reset();
  if (block > kMaxStoredHeight) return {};
  select_.bind_int64(1, raw_block_id(ChainId::kBsc, block));
  auto row = select_.step();
  if (!row) {
    select_.reset();
    return std::move(row).error();
  }
  if (*row) {
    time_ = select_.column_int64(0);
    auto logs = unpack_block_logs(block, select_.column_blob(1));
    if (!logs) {
      select_.reset();
      return std::move(logs).error();
    }
    logs_ = std::move(*logs);
  }
  select_.reset();
  block_ = block;
  return {};
}

Result<RawLogLookup::Found> RawLogLookup::at(std::uint64_t block, std::uint32_t log_index) {
  if (!block_ || *block_ != block) {
    if (auto status = load(block); !status) return std::move(status).error();
  }
  const auto it =
      std::lower_bound(logs_.begin(), logs_.end(), log_index,
                       [](const RawLog& log, std::uint32_t index) { return log.log_index < index; });
  if (it == logs_.end() || it->log_index != log_index) {
    return make_error(ErrorCode::kNotFound, "store: no raw log at block " + std::to_string(block) + ", log " +
                                                std::to_string(log_index));
  }
  return Found{&*it, time_};
}

}  // namespace csd
