#include "decoders/evm_events.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <utility>

#include "decoders/abi.hpp"

namespace csd {
namespace {

constexpr std::size_t kNotFound = std::numeric_limits<std::size_t>::max();

// Index of topic0 in `topic0s`, or kNotFound. A linear scan over at most nine
// 32-byte keys: no allocation, and faster than hashing at this size.
std::size_t find_topic0(std::span<const Hash32> topic0s, const Hash32& topic0) noexcept {
  for (std::size_t i = 0; i < topic0s.size(); ++i) {
    if (topic0s[i] == topic0) return i;
  }
  return kNotFound;
}

// The SPEC signatures are constants: failing to parse one is a bug, not an error value.
template <std::size_t N>
std::vector<EventSignature> parse_all(const std::array<std::string_view, N>& texts,
                                      std::array<Hash32, N>& topic0s) {
  std::vector<EventSignature> out;
  out.reserve(N);
  for (std::size_t i = 0; i < N; ++i) {
    auto signature = parse_event_signature(texts[i]);
    if (!signature) std::abort();
    topic0s[i] = signature->topic0();
    out.push_back(std::move(*signature));
  }
  return out;
}

// Reads the typed fields of a decoded log by parameter position (the
// signatures are ours, so positions are known). A failing accessor records an
// error naming event and field and returns false. decode_log has already
// checked each value against its type's width, so these checks cannot fail on
// the SPEC signatures; they keep the narrowing explicit and UB-free.
class Fields {
 public:
  Fields(const EventSignature& signature, DecodedLog& log) noexcept : signature_(signature), log_(log) {}

  bool hash(std::size_t i, Hash32& out) {
    return take(i, value(i) ? value(i)->as_bytes32() : missing(), out);
  }
  bool address(std::size_t i, EvmAddress& out) {
    return take(i, value(i) ? value(i)->as_address() : missing(), out);
  }
  bool u256(std::size_t i, U256& out) { return take(i, value(i) ? value(i)->as_u256() : missing(), out); }
  bool u64(std::size_t i, std::uint64_t& out) {
    return take(i, value(i) ? value(i)->as_u64() : missing(), out);
  }
  bool boolean(std::size_t i, bool& out) { return take(i, value(i) ? value(i)->as_bool() : missing(), out); }

  // uint8 / uint32 fields.
  template <class Narrow>
  bool narrow(std::size_t i, Narrow& out) {
    std::uint64_t wide = 0;
    if (!u64(i, wide)) return false;
    if (wide > std::numeric_limits<Narrow>::max()) {
      return fail(i, make_error(ErrorCode::kOutOfRange, std::to_string(wide) + " does not fit " +
                                                            std::to_string(sizeof(Narrow) * 8) + " bits"));
    }
    out = static_cast<Narrow>(wide);
    return true;
  }

  // Moves the string out of the decoded value: the event's one allocation.
  bool string(std::size_t i, std::string& out) {
    AbiValue* v = value(i);
    auto* text = v != nullptr ? std::get_if<std::string>(&v->storage) : nullptr;
    if (text == nullptr) {
      return fail(i, v != nullptr ? v->as_string().error() : make_error(ErrorCode::kInternal, "missing"));
    }
    out = std::move(*text);
    return true;
  }

  // REQUIRES: an accessor returned false.
  [[nodiscard]] Error take_error() && { return std::move(*error_); }

 private:
  AbiValue* value(std::size_t i) noexcept { return i < log_.params.size() ? &log_.params[i].value : nullptr; }
  static Error missing() { return make_error(ErrorCode::kInternal, "parameter missing from decoded log"); }

  template <class T>
  bool take(std::size_t i, Result<T> result, T& out) {
    if (!result) return fail(i, std::move(result).error());
    out = std::move(*result);
    return true;
  }

  bool fail(std::size_t i, Error error) {
    std::string where = "abi: " + signature_.name() + ".";
    where += i < signature_.params().size() ? signature_.params()[i].name : "arg" + std::to_string(i);
    error_ = with_context(std::move(error), where);
    return false;
  }

  const EventSignature& signature_;
  DecodedLog& log_;
  std::optional<Error> error_;
};

using evm_events_detail::WordLayout;

// The fast path's layout of `signature`; params 0 when a parameter is not a
// one-word value the fast path reads (then the event always goes generic).
WordLayout word_layout(const EventSignature& signature) noexcept {
  WordLayout layout;
  const auto params = signature.params();
  if (params.size() > WordLayout::kMaxParams) return {};
  std::uint8_t topics = 1;
  std::uint8_t words = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const AbiType& type = params[i].type;
    if (!type.dims.empty()) return {};
    switch (type.base) {
      case AbiBaseKind::kUint:
        layout.kind[i] = WordLayout::Kind::kUint;
        layout.bits[i] = type.width;
        break;
      case AbiBaseKind::kAddress:
        layout.kind[i] = WordLayout::Kind::kAddress;
        break;
      case AbiBaseKind::kBool:
        layout.kind[i] = WordLayout::Kind::kBool;
        break;
      case AbiBaseKind::kFixedBytes:
        if (type.width != 32) return {};
        layout.kind[i] = WordLayout::Kind::kBytes32;
        break;
      default:
        return {};
    }
    layout.indexed[i] = params[i].indexed;
    layout.slot[i] = params[i].indexed ? topics++ : words++;
  }
  layout.params = static_cast<std::uint8_t>(params.size());
  layout.topics = topics;
  layout.data_words = words;
  return layout;
}

// Whether `word` is a canonical encoding of a value of the kind: the same
// padding rules as decode_log's (decoders/abi.hpp).
bool canonical_word(WordLayout::Kind kind, std::uint16_t bits,
                    std::span<const std::uint8_t, 32> word) noexcept {
  const auto zero_before = [&](std::size_t end) {
    for (std::size_t i = 0; i < end; ++i) {
      if (word[i] != 0) return false;
    }
    return true;
  };
  switch (kind) {
    case WordLayout::Kind::kUint:
      return zero_before(32 - bits / 8);
    case WordLayout::Kind::kAddress:
      return zero_before(12);
    case WordLayout::Kind::kBool:
      return zero_before(31) && word[31] <= 1;
    case WordLayout::Kind::kBytes32:
      return true;
  }
  return false;
}

// Reads the parameters of a one-word-layout log straight from its topics and
// data words. Any accessor returns false, with no message, where the fast path
// does not decide: the caller then decodes generically.
class WordFields {
 public:
  // False when the log's shape or a word's padding is not what the layout
  // accepts (wrong topic count, short data, a dirty word).
  [[nodiscard]] static bool fits(const WordLayout& layout, std::span<const Hash32> topics,
                                 ByteSpan data) noexcept {
    if (layout.params == 0 || topics.size() != layout.topics ||
        data.size() < std::size_t{32} * layout.data_words)
      return false;
    for (std::size_t i = 0; i < layout.params; ++i) {
      if (!canonical_word(layout.kind[i], layout.bits[i], word_of(layout, topics, data, i))) return false;
    }
    return true;
  }
  WordFields(const WordLayout& layout, std::span<const Hash32> topics, ByteSpan data) noexcept
      : layout_(layout), topics_(topics), data_(data) {}

  bool hash(std::size_t i, Hash32& out) {
    if (layout_.kind[i] != WordLayout::Kind::kBytes32) return false;
    out = Hash32::from(word(i));
    return true;
  }
  bool address(std::size_t i, EvmAddress& out) {
    if (layout_.kind[i] != WordLayout::Kind::kAddress) return false;
    out = EvmAddress::from(word(i).last<EvmAddress::kSize>());
    return true;
  }
  bool u256(std::size_t i, U256& out) {
    if (layout_.kind[i] != WordLayout::Kind::kUint) return false;
    out = U256::from_be_bytes(word(i));
    return true;
  }
  bool u64(std::size_t i, std::uint64_t& out) {
    if (layout_.kind[i] != WordLayout::Kind::kUint) return false;
    const auto w = word(i);
    for (std::size_t b = 0; b < 24; ++b) {
      if (w[b] != 0) return false;
    }
    out = 0;
    for (std::size_t b = 24; b < 32; ++b) out = out << 8 | w[b];
    return true;
  }
  template <class Narrow>
  bool narrow(std::size_t i, Narrow& out) {
    std::uint64_t wide = 0;
    if (!u64(i, wide) || wide > std::numeric_limits<Narrow>::max()) return false;
    out = static_cast<Narrow>(wide);
    return true;
  }
  bool boolean(std::size_t i, bool& out) {
    if (layout_.kind[i] != WordLayout::Kind::kBool) return false;
    out = word(i)[31] == 1;
    return true;
  }
  bool string(std::size_t, std::string&) { return false; }

 private:
  static std::span<const std::uint8_t, 32> word_of(const WordLayout& layout, std::span<const Hash32> topics,
                                                   ByteSpan data, std::size_t i) noexcept {
    if (layout.indexed[i]) return std::span<const std::uint8_t, 32>(topics[layout.slot[i]].bytes);
    return data.subspan(std::size_t{32} * layout.slot[i]).first<32>();
  }
  std::span<const std::uint8_t, 32> word(std::size_t i) const noexcept {
    return word_of(layout_, topics_, data_, i);
  }

  const WordLayout& layout_;
  std::span<const Hash32> topics_;
  ByteSpan data_;
};

// Each to_event fills the event from the parameters in SPEC signature order,
// through Fields (a generically decoded log) or WordFields (the fast path).
template <class F>
bool to_event(F& f, TransferEvent& e) {
  return f.address(0, e.from) && f.address(1, e.to) && f.u256(2, e.value);
}
template <class F>
bool to_event(F& f, TstLockedEvent& e) {
  return f.hash(0, e.lock_id) && f.address(1, e.user) && f.u256(2, e.amount) && f.u64(3, e.locked_until) &&
         f.string(4, e.agreement_id);
}
template <class F>
bool to_event(F& f, TstReleasedEvent& e) {
  return f.hash(0, e.lock_id) && f.address(1, e.user) && f.u256(2, e.amount);
}
template <class F>
bool to_event(F& f, LockTerminatedEarlyEvent& e) {
  return f.hash(0, e.lock_id) && f.address(1, e.user) && f.u256(2, e.returned) && f.u256(3, e.penalty);
}
template <class F>
bool to_event(F& f, TierStakedEvent& e) {
  return f.hash(0, e.stake_id) && f.address(1, e.user) && f.narrow(2, e.tier) && f.u256(3, e.amount) &&
         f.u64(4, e.expires_at);
}
template <class F>
bool to_event(F& f, TierUnstakedEvent& e) {
  return f.hash(0, e.stake_id) && f.address(1, e.user) && f.u256(2, e.amount) && f.boolean(3, e.emergency);
}
template <class F>
bool to_event(F& f, ComputeReservedEvent& e) {
  return f.hash(0, e.reservation_id) && f.address(1, e.user) && f.narrow(2, e.entity_type) &&
         f.u256(3, e.amount) && f.narrow(4, e.quota_per_day) && f.u64(5, e.reserved_until);
}
template <class F>
bool to_event(F& f, QuotaConsumedEvent& e) {
  return f.hash(0, e.reservation_id) && f.address(1, e.user) && f.narrow(2, e.units);
}
template <class F>
bool to_event(F& f, ReservationReleasedEvent& e) {
  return f.hash(0, e.reservation_id) && f.address(1, e.user);
}
template <class F>
bool to_event(F& f, PayoutExecutedEvent& e) {
  return f.hash(0, e.payout_id) && f.address(1, e.recipient) && f.u256(2, e.amount) &&
         f.hash(3, e.batch_id) && f.string(4, e.reason);
}
template <class F>
bool to_event(F& f, PayoutFailedEvent& e) {
  return f.hash(0, e.payout_id) && f.address(1, e.recipient) && f.u256(2, e.amount) && f.string(3, e.error);
}
template <class F>
bool to_event(F& f, BatchSettledEvent& e) {
  return f.hash(0, e.batch_id) && f.u256(1, e.count) && f.u256(2, e.total_amount);
}

// Decodes the log with signatures[index] into the variant alternative `index`.
// With a `layout` (the fast path), a log that fits it is read word by word
// first; everything else, and any field the fast path does not decide, is
// decoded generically.
template <class Variant, std::size_t I = 0>
Result<Variant> decode_as(std::size_t index, const EventSignature& signature, const WordLayout* layout,
                          std::span<const Hash32> topics, ByteSpan data) {
  if constexpr (I < std::variant_size_v<Variant>) {
    if (index != I) return decode_as<Variant, I + 1>(index, signature, layout, topics, data);
    if (layout != nullptr && WordFields::fits(*layout, topics, data)) {
      WordFields words(*layout, topics, data);
      Variant event(std::in_place_index<I>);
      if (to_event(words, std::get<I>(event))) return event;
    }
    auto log = decode_log(signature, topics, data);
    if (!log) return std::move(log).error();
    Fields fields(signature, *log);
    Variant event(std::in_place_index<I>);
    if (!to_event(fields, std::get<I>(event))) return std::move(fields).take_error();
    return event;
  } else {
    return make_error(ErrorCode::kInternal, "event index out of range");
  }
}

std::string_view signature_name(std::string_view text) noexcept {
  constexpr std::string_view kEvent = "event ";
  if (text.substr(0, kEvent.size()) == kEvent) text.remove_prefix(kEvent.size());
  return text.substr(0, text.find('('));
}

template <std::size_t N>
std::string_view name_at(const std::array<std::string_view, N>& texts, std::size_t index) noexcept {
  return index < N ? signature_name(texts[index]) : std::string_view();
}

}  // namespace

std::string_view event_name(const TstEvent& event) noexcept {
  return name_at(kTstEventSignatures, event.index());
}

std::string_view event_name(const PayoutEvent& event) noexcept {
  return name_at(kPayoutEventSignatures, event.index());
}

TstEventDecoder::TstEventDecoder(const TstContracts& contracts)
    : contracts_(contracts),
      topic0s_{},
      signatures_(parse_all(kTstEventSignatures, topic0s_)),
      // The one contract allowed to emit each event, in kTstEventSignatures order.
      emitters_{contracts.tst,
                contracts.escrow,
                contracts.escrow,
                contracts.escrow,
                contracts.staking,
                contracts.staking,
                contracts.compute_reserve,
                contracts.compute_reserve,
                contracts.compute_reserve} {
  for (const EventSignature& signature : signatures_) layouts_.push_back(word_layout(signature));
}

std::vector<EvmAddress> TstEventDecoder::addresses() const {
  std::vector<EvmAddress> out;
  for (const EvmAddress& address :
       {contracts_.tst, contracts_.escrow, contracts_.staking, contracts_.compute_reserve}) {
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  }
  return out;
}

Result<std::optional<TstEvent>> TstEventDecoder::decode(const EvmAddress& address,
                                                        std::span<const Hash32> topics, ByteSpan data) const {
  return decode_with(true, address, topics, data);
}

Result<std::optional<TstEvent>> TstEventDecoder::decode_reference(const EvmAddress& address,
                                                                  std::span<const Hash32> topics,
                                                                  ByteSpan data) const {
  return decode_with(false, address, topics, data);
}

Result<std::optional<TstEvent>> TstEventDecoder::decode_with(bool fast_path, const EvmAddress& address,
                                                             std::span<const Hash32> topics,
                                                             ByteSpan data) const {
  if (topics.empty()) return std::optional<TstEvent>();  // anonymous: none of the SPEC events
  const std::size_t index = find_topic0(topic0s_, topics[0]);
  if (index == kNotFound || emitters_[index] != address) return std::optional<TstEvent>();
  auto event =
      decode_as<TstEvent>(index, signatures_[index], fast_path ? &layouts_[index] : nullptr, topics, data);
  if (!event) return std::move(event).error();
  return std::optional<TstEvent>(std::move(*event));
}

Result<TransferEvent> decode_transfer(std::span<const Hash32> topics, ByteSpan data) {
  // Parsed once (thread-safe static initialisation), immutable afterwards.
  struct Parsed {
    std::array<Hash32, 1> topic0{};
    std::vector<EventSignature> signature;
    WordLayout layout;
  };
  static const Parsed parsed = [] {
    Parsed out;
    out.signature = parse_all(std::array<std::string_view, 1>{kTstEventSignatures[0]}, out.topic0);
    out.layout = word_layout(out.signature[0]);
    return out;
  }();
  if (topics.empty() || topics[0] != parsed.topic0[0])
    return make_error(ErrorCode::kMalformed, "abi: not a Transfer log (topic0)");
  auto event = decode_as<std::variant<TransferEvent>>(0, parsed.signature[0], &parsed.layout, topics, data);
  if (!event) return std::move(event).error();
  return std::get<TransferEvent>(*event);
}

std::string_view payout_router_type_name(PayoutRouterType type) noexcept {
  switch (type) {
    case PayoutRouterType::kV0:
      return "PayoutRouterV0";
    case PayoutRouterType::kKyc:
      return "PayoutRouterKYC";
  }
  return "unknown";
}

std::optional<PayoutRouterType> parse_payout_router_type(std::string_view text) noexcept {
  for (const PayoutRouterType type : {PayoutRouterType::kV0, PayoutRouterType::kKyc}) {
    if (text == payout_router_type_name(type)) return type;
  }
  return std::nullopt;
}

PayoutEventDecoder::PayoutEventDecoder(std::vector<PayoutRouter> routers)
    : routers_(std::move(routers)), topic0s_{}, signatures_(parse_all(kPayoutEventSignatures, topic0s_)) {
  for (const EventSignature& signature : signatures_) layouts_.push_back(word_layout(signature));
}

Result<std::optional<DecodedPayout>> PayoutEventDecoder::decode(const EvmAddress& address,
                                                                std::span<const Hash32> topics,
                                                                ByteSpan data) const {
  return decode_with(true, address, topics, data);
}

Result<std::optional<DecodedPayout>> PayoutEventDecoder::decode_reference(const EvmAddress& address,
                                                                          std::span<const Hash32> topics,
                                                                          ByteSpan data) const {
  return decode_with(false, address, topics, data);
}

Result<std::optional<DecodedPayout>> PayoutEventDecoder::decode_with(bool fast_path,
                                                                     const EvmAddress& address,
                                                                     std::span<const Hash32> topics,
                                                                     ByteSpan data) const {
  if (topics.empty()) return std::optional<DecodedPayout>();
  const auto router = std::find_if(routers_.begin(), routers_.end(),
                                   [&](const PayoutRouter& r) { return r.address == address; });
  if (router == routers_.end()) return std::optional<DecodedPayout>();
  const std::size_t index = find_topic0(topic0s_, topics[0]);
  if (index == kNotFound) return std::optional<DecodedPayout>();
  auto event =
      decode_as<PayoutEvent>(index, signatures_[index], fast_path ? &layouts_[index] : nullptr, topics, data);
  if (!event) return std::move(event).error();
  return std::optional<DecodedPayout>(DecodedPayout{*router, std::move(*event)});
}

}  // namespace csd
