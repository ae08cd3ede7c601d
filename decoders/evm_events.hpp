// Typed events of the contracts chainsyncd follows: a raw EVM/TRON log
// (emitting address, topics, data) becomes one of the events of SPEC 3.1 (the
// TST token, escrow, staking and compute-reserve contracts on BSC) or SPEC 3.3
// (the TRON payout routers). Built on the generic ABI decoder
// (decoders/abi.hpp) with the SPEC signatures kept in one place below; a
// decoder is built once from the configured contract addresses and then
// dispatches each log by topic0 and emitting address. Events whose parameters
// are all one-word values (every SPEC event but those with a string) are read
// straight from their topics and data words first; a log that this fast path
// does not take as it stands goes to the generic decoder, which also gives
// every error its message. decode_reference runs the generic decoder alone, so tests and
// the fuzz target check that both give the same answer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "decoders/abi_signature.hpp"
#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"

namespace csd {

namespace evm_events_detail {
// Where each parameter of an event sits when all of them are one-word values
// (uintN, address, bool, bytes32): in a topic or in a data word. `params` 0:
// the event has another kind of parameter and always takes the generic path.
struct WordLayout {
  static constexpr std::size_t kMaxParams = 8;
  enum class Kind : std::uint8_t { kUint, kAddress, kBool, kBytes32 };
  std::uint8_t params = 0;
  std::uint8_t topics = 0;      // topic0 included
  std::uint8_t data_words = 0;  // the data's head
  std::array<bool, kMaxParams> indexed{};
  std::array<std::uint8_t, kMaxParams> slot{};  // topic index, or data word index
  std::array<Kind, kMaxParams> kind{};
  std::array<std::uint16_t, kMaxParams> bits{};  // uintN: N
};
}  // namespace evm_events_detail

// SPEC 3.1, verbatim. The order is the order of the TstEvent alternatives.
inline constexpr std::array<std::string_view, 9> kTstEventSignatures = {
    "event Transfer(address indexed from, address indexed to, uint256 value)",
    "event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, "
    "string agreementId)",
    "event TSTReleased(bytes32 indexed lockId, address indexed user, uint256 amount)",
    "event LockTerminatedEarly(bytes32 indexed lockId, address indexed user, uint256 returned, uint256 "
    "penalty)",
    "event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 "
    "expiresAt)",
    "event TierUnstaked(bytes32 indexed stakeId, address indexed user, uint256 amount, bool emergency)",
    "event ComputeReserved(bytes32 indexed reservationId, address indexed user, uint8 entityType, "
    "uint256 amount, uint32 quotaPerDay, uint64 reservedUntil)",
    "event QuotaConsumed(bytes32 indexed reservationId, address indexed user, uint32 units)",
    "event ReservationReleased(bytes32 indexed reservationId, address indexed user)",
};

// SPEC 3.3, verbatim. The order is the order of the PayoutEvent alternatives.
inline constexpr std::array<std::string_view, 3> kPayoutEventSignatures = {
    "event PayoutExecuted(bytes32 indexed payoutId, address indexed recipient, uint256 amount, "
    "bytes32 batchId, string reason)",
    "event PayoutFailed(bytes32 indexed payoutId, address indexed recipient, uint256 amount, string error)",
    "event BatchSettled(bytes32 indexed batchId, uint256 count, uint256 totalAmount)",
};

// ---- SPEC 3.1: BSC ----

struct TransferEvent {
  EvmAddress from;
  EvmAddress to;
  U256 value;
  friend bool operator==(const TransferEvent&, const TransferEvent&) = default;
};
struct TstLockedEvent {
  Hash32 lock_id;
  EvmAddress user;
  U256 amount;
  std::uint64_t locked_until = 0;
  std::string agreement_id;  // the string's raw bytes as emitted (UTF-8 not validated)
  friend bool operator==(const TstLockedEvent&, const TstLockedEvent&) = default;
};
struct TstReleasedEvent {
  Hash32 lock_id;
  EvmAddress user;
  U256 amount;
  friend bool operator==(const TstReleasedEvent&, const TstReleasedEvent&) = default;
};
struct LockTerminatedEarlyEvent {
  Hash32 lock_id;
  EvmAddress user;
  U256 returned;
  U256 penalty;
  friend bool operator==(const LockTerminatedEarlyEvent&, const LockTerminatedEarlyEvent&) = default;
};
struct TierStakedEvent {
  Hash32 stake_id;
  EvmAddress user;
  std::uint8_t tier = 0;
  U256 amount;
  std::uint64_t expires_at = 0;
  friend bool operator==(const TierStakedEvent&, const TierStakedEvent&) = default;
};
struct TierUnstakedEvent {
  Hash32 stake_id;
  EvmAddress user;
  U256 amount;
  bool emergency = false;
  friend bool operator==(const TierUnstakedEvent&, const TierUnstakedEvent&) = default;
};
struct ComputeReservedEvent {
  Hash32 reservation_id;
  EvmAddress user;
  std::uint8_t entity_type = 0;
  U256 amount;
  std::uint32_t quota_per_day = 0;
  std::uint64_t reserved_until = 0;
  friend bool operator==(const ComputeReservedEvent&, const ComputeReservedEvent&) = default;
};
struct QuotaConsumedEvent {
  Hash32 reservation_id;
  EvmAddress user;
  std::uint32_t units = 0;
  friend bool operator==(const QuotaConsumedEvent&, const QuotaConsumedEvent&) = default;
};
struct ReservationReleasedEvent {
  Hash32 reservation_id;
  EvmAddress user;
  friend bool operator==(const ReservationReleasedEvent&, const ReservationReleasedEvent&) = default;
};

using TstEvent =
    std::variant<TransferEvent, TstLockedEvent, TstReleasedEvent, LockTerminatedEarlyEvent, TierStakedEvent,
                 TierUnstakedEvent, ComputeReservedEvent, QuotaConsumedEvent, ReservationReleasedEvent>;

// "TierStaked", ...: the SPEC event name of the alternative held.
[[nodiscard]] std::string_view event_name(const TstEvent& event) noexcept;

// The configured SPEC 3.1 contracts. Each event is accepted only from its own
// contract: Transfer from tst; TSTLocked, TSTReleased, LockTerminatedEarly from
// escrow; TierStaked, TierUnstaked from staking; ComputeReserved,
// QuotaConsumed, ReservationReleased from compute_reserve.
struct TstContracts {
  EvmAddress tst;
  EvmAddress escrow;
  EvmAddress staking;
  EvmAddress compute_reserve;
};

// Maps raw logs of the SPEC 3.1 contracts to TstEvents. Parses the SPEC
// signatures once at construction; immutable afterwards, so one instance may
// be shared by any number of threads.
class TstEventDecoder {
 public:
  explicit TstEventDecoder(const TstContracts& contracts);

  // The topic0 filter for eth_getLogs: keccak256 of each SPEC 3.1 signature,
  // in kTstEventSignatures order.
  [[nodiscard]] std::span<const Hash32> topic0s() const noexcept { return topic0s_; }
  // The address filter for eth_getLogs: the configured contracts, duplicates removed.
  [[nodiscard]] std::vector<EvmAddress> addresses() const;
  [[nodiscard]] const TstContracts& contracts() const noexcept { return contracts_; }

  // nullopt: not one of ours — no topics, a topic0 that is not a SPEC 3.1
  // event, or one emitted by an address that is not the contract of that event
  // (an Approval on the TST contract, a Transfer of another token).
  // Error (kMalformed): a configured contract emitted one of its topic0s but
  // the log does not decode (wrong topic count, short data, dirty padding,
  // bad offsets); the message names the event and the field, e.g.
  // "abi: TSTLocked.agreementId: offset 0x1e0 past 416-byte data".
  [[nodiscard]] Result<std::optional<TstEvent>> decode(const EvmAddress& address,
                                                       std::span<const Hash32> topics, ByteSpan data) const;
  // decode by the generic ABI decoder alone, without the one-word fast path:
  // the reference decode is checked against.
  [[nodiscard]] Result<std::optional<TstEvent>> decode_reference(const EvmAddress& address,
                                                                 std::span<const Hash32> topics,
                                                                 ByteSpan data) const;

 private:
  // All constant after construction. topic0s_ precedes signatures_: the
  // constructor fills it while parsing them.
  TstContracts contracts_;
  std::array<Hash32, kTstEventSignatures.size()> topic0s_{};       // signatures_[i].topic0()
  std::vector<EventSignature> signatures_;                         // kTstEventSignatures order
  std::array<EvmAddress, kTstEventSignatures.size()> emitters_{};  // the contract of each event
  std::vector<evm_events_detail::WordLayout> layouts_;             // of signatures_[i]
  [[nodiscard]] Result<std::optional<TstEvent>> decode_with(bool fast_path, const EvmAddress& address,
                                                            std::span<const Hash32> topics,
                                                            ByteSpan data) const;
};

// The fields of a log the caller knows to be a SPEC 3.1 Transfer, whatever
// contract emitted it (the store reads a ledger row's transfer back from its
// raw log). kMalformed, naming the field, for a log that is not one: another
// topic0, a wrong topic count, short data, dirty padding.
[[nodiscard]] Result<TransferEvent> decode_transfer(std::span<const Hash32> topics, ByteSpan data);

// ---- SPEC 3.3: TRON payout routers ----

struct PayoutExecutedEvent {
  Hash32 payout_id;
  EvmAddress recipient;  // the 20-byte form in the log; TRON address = 0x41 ‖ it (tron_address_from_evm20)
  U256 amount;
  Hash32 batch_id;
  std::string reason;  // raw bytes as emitted
  friend bool operator==(const PayoutExecutedEvent&, const PayoutExecutedEvent&) = default;
};
struct PayoutFailedEvent {
  Hash32 payout_id;
  EvmAddress recipient;  // 20-byte form, as above
  U256 amount;
  std::string error;  // raw bytes as emitted
  friend bool operator==(const PayoutFailedEvent&, const PayoutFailedEvent&) = default;
};
struct BatchSettledEvent {
  Hash32 batch_id;
  U256 count;
  U256 total_amount;
  friend bool operator==(const BatchSettledEvent&, const BatchSettledEvent&) = default;
};

using PayoutEvent = std::variant<PayoutExecutedEvent, PayoutFailedEvent, BatchSettledEvent>;

[[nodiscard]] std::string_view event_name(const PayoutEvent& event) noexcept;

// SPEC 3.3 router types; the values are stable (stored in the payout table).
enum class PayoutRouterType : std::uint8_t { kV0 = 1, kKyc = 2 };

// "PayoutRouterV0" / "PayoutRouterKYC", the names the config uses.
[[nodiscard]] std::string_view payout_router_type_name(PayoutRouterType type) noexcept;
// The inverse of payout_router_type_name (exact, case-sensitive); nullopt otherwise.
[[nodiscard]] std::optional<PayoutRouterType> parse_payout_router_type(std::string_view text) noexcept;

struct PayoutRouter {
  PayoutRouterType type = PayoutRouterType::kV0;
  EvmAddress address;  // the 20-byte form logs carry
  friend bool operator==(const PayoutRouter&, const PayoutRouter&) = default;
};

struct DecodedPayout {
  PayoutRouter router;  // the router that emitted the log
  PayoutEvent event;
  friend bool operator==(const DecodedPayout&, const DecodedPayout&) = default;
};

// Maps raw logs of the configured payout routers to PayoutEvents. Any router
// emits all three SPEC 3.3 events. Immutable after construction, so it is
// safe to share between threads.
class PayoutEventDecoder {
 public:
  // Routers with a repeated address: the first one listed wins (config
  // validation is expected to reject repeats).
  explicit PayoutEventDecoder(std::vector<PayoutRouter> routers);

  // The topic0 filter: keccak256 of each SPEC 3.3 signature, in kPayoutEventSignatures order.
  [[nodiscard]] std::span<const Hash32> topic0s() const noexcept { return topic0s_; }
  [[nodiscard]] std::span<const PayoutRouter> routers() const noexcept { return routers_; }

  // nullopt: no topics, an address that is no configured router, or a topic0
  // that is not a SPEC 3.3 event. Error (kMalformed): a router emitted one of
  // the topic0s but the log does not decode; the message names event and field.
  [[nodiscard]] Result<std::optional<DecodedPayout>> decode(const EvmAddress& address,
                                                            std::span<const Hash32> topics,
                                                            ByteSpan data) const;
  // decode by the generic ABI decoder alone (see TstEventDecoder::decode_reference).
  [[nodiscard]] Result<std::optional<DecodedPayout>> decode_reference(const EvmAddress& address,
                                                                      std::span<const Hash32> topics,
                                                                      ByteSpan data) const;

 private:
  // All constant after construction; topic0s_ precedes signatures_ (filled while parsing them).
  std::vector<PayoutRouter> routers_;
  std::array<Hash32, kPayoutEventSignatures.size()> topic0s_{};  // signatures_[i].topic0()
  std::vector<EventSignature> signatures_;                       // kPayoutEventSignatures order
  std::vector<evm_events_detail::WordLayout> layouts_;           // of signatures_[i]
  [[nodiscard]] Result<std::optional<DecodedPayout>> decode_with(bool fast_path, const EvmAddress& address,
                                                                 std::span<const Hash32> topics,
                                                                 ByteSpan data) const;
};

}  // namespace csd
