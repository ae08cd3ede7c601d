#include "store/raw_pack.hpp"

#include <limits>
#include <string>

namespace csd {
namespace {

void put_u32(Bytes& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

template <std::size_t N, class Tag>
void put_fixed(Bytes& out, const FixedBytes<N, Tag>& value) {
  out.insert(out.end(), value.bytes.begin(), value.bytes.end());
}

// Reads the packed form front to back; every take checks the bytes left.
class Cursor {
 public:
  Cursor(std::uint64_t block, ByteSpan input) noexcept : block_(block), input_(input) {}

  [[nodiscard]] bool done() const noexcept { return at_ == input_.size(); }
  [[nodiscard]] std::size_t offset() const noexcept { return at_; }

  Result<ByteSpan> take(std::size_t n, const char* what) {
    if (input_.size() - at_ < n) {
      return malformed(std::string(what) + " needs " + std::to_string(n) + " bytes, " +
                       std::to_string(input_.size() - at_) + " left");
    }
    const ByteSpan out = input_.subspan(at_, n);
    at_ += n;
    return out;
  }
  Result<std::uint32_t> take_u32(const char* what) {
    auto bytes = take(4, what);
    if (!bytes) return std::move(bytes).error();
    std::uint32_t value = 0;
    for (std::uint8_t b : *bytes) value = (value << 8) | b;
    return value;
  }
  template <class Fixed>
  Result<Fixed> take_fixed(const char* what) {
    auto bytes = take(Fixed::kSize, what);
    if (!bytes) return std::move(bytes).error();
    return Fixed::from(bytes->template first<Fixed::kSize>());
  }

  [[nodiscard]] Error malformed(const std::string& what) const {
    return make_error(ErrorCode::kMalformed, "store: raw_block of block " + std::to_string(block_) +
                                                 ", offset " + std::to_string(at_) + ": " + what);
  }

 private:
  std::uint64_t block_;
  ByteSpan input_;
  std::size_t at_ = 0;
};

Result<RawLog> take_log(Cursor& in, std::uint64_t block) {
  RawLog log;
  log.block = block;
  auto index = in.take_u32("log_index");
  if (!index) return std::move(index).error();
  log.log_index = *index;
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
  auto size = in.take_u32("data length");
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
    put_u32(out, log.log_index);
    put_fixed(out, log.tx_hash);
    put_fixed(out, log.address);
    out.push_back(static_cast<std::uint8_t>(log.topics.size()));
    for (const Hash32& topic : log.topics) put_fixed(out, topic);
    put_u32(out, static_cast<std::uint32_t>(log.data.size()));
    out.insert(out.end(), log.data.begin(), log.data.end());
  }
}

Result<std::vector<RawLog>> unpack_block_logs(std::uint64_t block, ByteSpan packed) {
  Cursor in(block, packed);
  auto format = in.take(1, "format byte");
  if (!format) return std::move(format).error();
  if ((*format)[0] != kRawPackFormat) {
    return in.malformed("format " + std::to_string((*format)[0]) + ", this binary reads format 1");
  }
  std::vector<RawLog> logs;
  while (!in.done()) {
    const std::size_t start = in.offset();
    auto log = take_log(in, block);
    if (!log) return std::move(log).error();
    if (!logs.empty() && log->log_index <= logs.back().log_index) {
      return make_error(ErrorCode::kMalformed, "store: raw_block of block " + std::to_string(block) +
                                                   ", offset " + std::to_string(start) + ": log_index " +
                                                   std::to_string(log->log_index) + " not above " +
                                                   std::to_string(logs.back().log_index));
    }
    logs.push_back(std::move(*log));
  }
  if (logs.empty()) return in.malformed("no logs (a block without logs has no raw_block row)");
  return logs;
}

}  // namespace csd
