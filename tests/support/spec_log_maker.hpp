// LogMaker: raw EVM/TRON logs of the SPEC 3.1 and 3.3 events, ABI-encoded by
// the spec's rules (docs.soliditylang.org, "Contract ABI Specification",
// "Events": indexed values in topics, the rest as 32-byte head words followed by
// the tails of dynamic values). Shared by the store tests and the store
// benchmarks so both feed the writer the same bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/u256.hpp"
#include "store/batch.hpp"
#include "store/writer.hpp"

namespace csd::spec_logs {

// Deterministic distinct bytes: `tag` first, then n big-endian at the end.
template <class Fixed>
inline Fixed fixed(std::uint8_t tag, std::uint64_t n) {
  Fixed out;
  out.bytes[0] = tag;
  for (std::size_t i = 0; i < 8; ++i)
    out.bytes[Fixed::kSize - 1 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return out;
}

// ---- ABI encoding (ABI spec: head words, then tails; indexed values in topics) ----

inline Hash32 word(const U256& value) {
  return Hash32::from(value.to_be_bytes());
}
inline Hash32 word(const EvmAddress& address) {
  Hash32 out;
  std::copy(address.bytes.begin(), address.bytes.end(), out.bytes.begin() + 12);
  return out;
}
inline void put(Bytes& data, const Hash32& w) {
  data.insert(data.end(), w.bytes.begin(), w.bytes.end());
}
inline void put(Bytes& data, const U256& v) {
  put(data, word(v));
}
inline void put_string_tail(Bytes& data, std::string_view text) {
  put(data, U256(text.size()));
  data.insert(data.end(), text.begin(), text.end());
  data.resize(data.size() + (32 - text.size() % 32) % 32, 0);
}

// Raw logs of the SPEC events, with the topic0s the decoders derive.
class LogMaker {
 public:
  explicit LogMaker(const StoreContracts& contracts)
      : contracts_(contracts), tst_(contracts.bsc), payout_(contracts.tron_routers) {}

  RawLog transfer(std::uint64_t block, std::uint32_t index, const EvmAddress& from, const EvmAddress& to,
                  const U256& value) const {
    Bytes data;
    put(data, value);
    return log(block, index, contracts_.bsc.tst, {tst_.topic0s()[0], word(from), word(to)}, data);
  }
  RawLog locked(std::uint64_t block, std::uint32_t index, const Hash32& lock_id, const EvmAddress& user,
                const U256& amount, std::uint64_t locked_until, std::string_view agreement) const {
    Bytes data;
    put(data, amount);
    put(data, U256(locked_until));
    put(data, U256(0x60));
    put_string_tail(data, agreement);
    return log(block, index, contracts_.bsc.escrow, {tst_.topic0s()[1], lock_id, word(user)}, data);
  }
  RawLog released(std::uint64_t block, std::uint32_t index, const Hash32& lock_id, const EvmAddress& user,
                  const U256& amount) const {
    Bytes data;
    put(data, amount);
    return log(block, index, contracts_.bsc.escrow, {tst_.topic0s()[2], lock_id, word(user)}, data);
  }
  RawLog terminated(std::uint64_t block, std::uint32_t index, const Hash32& lock_id, const EvmAddress& user,
                    const U256& returned, const U256& penalty) const {
    Bytes data;
    put(data, returned);
    put(data, penalty);
    return log(block, index, contracts_.bsc.escrow, {tst_.topic0s()[3], lock_id, word(user)}, data);
  }
  RawLog staked(std::uint64_t block, std::uint32_t index, const Hash32& stake_id, const EvmAddress& user,
                std::uint8_t tier, const U256& amount, std::uint64_t expires_at) const {
    Bytes data;
    put(data, U256(tier));
    put(data, amount);
    put(data, U256(expires_at));
    return log(block, index, contracts_.bsc.staking, {tst_.topic0s()[4], stake_id, word(user)}, data);
  }
  RawLog unstaked(std::uint64_t block, std::uint32_t index, const Hash32& stake_id, const EvmAddress& user,
                  const U256& amount, bool emergency) const {
    Bytes data;
    put(data, amount);
    put(data, U256(emergency ? 1 : 0));
    return log(block, index, contracts_.bsc.staking, {tst_.topic0s()[5], stake_id, word(user)}, data);
  }
  RawLog reserved(std::uint64_t block, std::uint32_t index, const Hash32& reservation_id,
                  const EvmAddress& user, std::uint8_t entity_type, const U256& amount,
                  std::uint32_t quota_per_day, std::uint64_t reserved_until) const {
    Bytes data;
    put(data, U256(entity_type));
    put(data, amount);
    put(data, U256(quota_per_day));
    put(data, U256(reserved_until));
    return log(block, index, contracts_.bsc.compute_reserve, {tst_.topic0s()[6], reservation_id, word(user)},
               data);
  }
  RawLog consumed(std::uint64_t block, std::uint32_t index, const Hash32& reservation_id,
                  const EvmAddress& user, std::uint32_t units) const {
    Bytes data;
    put(data, U256(units));
    return log(block, index, contracts_.bsc.compute_reserve, {tst_.topic0s()[7], reservation_id, word(user)},
               data);
  }
  RawLog reservation_released(std::uint64_t block, std::uint32_t index, const Hash32& reservation_id,
                              const EvmAddress& user) const {
    return log(block, index, contracts_.bsc.compute_reserve, {tst_.topic0s()[8], reservation_id, word(user)},
               {});
  }

  RawLog payout_executed(std::size_t router, std::uint64_t block, std::uint32_t index,
                         const Hash32& payout_id, const EvmAddress& recipient, const U256& amount,
                         const Hash32& batch_id, std::string_view reason) const {
    Bytes data;
    put(data, amount);
    put(data, batch_id);
    put(data, U256(0x60));
    put_string_tail(data, reason);
    return log(block, index, contracts_.tron_routers[router].address,
               {payout_.topic0s()[0], payout_id, word(recipient)}, data);
  }
  RawLog payout_failed(std::size_t router, std::uint64_t block, std::uint32_t index, const Hash32& payout_id,
                       const EvmAddress& recipient, const U256& amount, std::string_view error) const {
    Bytes data;
    put(data, amount);
    put(data, U256(0x40));
    put_string_tail(data, error);
    return log(block, index, contracts_.tron_routers[router].address,
               {payout_.topic0s()[1], payout_id, word(recipient)}, data);
  }
  RawLog batch_settled(std::size_t router, std::uint64_t block, std::uint32_t index, const Hash32& batch_id,
                       const U256& count, const U256& total) const {
    Bytes data;
    put(data, count);
    put(data, total);
    return log(block, index, contracts_.tron_routers[router].address, {payout_.topic0s()[2], batch_id}, data);
  }

  static Hash32 tx_hash(std::uint64_t block, std::uint32_t index) {
    return fixed<Hash32>(0x7A, block * 10'000 + index);
  }
  static RawLog log(std::uint64_t block, std::uint32_t index, const EvmAddress& address,
                    std::vector<Hash32> topics, Bytes data) {
    return RawLog{block, index, tx_hash(block, index), address, std::move(topics), std::move(data)};
  }

 private:
  StoreContracts contracts_;
  TstEventDecoder tst_;
  PayoutEventDecoder payout_;
};

}  // namespace csd::spec_logs
