#include "store/ledger_chunk.hpp"

#include <array>
#include <string>

#include "store/pack_codec.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

constexpr std::uint8_t kHasCounterparty = 0x01;

// Reads one row of `format` (1 or 2).
Result<LedgerRow> take_row(pack::Reader& in, std::uint8_t format) {
  LedgerRow row;
  CSD_TRY(address, in.take_fixed<EvmAddress>("address"));
  CSD_TRY(block, in.take_be(8, "block"));
  CSD_TRY(log_index, in.take_be(4, "log_index"));
  CSD_TRY(kind, in.take_be(1, "kind"));
  CSD_TRY(flags, in.take_be(1, "flags"));
  if (kind < 1 || kind > static_cast<std::uint64_t>(LedgerKind::kReleaseReservation))
    return in.malformed("kind " + std::to_string(kind));
  if ((flags & ~std::uint64_t{kHasCounterparty}) != 0) return in.malformed("flags " + std::to_string(flags));
  row.address = address;
  row.entry.block = block;
  row.entry.log_index = static_cast<std::uint32_t>(log_index);
  row.entry.type = static_cast<LedgerKind>(kind);
  if (format == kLedgerChunkFormat && ledger_kind_reads_log(row.entry.type)) {
    if (flags != 0) return in.malformed("flags " + std::to_string(flags) + " on a transfer");
    return row;
  }
  CSD_TRY(amount, in.take_amount("amount"));
  row.entry.amount = amount;
  if ((flags & kHasCounterparty) != 0) {
    CSD_TRY(counterparty, in.take_fixed<EvmAddress>("counterparty"));
    row.entry.counterparty = counterparty;
  }
  if (format == kLedgerChunkFormat) return row;
  CSD_TRY(tx_hash, in.take_fixed<Hash32>("tx_hash"));
  CSD_TRY(time, in.take_be(8, "time"));
  row.entry.tx_hash = tx_hash;
  row.entry.time = static_cast<std::int64_t>(time);
  return row;
}

}  // namespace

void begin_ledger_chunk(Bytes& chunk, std::uint8_t format) {
  chunk.clear();
  chunk.push_back(format);
}

void append_ledger_row(const LedgerRow& row, Bytes& chunk, std::uint8_t format) {
  // Written into a buffer of the largest row's size, then appended once: a
  // batch encodes every one of its ledger rows.
  std::array<std::uint8_t, kLedgerRowMaxSizeFormat1> buffer;
  pack::Sink out(buffer);
  out.put_fixed(row.address);
  out.put_be(row.entry.block, 8);
  out.put_be(row.entry.log_index, 4);
  out.put_byte(static_cast<std::uint8_t>(row.entry.type));
  if (format == kLedgerChunkFormat && ledger_kind_reads_log(row.entry.type)) {
    out.put_byte(0);
  } else {
    out.put_byte(row.entry.counterparty ? kHasCounterparty : 0);
    out.put_amount(row.entry.amount);
    if (row.entry.counterparty) out.put_fixed(*row.entry.counterparty);
  }
  if (format == kLedgerChunkFormat1) {
    out.put_fixed(row.entry.tx_hash);
    out.put_be(static_cast<std::uint64_t>(row.entry.time), 8);
  }
  chunk.insert(chunk.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(out.size()));
}

LedgerRow stored_ledger_row(LedgerRow row) noexcept {
  row.entry.tx_hash = Hash32{};
  row.entry.time = 0;
  if (ledger_kind_reads_log(row.entry.type)) {
    row.entry.amount = U256(0);
    row.entry.counterparty.reset();
  }
  return row;
}

Result<std::size_t> ledger_row_size(ByteSpan chunk, std::size_t offset, std::string_view what) {
  // The same checks as a decode, without building the row: a merge copies
  // rows it has only sized.
  const ByteSpan rest = chunk.subspan(std::min(offset, chunk.size()));
  const auto fault = [&](const std::string& text) {
    return make_error(ErrorCode::kMalformed,
                      "store: " + std::string(what) + ", offset " + std::to_string(offset) + ": " + text);
  };
  constexpr std::size_t kKeyAndFlags = kLedgerKeySize + 1;
  if (rest.size() < kKeyAndFlags) return fault("row needs " + std::to_string(kKeyAndFlags) + " bytes");
  const std::uint8_t kind = rest[kLedgerKeySize - 1];
  const std::uint8_t flags = rest[kLedgerKeySize];
  if (kind < 1 || kind > static_cast<std::uint8_t>(LedgerKind::kReleaseReservation))
    return fault("kind " + std::to_string(kind));
  if ((flags & ~kHasCounterparty) != 0) return fault("flags " + std::to_string(flags));
  if (ledger_kind_reads_log(static_cast<LedgerKind>(kind))) {
    if (flags != 0) return fault("flags " + std::to_string(flags) + " on a transfer");
    return kKeyAndFlags;
  }
  if (rest.size() < kKeyAndFlags + 1)
    return fault("row needs " + std::to_string(kKeyAndFlags + 1) + " bytes");
  const std::size_t amount = rest[kKeyAndFlags];
  if (amount > 32) return fault("amount of " + std::to_string(amount) + " bytes");
  const std::size_t size =
      kKeyAndFlags + 1 + amount + ((flags & kHasCounterparty) != 0 ? EvmAddress::kSize : 0);
  if (rest.size() < size) return fault("row needs " + std::to_string(size) + " bytes");
  if (amount > 0 && rest[kKeyAndFlags + 1] == 0) return fault("amount with a leading zero byte");
  return size;
}

Result<LedgerRow> decode_ledger_row(ByteSpan chunk, std::size_t offset, std::string_view what) {
  pack::Reader in(chunk, what);
  if (auto skipped = in.take(offset, "row offset"); !skipped) return std::move(skipped).error();
  return take_row(in, kLedgerChunkFormat);
}

Result<std::vector<LedgerRow>> decode_ledger_chunk(ByteSpan chunk, std::string_view what) {
  pack::Reader in(chunk, what);
  const std::uint8_t format = chunk.empty() ? 0 : chunk[0];
  const std::uint8_t expected = format == kLedgerChunkFormat1 ? kLedgerChunkFormat1 : kLedgerChunkFormat;
  if (auto status = in.expect_format(expected); !status) return std::move(status).error();
  std::vector<LedgerRow> rows;
  while (!in.done()) {
    const std::size_t start = in.offset();
    auto row = take_row(in, format);
    if (!row) return std::move(row).error();
    if (!rows.empty() && !ledger_row_less(rows.back(), *row))
      return in.malformed_at(start, "rows not in ascending order");
    rows.push_back(std::move(*row));
  }
  if (rows.empty()) return in.malformed("no rows");
  return rows;
}

}  // namespace csd
