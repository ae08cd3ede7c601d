#include "store/ledger_chunk.hpp"

#include <string>

namespace csd {
namespace {

constexpr std::uint8_t kHasCounterparty = 0x01;

void put_be(Bytes& out, std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(value >> shift));
}

template <std::size_t N, class Tag>
void put_fixed(Bytes& out, const FixedBytes<N, Tag>& value) {
  out.insert(out.end(), value.bytes.begin(), value.bytes.end());
}

class Reader {
 public:
  Reader(ByteSpan input, std::string_view what) noexcept : input_(input), what_(what) {}

  [[nodiscard]] bool done() const noexcept { return at_ == input_.size(); }
  [[nodiscard]] std::size_t offset() const noexcept { return at_; }

  Result<ByteSpan> take(std::size_t n, const char* field) {
    if (input_.size() - at_ < n) {
      return malformed(std::string(field) + " needs " + std::to_string(n) + " bytes, " +
                       std::to_string(input_.size() - at_) + " left");
    }
    const ByteSpan out = input_.subspan(at_, n);
    at_ += n;
    return out;
  }
  Result<std::uint64_t> take_be(int bytes, const char* field) {
    auto raw = take(static_cast<std::size_t>(bytes), field);
    if (!raw) return std::move(raw).error();
    std::uint64_t value = 0;
    for (std::uint8_t b : *raw) value = (value << 8) | b;
    return value;
  }
  template <class Fixed>
  Result<Fixed> take_fixed(const char* field) {
    auto raw = take(Fixed::kSize, field);
    if (!raw) return std::move(raw).error();
    return Fixed::from(raw->template first<Fixed::kSize>());
  }
  [[nodiscard]] Error malformed(const std::string& fault) const {
    return make_error(ErrorCode::kMalformed,
                      "store: " + std::string(what_) + ", offset " + std::to_string(at_) + ": " + fault);
  }

 private:
  ByteSpan input_;
  std::string_view what_;
  std::size_t at_ = 0;
};

// Propagates an error of a Result expression; binds the value otherwise.
#define CSD_TAKE(var, expr)                                  \
  auto var##_result = (expr);                                \
  if (!var##_result) return std::move(var##_result).error(); \
  auto& var = *var##_result

Result<U256> take_amount(Reader& in) {
  CSD_TAKE(length, in.take(1, "amount length"));
  const std::size_t n = length[0];
  if (n > 32) return in.malformed("amount of " + std::to_string(n) + " bytes");
  CSD_TAKE(digits, in.take(n, "amount"));
  if (n > 0 && digits[0] == 0) return in.malformed("amount with a leading zero byte");
  std::array<std::uint8_t, 32> be{};
  std::copy(digits.begin(), digits.end(), be.end() - static_cast<std::ptrdiff_t>(n));
  return U256::from_be_bytes(be);
}

Result<LedgerRow> take_row(Reader& in) {
  LedgerRow row;
  CSD_TAKE(address, in.take_fixed<EvmAddress>("address"));
  CSD_TAKE(block, in.take_be(8, "block"));
  CSD_TAKE(log_index, in.take_be(4, "log_index"));
  CSD_TAKE(kind, in.take_be(1, "kind"));
  CSD_TAKE(flags, in.take_be(1, "flags"));
  if (kind < 1 || kind > static_cast<std::uint64_t>(LedgerKind::kReleaseReservation))
    return in.malformed("kind " + std::to_string(kind));
  if ((flags & ~std::uint64_t{kHasCounterparty}) != 0) return in.malformed("flags " + std::to_string(flags));
  CSD_TAKE(amount, take_amount(in));
  row.address = address;
  row.entry.block = block;
  row.entry.log_index = static_cast<std::uint32_t>(log_index);
  row.entry.type = static_cast<LedgerKind>(kind);
  row.entry.amount = amount;
  if ((flags & kHasCounterparty) != 0) {
    CSD_TAKE(counterparty, in.take_fixed<EvmAddress>("counterparty"));
    row.entry.counterparty = counterparty;
  }
  CSD_TAKE(tx_hash, in.take_fixed<Hash32>("tx_hash"));
  CSD_TAKE(time, in.take_be(8, "time"));
  row.entry.tx_hash = tx_hash;
  row.entry.time = static_cast<std::int64_t>(time);
  return row;
}

#undef CSD_TAKE

}  // namespace

void begin_ledger_chunk(Bytes& chunk) {
  chunk.clear();
  chunk.push_back(kLedgerChunkFormat);
}

void append_ledger_row(const LedgerRow& row, Bytes& chunk) {
  put_fixed(chunk, row.address);
  put_be(chunk, row.entry.block, 8);
  put_be(chunk, row.entry.log_index, 4);
  chunk.push_back(static_cast<std::uint8_t>(row.entry.type));
  chunk.push_back(row.entry.counterparty ? kHasCounterparty : 0);
  const auto amount = row.entry.amount.to_be_bytes();
  std::size_t skip = 0;
  while (skip < amount.size() && amount[skip] == 0) ++skip;
  chunk.push_back(static_cast<std::uint8_t>(amount.size() - skip));
  chunk.insert(chunk.end(), amount.begin() + static_cast<std::ptrdiff_t>(skip), amount.end());
  if (row.entry.counterparty) put_fixed(chunk, *row.entry.counterparty);
  put_fixed(chunk, row.entry.tx_hash);
  put_be(chunk, static_cast<std::uint64_t>(row.entry.time), 8);
}

Result<std::vector<LedgerRow>> decode_ledger_chunk(ByteSpan chunk, std::string_view what) {
  Reader in(chunk, what);
  auto format = in.take(1, "format byte");
  if (!format) return std::move(format).error();
  if ((*format)[0] != kLedgerChunkFormat)
    return in.malformed("format " + std::to_string((*format)[0]) + ", this binary reads format 1");
  std::vector<LedgerRow> rows;
  while (!in.done()) {
    const std::size_t start = in.offset();
    auto row = take_row(in);
    if (!row) return std::move(row).error();
    if (!rows.empty() && !ledger_row_less(rows.back(), *row)) {
      return make_error(ErrorCode::kMalformed, "store: " + std::string(what) + ", offset " +
                                                   std::to_string(start) + ": rows not in ascending order");
    }
    rows.push_back(std::move(*row));
  }
  if (rows.empty()) return in.malformed("no rows");
  return rows;
}

}  // namespace csd
