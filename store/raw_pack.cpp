#include "store/raw_pack.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "store/pack_codec.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

constexpr std::uint8_t kSameTxHash = 0x01;
constexpr std::uint8_t kDataAsWords = 0x02;
constexpr std::size_t kWord = 32;

// ---- format 1 ----

Result<RawLog> take_log_v1(pack::Reader& in, std::uint64_t block) {
  RawLog log;
  log.block = block;
  CSD_TRY(index, in.take_be(4, "log_index"));
  log.log_index = static_cast<std::uint32_t>(index);
  CSD_TRY(tx_hash, in.take_fixed<Hash32>("tx_hash"));
  log.tx_hash = tx_hash;
  CSD_TRY(address, in.take_fixed<EvmAddress>("address"));
  log.address = address;
  CSD_TRY(count, in.take(1, "topic count"));
  log.topics.reserve(count[0]);
  for (std::size_t i = 0; i < count[0]; ++i) {
    CSD_TRY(topic, in.take_fixed<Hash32>("topic"));
    log.topics.push_back(topic);
  }
  CSD_TRY(size, in.take_be(4, "data length"));
  CSD_TRY(data, in.take(size, "data"));
  log.data.assign(data.begin(), data.end());
  return log;
}

void pack_v1(std::span<const RawLog> logs, Bytes& out) {
  std::size_t size = 1;
  for (const RawLog& log : logs) size += 4 + 32 + 20 + 1 + 32 * log.topics.size() + 4 + log.data.size();
  out.reserve(size);
  out.push_back(kRawPackFormat1);
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

// ---- format 2 ----

bool data_as_words(const Bytes& data) noexcept {
  return !data.empty() && data.size() % kWord == 0;
}

// The index of `value` in `table` (a block's few emitters or topic0s).
template <class T>
std::size_t index_of(const std::vector<T>& table, const T& value) noexcept {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (std::memcmp(table[i].bytes.data(), value.bytes.data(), T::kSize) == 0) return i;
  }
  return table.size();
}
template <class T>
void add_distinct(std::vector<T>& table, const T& value) {
  if (index_of(table, value) == table.size()) table.push_back(value);
}

void pack_v2(std::span<const RawLog> logs, Bytes& out) {
  std::vector<EvmAddress> emitters;
  std::vector<Hash32> topic0s;
  std::size_t bound = 1 + 2 * 10;
  for (const RawLog& log : logs) {
    add_distinct(emitters, log.address);
    if (!log.topics.empty()) add_distinct(topic0s, log.topics[0]);
    // varints of at most 10 bytes; a word at most 33.
    bound +=
        10 + 1 + 32 + 10 + 1 + 10 + 33 * log.topics.size() + 10 + log.data.size() + log.data.size() / kWord;
  }
  bound += emitters.size() * EvmAddress::kSize + topic0s.size() * Hash32::kSize;
  // Written into a buffer sized for the largest encoding, then cut to size.
  out.resize(bound);
  pack::Sink sink(out);
  sink.put_byte(kRawPackFormat);
  sink.put_varint(emitters.size());
  for (const EvmAddress& address : emitters) sink.put_fixed(address);
  sink.put_varint(topic0s.size());
  for (const Hash32& topic : topic0s) sink.put_fixed(topic);
  const Hash32* previous_tx = nullptr;
  for (const RawLog& log : logs) {
    sink.put_varint(log.log_index);
    const bool same_tx = previous_tx != nullptr && *previous_tx == log.tx_hash;
    const bool words = data_as_words(log.data);
    sink.put_byte(static_cast<std::uint8_t>((same_tx ? kSameTxHash : 0) | (words ? kDataAsWords : 0)));
    if (!same_tx) sink.put_fixed(log.tx_hash);
    sink.put_varint(index_of(emitters, log.address));
    sink.put_byte(static_cast<std::uint8_t>(log.topics.size()));
    if (!log.topics.empty()) {
      sink.put_varint(index_of(topic0s, log.topics[0]));
      for (std::size_t i = 1; i < log.topics.size(); ++i) sink.put_word(log.topics[i].bytes.data());
    }
    sink.put_varint(log.data.size());
    if (words) {
      for (std::size_t i = 0; i < log.data.size(); i += kWord) sink.put_word(log.data.data() + i);
    } else if (!log.data.empty()) {
      sink.put_bytes(log.data.data(), log.data.size());
    }
    previous_tx = &log.tx_hash;
  }
  out.resize(sink.size());
}

// A table of distinct values that the logs must use in order of first use, every one.
template <class T>
class UseOrderedTable {
 public:
  static Result<UseOrderedTable> take(pack::Reader& in, const char* field) {
    CSD_TRY(count, in.take_varint(field));
    UseOrderedTable table(field);
    for (std::uint64_t i = 0; i < count; ++i) {
      CSD_TRY(value, in.template take_fixed<T>(field));
      if (std::find(table.values_.begin(), table.values_.end(), value) != table.values_.end())
        return in.malformed(std::string(field) + " " + std::to_string(i) + " repeats an earlier one");
      table.values_.push_back(value);
    }
    return table;
  }
  Result<T> use(pack::Reader& in) {
    CSD_TRY(index, in.take_varint(field_));
    if (index >= values_.size() || index > used_) {
      return in.malformed(std::string(field_) + " index " + std::to_string(index) + " (" +
                          std::to_string(values_.size()) + " listed, " + std::to_string(used_) +
                          " used so far)");
    }
    if (index == used_) ++used_;
    return values_[index];
  }
  Status check_all_used(const pack::Reader& in) const {
    if (used_ == values_.size()) return {};
    return in.malformed(std::string(field_) + " " + std::to_string(used_) + " is listed but never used");
  }

 private:
  explicit UseOrderedTable(const char* field) : field_(field) {}
  const char* field_;
  std::vector<T> values_;
  std::size_t used_ = 0;
};

struct Tables {
  UseOrderedTable<EvmAddress> emitters;
  UseOrderedTable<Hash32> topic0s;
};

Result<RawLog> take_log_v2(pack::Reader& in, std::uint64_t block, Tables& tables, const RawLog* previous) {
  RawLog log;
  log.block = block;
  CSD_TRY(index, in.take_varint("log_index"));
  if (index > std::numeric_limits<std::uint32_t>::max())
    return in.malformed("log_index " + std::to_string(index) + " above 2^32 - 1");
  log.log_index = static_cast<std::uint32_t>(index);
  CSD_TRY(flag_byte, in.take(1, "flags"));
  const std::uint8_t flags = flag_byte[0];
  if ((flags & ~(kSameTxHash | kDataAsWords)) != 0) return in.malformed("flags " + std::to_string(flags));
  if ((flags & kSameTxHash) != 0) {
    if (previous == nullptr) return in.malformed("the first log takes the tx_hash of a log before it");
    log.tx_hash = previous->tx_hash;
  } else {
    CSD_TRY(tx_hash, in.take_fixed<Hash32>("tx_hash"));
    if (previous != nullptr && previous->tx_hash == tx_hash)
      return in.malformed("tx_hash repeats the log before's without saying so");
    log.tx_hash = tx_hash;
  }
  CSD_TRY(address, tables.emitters.use(in));
  log.address = address;
  CSD_TRY(count, in.take(1, "topic count"));
  if (count[0] > 0) {
    log.topics.resize(count[0]);
    CSD_TRY(topic0, tables.topic0s.use(in));
    log.topics[0] = topic0;
    for (std::size_t i = 1; i < log.topics.size(); ++i) {
      if (auto status = in.take_word(log.topics[i].bytes.data(), "topic"); !status)
        return std::move(status).error();
    }
  }
  CSD_TRY(size, in.take_varint("data length"));
  const bool words = size > 0 && size % kWord == 0;
  if (words != ((flags & kDataAsWords) != 0))
    return in.malformed("data of " + std::to_string(size) + " bytes with flags " + std::to_string(flags));
  if (!words) {
    CSD_TRY(data, in.take(size, "data"));
    log.data.assign(data.begin(), data.end());
    return log;
  }
  if (size / kWord > in.remaining()) return in.malformed("data of " + std::to_string(size) + " bytes");
  log.data.resize(size);
  for (std::size_t at = 0; at < size; at += kWord) {
    if (auto status = in.take_word(log.data.data() + at, "data word"); !status)
      return std::move(status).error();
  }
  return log;
}

Status check_ascending(const pack::Reader& in, std::size_t start, const std::vector<RawLog>& logs,
                       const RawLog& log) {
  if (logs.empty() || log.log_index > logs.back().log_index) return {};
  return in.malformed_at(start, "log_index " + std::to_string(log.log_index) + " not above " +
                                    std::to_string(logs.back().log_index));
}

Result<std::vector<RawLog>> unpack_v2(pack::Reader& in, std::uint64_t block) {
  CSD_TRY(emitters, UseOrderedTable<EvmAddress>::take(in, "emitter"));
  CSD_TRY(topic0s, UseOrderedTable<Hash32>::take(in, "topic0"));
  Tables tables{std::move(emitters), std::move(topic0s)};
  std::vector<RawLog> logs;
  while (!in.done()) {
    const std::size_t start = in.offset();
    CSD_TRY(log, take_log_v2(in, block, tables, logs.empty() ? nullptr : &logs.back()));
    if (auto status = check_ascending(in, start, logs, log); !status) return std::move(status).error();
    logs.push_back(std::move(log));
  }
  if (auto status = tables.emitters.check_all_used(in); !status) return std::move(status).error();
  if (auto status = tables.topic0s.check_all_used(in); !status) return std::move(status).error();
  return logs;
}

Result<std::vector<RawLog>> unpack_v1(pack::Reader& in, std::uint64_t block) {
  std::vector<RawLog> logs;
  while (!in.done()) {
    const std::size_t start = in.offset();
    CSD_TRY(log, take_log_v1(in, block));
    if (auto status = check_ascending(in, start, logs, log); !status) return std::move(status).error();
    logs.push_back(std::move(log));
  }
  return logs;
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

void pack_block_logs(std::span<const RawLog> logs, Bytes& out, std::uint8_t format) {
  out.clear();
  if (format == kRawPackFormat1) {
    pack_v1(logs, out);
  } else {
    pack_v2(logs, out);
  }
}

Result<std::vector<RawLog>> unpack_block_logs(std::uint64_t block, ByteSpan packed) {
  const std::string what = "raw_block of block " + std::to_string(block);
  pack::Reader in(packed, what);
  const std::uint8_t format = packed.empty() ? 0 : packed[0];
  if (auto status = in.expect_format(format == kRawPackFormat1 ? kRawPackFormat1 : kRawPackFormat); !status)
    return std::move(status).error();
  CSD_TRY(logs, format == kRawPackFormat1 ? unpack_v1(in, block) : unpack_v2(in, block));
  if (logs.empty()) return in.malformed("no logs (a block without logs has no raw_block row)");
  return logs;
}

}  // namespace csd
