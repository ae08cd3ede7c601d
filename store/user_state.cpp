#include "store/user_state.hpp"

#include <limits>
#include <string>

#include "store/rules.hpp"
#include "store/try.hpp"

namespace csd::store_derive {
namespace {

// The writers below and their sizes (encoded_size) change together.
void put_opened(pack::Sink& out, const Opened& opened) {
  out.put_be(opened.block, 8);
  out.put_be(opened.log_index, 4);
}
void put_i64(pack::Sink& out, std::int64_t value) {
  out.put_be(static_cast<std::uint64_t>(value), 8);
}
constexpr std::size_t kOpenedSize = 12;

std::size_t lock_size(const OpenLock& lock) {
  return Hash32::kSize + kOpenedSize + Hash32::kSize + pack::amount_size(lock.amount) + 8 +
         pack::varint_size(lock.agreement_id.size()) + lock.agreement_id.size();
}
void put_lock(pack::Sink& out, const OpenLock& lock) {
  out.put_fixed(lock.id);
  put_opened(out, lock.opened);
  out.put_fixed(lock.tx_hash);
  out.put_amount(lock.amount);
  put_i64(out, lock.locked_until);
  out.put_varint(lock.agreement_id.size());
  out.put_bytes(reinterpret_cast<const std::uint8_t*>(lock.agreement_id.data()), lock.agreement_id.size());
}

std::size_t stake_size(const OpenStake& stake) {
  return Hash32::kSize + kOpenedSize + Hash32::kSize + 8 + 1 + pack::amount_size(stake.amount) + 8;
}
void put_stake(pack::Sink& out, const OpenStake& stake) {
  out.put_fixed(stake.id);
  put_opened(out, stake.opened);
  out.put_fixed(stake.tx_hash);
  put_i64(out, stake.time);
  out.put_byte(stake.tier);
  out.put_amount(stake.amount);
  put_i64(out, stake.expires_at);
}

std::size_t reservation_size(const OpenReservation& reservation, bool with_quota) {
  const std::size_t fixed = Hash32::kSize + kOpenedSize + 1 + pack::amount_size(reservation.amount) + 4 + 8;
  if (!with_quota) return fixed;
  return fixed + pack::varint_size(static_cast<std::uint64_t>(reservation.quota.day)) +
         pack::varint_size(reservation.quota.units) + pack::varint_size(reservation.quota.units_day_before);
}
void put_reservation(pack::Sink& out, const OpenReservation& reservation, bool with_quota) {
  out.put_fixed(reservation.id);
  put_opened(out, reservation.opened);
  out.put_byte(reservation.entity_type);
  out.put_amount(reservation.amount);
  out.put_be(reservation.quota_per_day, 4);
  put_i64(out, reservation.reserved_until);
  if (!with_quota) return;
  out.put_varint(static_cast<std::uint64_t>(reservation.quota.day));
  out.put_varint(reservation.quota.units);
  out.put_varint(reservation.quota.units_day_before);
}

Result<Opened> take_opened(pack::Reader& in) {
  CSD_TRY(block, in.take_be(8, "block"));
  CSD_TRY(log_index, in.take_be(4, "log_index"));
  return Opened{block, static_cast<std::uint32_t>(log_index)};
}
Result<std::int64_t> take_i64(pack::Reader& in, const char* field) {
  CSD_TRY(raw, in.take_be(8, field));
  return static_cast<std::int64_t>(raw);
}
Result<std::uint8_t> take_u8(pack::Reader& in, const char* field) {
  CSD_TRY(raw, in.take_be(1, field));
  return static_cast<std::uint8_t>(raw);
}

Result<OpenLock> take_lock(pack::Reader& in) {
  OpenLock lock;
  CSD_TRY(id, in.take_fixed<Hash32>("lock id"));
  CSD_TRY(opened, take_opened(in));
  CSD_TRY(tx_hash, in.take_fixed<Hash32>("lock tx_hash"));
  CSD_TRY(amount, in.take_amount("lock amount"));
  CSD_TRY(until, take_i64(in, "locked_until"));
  CSD_TRY(length, in.take_varint("agreement_id length"));
  CSD_TRY(text, in.take(static_cast<std::size_t>(
                            std::min<std::uint64_t>(length, std::numeric_limits<std::size_t>::max())),
                        "agreement_id"));
  lock.id = id;
  lock.opened = opened;
  lock.tx_hash = tx_hash;
  lock.amount = amount;
  lock.locked_until = until;
  lock.agreement_id.assign(text.begin(), text.end());
  return lock;
}

Result<OpenStake> take_stake(pack::Reader& in) {
  OpenStake stake;
  CSD_TRY(id, in.take_fixed<Hash32>("stake id"));
  CSD_TRY(opened, take_opened(in));
  CSD_TRY(tx_hash, in.take_fixed<Hash32>("stake tx_hash"));
  CSD_TRY(time, take_i64(in, "stake time"));
  CSD_TRY(tier, take_u8(in, "tier"));
  CSD_TRY(amount, in.take_amount("stake amount"));
  CSD_TRY(expires, take_i64(in, "expires_at"));
  stake.id = id;
  stake.opened = opened;
  stake.tx_hash = tx_hash;
  stake.time = time;
  stake.tier = tier;
  stake.amount = amount;
  stake.expires_at = expires;
  return stake;
}

Result<OpenReservation> take_reservation(pack::Reader& in, bool with_quota) {
  OpenReservation reservation;
  CSD_TRY(id, in.take_fixed<Hash32>("reservation id"));
  CSD_TRY(opened, take_opened(in));
  CSD_TRY(type, take_u8(in, "entity_type"));
  CSD_TRY(amount, in.take_amount("reservation amount"));
  CSD_TRY(quota, in.take_be(4, "quota_per_day"));
  CSD_TRY(until, take_i64(in, "reserved_until"));
  reservation.id = id;
  reservation.opened = opened;
  reservation.entity_type = type;
  reservation.amount = amount;
  reservation.quota_per_day = static_cast<std::uint32_t>(quota);
  reservation.reserved_until = until;
  if (with_quota) {
    CSD_TRY(day, in.take_varint("quota day"));
    CSD_TRY(units, in.take_varint("quota units"));
    CSD_TRY(before, in.take_varint("quota units of the day before"));
    // The history rows keep these as SQLite integers (add_quota_use saturates there).
    constexpr auto kMaxUnits = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (units > kMaxUnits || before > kMaxUnits) return in.malformed("quota units past 2^63-1");
    reservation.quota = QuotaUse{static_cast<std::int64_t>(day), units, before};
  }
  return reservation;
}

// A count, then that many objects in ascending `opened` order.
template <class Object, class Take>
Status take_list(pack::Reader& in, const char* what, std::vector<Object>& out, Take&& take_one) {
  CSD_TRY(count, in.take_varint(what));
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::size_t start = in.offset();
    CSD_TRY(object, take_one(in));
    if (!out.empty() && !(out.back().opened < object.opened))
      return in.malformed_at(start, std::string(what) + " not in ascending (block, log_index) order");
    out.push_back(std::move(object));
  }
  return {};
}

Result<AccountTotals> take_totals(pack::Reader& in) {
  CSD_TRY(received, in.take_amount("received"));
  CSD_TRY(sent, in.take_amount("sent"));
  return AccountTotals{received, sent};
}

}  // namespace

void add_quota_use(QuotaUse& quota, std::int64_t time, std::uint64_t units) noexcept {
  // Saturating at INT64_MAX: the history rows keep the units as SQLite integers.
  const auto plus = [](std::uint64_t a, std::uint64_t b) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return a >= kMax || b >= kMax - a ? kMax : a + b;
  };
  const std::int64_t day = utc_day_number(time);
  if (day == quota.day) {
    quota.units = plus(quota.units, units);
  } else if (day > quota.day) {
    quota.units_day_before = day == quota.day + 1 ? quota.units : 0;
    quota.units = units;
    quota.day = day;
  } else if (day == quota.day - 1) {  // an earlier time: not on BSC, where block times never go back
    quota.units_day_before = plus(quota.units_day_before, units);
  }
}

std::optional<std::uint64_t> quota_used_on(const QuotaUse& quota, std::int64_t day) noexcept {
  if (day > quota.day) return 0;
  if (day == quota.day) return quota.units;
  if (day == quota.day - 1) return quota.units_day_before;
  return std::nullopt;
}

std::size_t encoded_size(const UserState& state, std::uint8_t format) noexcept {
  std::size_t size = pack::amount_size(state.totals.received) + pack::amount_size(state.totals.sent) +
                     pack::varint_size(state.locks.size()) + pack::varint_size(state.stakes.size()) +
                     pack::varint_size(state.reservations.size());
  for (const OpenLock& lock : state.locks) size += lock_size(lock);
  for (const OpenStake& stake : state.stakes) size += stake_size(stake);
  for (const OpenReservation& reservation : state.reservations)
    size += reservation_size(reservation, format != kStateFormatNoQuota);
  return size;
}

void encode_user_state(const UserState& state, pack::Sink& out, std::uint8_t format) noexcept {
  out.put_amount(state.totals.received);
  out.put_amount(state.totals.sent);
  out.put_varint(state.locks.size());
  for (const OpenLock& lock : state.locks) put_lock(out, lock);
  out.put_varint(state.stakes.size());
  for (const OpenStake& stake : state.stakes) put_stake(out, stake);
  out.put_varint(state.reservations.size());
  for (const OpenReservation& reservation : state.reservations)
    put_reservation(out, reservation, format != kStateFormatNoQuota);
}

void encode_user_state(const UserState& state, Bytes& out, std::uint8_t format) {
  auto sink = pack::Sink::append_to(out, encoded_size(state, format));
  encode_user_state(state, sink, format);
}

Result<UserState> decode_user_state(ByteSpan body, std::string_view what, std::uint8_t format) {
  pack::Reader in(body, what);
  if (format != kStateFormat && format != kStateFormatNoQuota)
    return in.malformed("user state format " + std::to_string(format) + " is not 2 or 3");
  const bool with_quota = format == kStateFormat;
  UserState state;
  CSD_TRY(totals, take_totals(in));
  state.totals = totals;
  if (auto st = take_list(in, "open locks", state.locks, take_lock); !st) return std::move(st).error();
  if (auto st = take_list(in, "open stakes", state.stakes, take_stake); !st) return std::move(st).error();
  if (auto st = take_list(in, "open reservations", state.reservations,
                          [&](pack::Reader& r) { return take_reservation(r, with_quota); });
      !st)
    return std::move(st).error();
  if (!in.done()) return in.malformed("bytes after the user state");
  return state;
}

Result<AccountTotals> decode_user_totals(ByteSpan body, std::string_view what) {
  pack::Reader in(body, what);
  return take_totals(in);
}

}  // namespace csd::store_derive
