#include "store/raw_pack.hpp"

#include <limits>
#include <string>

#include "store/pack_codec.hpp"

namespace csd {
namespace {

Result<RawLog> take_log(pack::Reader& in, std::uint64_t block) {
  RawLog log;
  log.block = block;
  auto index = in.take_be(4, "log_index");
  if (!index) return std::move(index).error();
  log.log_index = static_cast<std::uint32_t>(*index);
  auto tx_hash = in.take_fixed<Hash32>("tx_hash");
  if (!tx_hash) return std::move(tx_hash).error();
  log.tx_hash = *tx_hash;
  auto address = in.take_fixed<EvmAddress>("address");
  if (!address) return std::move(address).error();
  log.address = *address;
  auto count = in.take(1, "topic count");
  if (!count) return std::move(count).error();
  log.topics.reserve((*count)[0]);
  for (std::size_t i = 0; i < (*count)[0]; ++i) {
    auto topic = in.take_fixed<Hash32>("topic");
    if (!topic) return std::move(topic).error();
    log.topics.push_back(*topic);
  }
  auto size = in.take_be(4, "data length");
  if (!size) return std::move(size).error();
  auto data = in.take(*size, "data");
  if (!data) return std::move(data).error();
  log.data.assign(data->begin(), data->end());
  return log;
}

}  // namespace

Status check_packable(const RawLog& log) {
  if (log.topics.size() > kRawPackMaxTopics) {
    return make_error(ErrorCode::kInvalidArgument, "store: log " + std::to_string(log.log_index) +
                                                       " of block " + std::to_string(log.block) + " has " +
                                                       std::to_string(log.topics.size()) +
                                                       " topics (at most 255 are stored)");
  }
  if (log.data.size() > std::numeric_limits<std::uint32_t>::max()) {
    return make_error(ErrorCode::kInvalidArgument, "store: log " + std::to_string(log.log_index) +
                                                       " of block " + std::to_string(log.block) +
                                                       " has 4 GiB of data or more");
  }
  return {};
}

void pack_block_logs(std::span<const RawLog> logs, Bytes& out) {
  out.clear();
  std::size_t size = 1;
  for (const RawLog& log : logs) size += 4 + 32 + 20 + 1 + 32 * log.topics.size() + 4 + log.data.size();
  out.reserve(size);
  out.push_back(kRawPackFormat);
  for (const RawLog& log : logs) {
    pack::put_be(out, log.log_index, 4);
    pack::put_fixed(out, log.tx_hash);
    pack::put_fixed(out, log.address);
    out.push_back(static_cast<std::uint8_t>(log.topics.size()));
    for (const Hash32& topic : log.topics) pack::put_fixed(out, topic);
    pack::put_be(out, log.data.size(), 4);
    out.insert(out.end(), log.data.begin(), log.data.end());
  }
}

Result<std::vector<RawLog>> unpack_block_logs(std::uint64_t block, ByteSpan packed) {
  const std::string what = "raw_block of block " + std::to_string(block);
  pack::Reader in(packed, what);
  if (auto status = in.expect_format(kRawPackFormat); !status) return std::move(status).error();
  std::vector<RawLog> logs;
  while (!in.done()) {
    const std::size_t start = in.offset();
    auto log = take_log(in, block);
    if (!log) return std::move(log).error();
    if (!logs.empty() && log->log_index <= logs.back().log_index) {
      return in.malformed_at(start, "log_index " + std::to_string(log->log_index) + " not above " +
                                        std::to_string(logs.back().log_index));
    }
    logs.push_back(std::move(*log));
  }
  if (logs.empty()) return in.malformed("no logs (a block without logs has no raw_block row)");
  return logs;
}

}  // namespace csd
