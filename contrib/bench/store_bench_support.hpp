// Store benchmark workloads: raw EVM/TRON logs of the SPEC 3.1 and 3.3 events,
// ABI-encoded by the spec's rules (docs.soliditylang.org, "Contract ABI
// Specification", "Events": indexed values in topics, the rest as 32-byte head
// words followed by the tails of dynamic values), grouped into writer batches
// of consecutive blocks. The mix follows a live deployment: mostly transfers,
// then quota use, locks, stakes and reservations that are later closed, and
// TRON payouts with their receipts. A seeded generator keeps runs comparable.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <stdlib.h>

#include "decoders/bytes.hpp"
#include "decoders/evm_events.hpp"
#include "decoders/u256.hpp"
#include "store/batch.hpp"
#include "store/database.hpp"
#include "store/writer.hpp"
#include "tests/support/spec_log_maker.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd::store_bench {

using testing_support::TempDir;

// Deterministic distinct bytes: `tag` first, then n big-endian at the end.
template <class Fixed>
Fixed fixed(std::uint8_t tag, std::uint64_t n) {
  Fixed out;
  out.bytes[0] = tag;
  for (std::size_t i = 0; i < 8; ++i)
    out.bytes[Fixed::kSize - 1 - i] = static_cast<std::uint8_t>(n >> (8 * i));
  return out;
}
inline EvmAddress user(std::uint64_t n) {
  return fixed<EvmAddress>(0xE0, n);
}
inline Hash32 id32(std::uint8_t tag, std::uint64_t n) {
  return fixed<Hash32>(tag, n);
}

inline StoreContracts bench_contracts() {
  StoreContracts c;
  c.bsc = TstContracts{fixed<EvmAddress>(0xC0, 1), fixed<EvmAddress>(0xC0, 2), fixed<EvmAddress>(0xC0, 3),
                       fixed<EvmAddress>(0xC0, 4)};
  c.tron_routers = {PayoutRouter{PayoutRouterType::kV0, fixed<EvmAddress>(0xC1, 1)},
                    PayoutRouter{PayoutRouterType::kKyc, fixed<EvmAddress>(0xC1, 2)}};
  c.solana_program_id = fixed<SolanaPubkey>(0xC2, 1);
  c.solana_pool = fixed<SolanaPubkey>(0xC2, 2);
  return c;
}

inline constexpr std::int64_t kGenesisTime = 1'700'000'000;
inline constexpr std::int64_t kBlockSeconds = 3;
inline constexpr std::uint64_t kForever = 4'000'000'000;  // far-future lockedUntil/expiresAt/reservedUntil

inline BlockHeader header(std::uint64_t height) {
  return BlockHeader{height, fixed<Hash32>(0xB0, height), fixed<Hash32>(0xB0, height - 1),
                     kGenesisTime + static_cast<std::int64_t>(height) * kBlockSeconds};
}

// ABI encoding of the SPEC events: the same LogMaker the store tests use.
using LogEncoder = spec_logs::LogMaker;
using spec_logs::word;

// ---- workload generators ----

// BSC logs: per 100 logs about 55 transfers, 15 quota uses, 6 locks, 5
// releases, 6 stakes, 5 unstakes, 5 reservations, 3 reservation releases.
// Closes name objects opened earlier (no anomalies), users come from a pool.
class BscWorkload {
 public:
  BscWorkload(const StoreContracts& contracts, std::uint32_t seed, std::uint64_t users)
      : make_(contracts), rng_(seed), users_(users) {}

  // `count` logs of block `height`, indexes from `first_index`.
  void block_logs(std::uint64_t height, std::uint32_t first_index, std::uint32_t count,
                  std::vector<RawLog>& out) {
    for (std::uint32_t i = 0; i < count; ++i) out.push_back(next(height, first_index + i));
  }

  // A log of `who` (the 200-event address of the query benchmark): the
  // n-th event of its cycle of ten, leaving open locks, stakes and reservations.
  RawLog hot_event(std::uint64_t height, std::uint32_t index, const EvmAddress& who, std::uint64_t n) {
    const std::uint64_t cycle = n / 10;
    const Hash32 lock = id32(0x4C, 1'000'000'000 + cycle);
    const Hash32 stake = id32(0x53, 1'000'000'000 + cycle);
    const Hash32 reservation = id32(0x52, 1'000'000'000 + cycle);
    const bool odd = cycle % 2 == 1;
    switch (n % 10) {
      case 0:
      case 7:
        return make_.transfer(height, index, user(pick(users_)), who, amount());
      case 1:
        return make_.transfer(height, index, who, user(pick(users_)), U256(1'000));
      case 2:
        return make_.locked(height, index, lock, who, amount(), kForever, "agreement-hot");
      case 3:
        return make_.staked(height, index, stake, who, static_cast<std::uint8_t>(1 + cycle % 3), amount(),
                            kForever);
      case 4:
        return make_.reserved(height, index, reservation, who, static_cast<std::uint8_t>(1 + cycle % 3),
                              amount(), 1000, kForever);
      case 5:
      case 6:
        return make_.consumed(height, index, reservation, who, 1);
      case 8:
        return odd ? make_.released(height, index, id32(0x4C, 1'000'000'000 + cycle - 1), who, U256(1))
                   : make_.transfer(height, index, who, user(pick(users_)), U256(1'000));
      default:
        return odd ? make_.unstaked(height, index, id32(0x53, 1'000'000'000 + cycle - 1), who, U256(1), false)
                   : make_.consumed(height, index, reservation, who, 2);
    }
  }

 private:
  struct Open {
    Hash32 id;
    EvmAddress who;
  };
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
  U256 amount() { return U256(pick(1'000'000'000'000'000'000ULL) + 1); }
  // Closes a random open object, or nullptr-equivalent false when none is open.
  bool take(std::vector<Open>& open, Open& out) {
    if (open.empty()) return false;
    const std::size_t at = pick(open.size());
    out = open[at];
    open[at] = open.back();
    open.pop_back();
    return true;
  }

  RawLog next(std::uint64_t height, std::uint32_t index) {
    const std::uint64_t roll = pick(100);
    const EvmAddress who = user(pick(users_));
    Open o;
    if (roll < 6) {
      locks_.push_back(Open{id32(0x4C, ++ids_), who});
      return make_.locked(height, index, locks_.back().id, who, amount(), kForever, "agreement-0001");
    }
    if (roll < 11 && take(locks_, o)) return make_.released(height, index, o.id, o.who, amount());
    if (roll >= 11 && roll < 17) {
      stakes_.push_back(Open{id32(0x53, ++ids_), who});
      return make_.staked(height, index, stakes_.back().id, who, static_cast<std::uint8_t>(1 + pick(3)),
                          amount(), kForever);
    }
    if (roll >= 17 && roll < 22 && take(stakes_, o))
      return make_.unstaked(height, index, o.id, o.who, amount(), false);
    if (roll >= 22 && roll < 27) {
      reservations_.push_back(Open{id32(0x52, ++ids_), who});
      return make_.reserved(height, index, reservations_.back().id, who,
                            static_cast<std::uint8_t>(1 + pick(3)), amount(), 100, kForever);
    }
    if (roll >= 27 && roll < 30 && take(reservations_, o))
      return make_.reservation_released(height, index, o.id, o.who);
    if (roll >= 30 && roll < 45 && !reservations_.empty()) {
      const Open& r = reservations_[pick(reservations_.size())];
      return make_.consumed(height, index, r.id, r.who, static_cast<std::uint32_t>(1 + pick(3)));
    }
    return make_.transfer(height, index, who, user(pick(users_)), amount());
  }

  LogEncoder make_;
  std::mt19937_64 rng_;
  std::uint64_t users_;
  std::uint64_t ids_ = 0;
  std::vector<Open> locks_, stakes_, reservations_;
};

// TRON logs: a payout batch is several PayoutExecuted (about 1 in 20 a
// PayoutFailed, and 1 in 50 a retry of an earlier failed id), then its
// BatchSettled; every log's transaction gets a receipt (1 in 100 reverted).
class TronWorkload {
 public:
  TronWorkload(const StoreContracts& contracts, std::uint32_t seed, std::uint64_t recipients)
      : make_(contracts), rng_(seed), recipients_(recipients) {}

  void block_logs(std::uint64_t height, std::uint32_t first_index, std::uint32_t count,
                  std::vector<RawLog>& logs, std::vector<TronTxInfo>& txs) {
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint32_t index = first_index + i;
      logs.push_back(next(height, index));
      txs.push_back(TronTxInfo{logs.back().tx_hash, height, pick(100) != 0, "SUCCESS",
                               static_cast<std::int64_t>(pick(30'000'000))});
      if (!txs.back().success) txs.back().result = "REVERT";
    }
  }

  // A PayoutExecuted to `recipient` (the recipient filter of the query benchmark).
  RawLog payout_to(std::uint64_t height, std::uint32_t index, const EvmAddress& recipient) {
    return make_.payout_executed(pick(2), height, index, id32(0x50, ++ids_), recipient, amount(),
                                 id32(0xBA, batch_), "monthly payout");
  }

 private:
  std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
  U256 amount() { return U256(pick(10'000'000'000ULL) + 1); }

  RawLog next(std::uint64_t height, std::uint32_t index) {
    if (in_batch_ == 0) {
      in_batch_ = 5 + pick(20);
      ++batch_;
      router_ = pick(2);
    }
    --in_batch_;
    if (in_batch_ == 0)
      return make_.batch_settled(router_, height, index, id32(0xBA, batch_), U256(10), U256(1));
    const EvmAddress recipient = user(pick(recipients_));
    const std::uint64_t roll = pick(100);
    if (roll < 5) {
      failed_.push_back(id32(0x50, ++ids_));
      return make_.payout_failed(router_, height, index, failed_.back(), recipient, amount(), "insufficient");
    }
    if (roll < 7 && !failed_.empty()) {
      const Hash32 retry = failed_.back();
      failed_.pop_back();
      return make_.payout_executed(router_, height, index, retry, recipient, amount(), id32(0xBA, batch_),
                                   "retry");
    }
    return make_.payout_executed(router_, height, index, id32(0x50, ++ids_), recipient, amount(),
                                 id32(0xBA, batch_), "monthly payout");
  }

  LogEncoder make_;
  std::mt19937_64 rng_;
  std::uint64_t recipients_;
  std::uint64_t ids_ = 0;
  std::uint64_t batch_ = 0;
  std::uint64_t in_batch_ = 0;
  std::size_t router_ = 0;
  std::vector<Hash32> failed_;
};

// Batches of `blocks_per_batch` blocks with `logs_per_block` logs on average
// (1..2·avg−1), every block header included, checkpoint = last block.
inline std::vector<Batch> bsc_batches(BscWorkload& work, std::uint64_t first_height, std::size_t batches,
                                      std::size_t blocks_per_batch, std::uint32_t logs_per_block,
                                      std::mt19937_64& rng) {
  std::vector<Batch> out;
  std::uint64_t height = first_height;
  for (std::size_t b = 0; b < batches; ++b) {
    Batch batch;
    for (std::size_t i = 0; i < blocks_per_batch; ++i, ++height) {
      batch.blocks.push_back(header(height));
      const auto count = static_cast<std::uint32_t>(1 + rng() % (2 * logs_per_block - 1));
      work.block_logs(height, 0, count, batch.logs);
    }
    batch.checkpoint = batch.blocks.back();
    out.push_back(std::move(batch));
  }
  return out;
}

// Reads an unsigned environment variable, `fallback` when unset or not a number.
inline std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  return end != nullptr && *end == '\0' ? static_cast<std::uint64_t>(value) : fallback;
}

// Copies the whole WAL into the database file and empties it, so the file
// size is the store's size and readers find no page in the WAL. Retried
// while the writer's background checkpointer holds the checkpoint lock
// (SQLite then reports busy = 1); aborts on an error or after ~10 s.
inline void truncate_wal(Database& db) {
  auto stmt = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  for (int attempt = 0; stmt && attempt < 1000; ++attempt) {
    auto row = stmt->step();
    if (!row) break;
    const bool busy = *row && stmt->column_int64(0) != 0;
    stmt->reset();
    if (!busy) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::fprintf(stderr, "wal checkpoint (TRUNCATE) failed or stayed busy\n");
  std::abort();
}

}  // namespace csd::store_bench
