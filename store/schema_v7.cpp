// Schema version 7 (docs/store.md "Quota use in the reservation"): a
// reservation's units consumed on the day of its latest use and the day
// before live with it in its user's page (page format 3), so the access view
// reads no index and tst_quota_use loses its index on (reservation_id, time),
// which every QuotaConsumed updated at a random place. Each use row names the
// reservation it used and keeps the quota use it replaced, and each close row
// the reservation's quota use then: what a rollback puts back.
#include "store/schema_v7.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/account_pages.hpp"
#include "store/raw_log_lookup.hpp"
#include "store/try.hpp"
#include "store/user_state_rows.hpp"

namespace csd {

const std::string_view kSchemaV7 = R"sql(
ALTER TABLE tst_quota_use RENAME TO tst_quota_use_v6;
DROP INDEX tst_quota_use_reservation;

-- Every QuotaConsumed that used an open reservation, by position: the
-- reservation (the position of its ComputeReserved; -1, -1 for a use the
-- schema-6 history cannot place) and, in prior_*, its quota use before this one.
CREATE TABLE tst_quota_use(
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  reservation_block INTEGER NOT NULL,
  reservation_log_index INTEGER NOT NULL,
  reservation_id BLOB NOT NULL CHECK(length(reservation_id) = 32),
  user BLOB NOT NULL CHECK(length(user) = 20),
  units INTEGER NOT NULL,
  time INTEGER NOT NULL,
  prior_day INTEGER NOT NULL,
  prior_units INTEGER NOT NULL,
  prior_units_day_before INTEGER NOT NULL,
  PRIMARY KEY(block, log_index)
) STRICT, WITHOUT ROWID;

-- The reservation's quota use when it closed.
ALTER TABLE tst_reservation_close ADD COLUMN quota_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tst_reservation_close ADD COLUMN quota_units INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tst_reservation_close ADD COLUMN quota_units_day_before INTEGER NOT NULL DEFAULT 0;
)sql";

namespace {

using store_derive::bind_quota;
using store_derive::Opened;
using store_derive::QuotaUse;
constexpr auto position_of = store_derive::opened_at;

// A ComputeReserved (opens) or ReservationReleased (closes `target`) of the history.
struct ReservationEvent {
  Opened at;
  bool opens = false;
  Hash32 id;
  EvmAddress user;
  Opened target;
};

Result<std::vector<ReservationEvent>> reservation_events(WriteTxn& txn) {
  std::vector<ReservationEvent> events;
  CSD_TRY(opens, txn.prepare("SELECT block, log_index, reservation_id, user FROM tst_reservation"));
  auto status = for_each_row(opens, [&](const Statement& row) -> Status {
    CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(2)));
    CSD_TRY(user, (row.column_bytes<20, EvmAddressTag>(3)));
    events.push_back(ReservationEvent{position_of(row, 0), true, id, user, {}});
    return {};
  });
  if (!status) return std::move(status).error();
  CSD_TRY(closes, txn.prepare("SELECT block, log_index, reservation_block, reservation_log_index "
                              "FROM tst_reservation_close"));
  status = for_each_row(closes, [&](const Statement& row) -> Status {
    events.push_back(ReservationEvent{position_of(row, 0), false, {}, {}, position_of(row, 2)});
    return {};
  });
  if (!status) return std::move(status).error();
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  return events;
}

// The open reservations while the history replays, with their quota use.
class Replay {
 public:
  struct Open {
    EvmAddress user;
    Hash32 id;
    QuotaUse quota;
  };

  // Applies an open or a close; for a close, the closed reservation's quota use.
  std::optional<QuotaUse> apply(const ReservationEvent& event) {
    if (event.opens) {
      if (by_user_id_.emplace(std::pair(event.user, event.id), event.at).second)
        open_.emplace(event.at, Open{event.user, event.id, {}});
      return std::nullopt;
    }
    auto it = open_.find(event.target);
    if (it == open_.end()) return std::nullopt;
    const QuotaUse quota = it->second.quota;
    by_user_id_.erase(std::pair(it->second.user, it->second.id));
    open_.erase(it);
    return quota;
  }

  // The open reservation a use of (user, id) used: the user's, else (as
  // schemas 1–5 matched ids) any open one with the id.
  std::map<Opened, Open>::value_type* find(const EvmAddress& user, const Hash32& id) {
    auto at = by_user_id_.find(std::pair(user, id));
    if (at == by_user_id_.end()) {
      at = std::find_if(by_user_id_.begin(), by_user_id_.end(),
                        [&](const auto& entry) { return entry.first.second == id; });
    }
    if (at == by_user_id_.end()) return nullptr;
    auto it = open_.find(at->second);
    return it == open_.end() ? nullptr : &*it;
  }

  [[nodiscard]] const std::map<Opened, Open>& open() const noexcept { return open_; }

 private:
  std::map<Opened, Open> open_;
  std::map<std::pair<EvmAddress, Hash32>, Opened> by_user_id_;
};

// The user of a QuotaConsumed (its second indexed topic) from its raw log:
// schema 6 did not store it. Uses come in block order, so each block is read once.
Result<EvmAddress> consumer_of(RawLogLookup& raw, const Opened& at) {
  auto found = raw.at(at.block, at.log_index);
  if (!found && found.error().code != ErrorCode::kNotFound) return std::move(found).error();
  if (found && found->log->topics.size() >= 3)
    return EvmAddress::from(found->log->topics[2].span().subspan<12, 20>());
  return make_error(ErrorCode::kMalformed, "store: no raw QuotaConsumed log at block " +
                                               std::to_string(at.block) + ", log " +
                                               std::to_string(at.log_index) + " to take its user from");
}

Status give_open_reservations_their_quota(WriteTxn& txn, const Replay& replay) {
  CSD_TRY(states, account_pages::read_all(txn));
  for (auto& [address, state] : states) {
    for (auto& reservation : state.reservations) {
      if (auto it = replay.open().find(reservation.opened); it != replay.open().end())
        reservation.quota = it->second.quota;
    }
  }
  account_pages::UserStateList list(std::make_move_iterator(states.begin()),
                                    std::make_move_iterator(states.end()));
  return account_pages::write(txn, list);  // every page, as format 3
}

}  // namespace

Status quota_use_into_states(WriteTxn& txn) {
  CSD_TRY(events, reservation_events(txn));
  CSD_TRY(uses, txn.prepare("SELECT block, log_index, reservation_id, units, time FROM tst_quota_use_v6 "
                            "ORDER BY block, log_index"));
  CSD_TRY(insert,
          txn.prepare("INSERT INTO tst_quota_use(block, log_index, reservation_block, "
                      "reservation_log_index, reservation_id, user, units, time, prior_day, prior_units, "
                      "prior_units_day_before) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  CSD_TRY(set_close, txn.prepare("UPDATE tst_reservation_close SET quota_day = ?3, quota_units = ?4, "
                                 "quota_units_day_before = ?5 WHERE block = ?1 AND log_index = ?2"));
  CSD_TRY(raw, RawLogLookup::open(txn));
  Replay replay;
  std::size_t next = 0;
  const auto replay_before = [&](const Opened& position) -> Status {
    for (; next < events.size() && events[next].at < position; ++next) {
      const auto closed = replay.apply(events[next]);
      if (!closed || *closed == QuotaUse{}) continue;
      set_close.bind_uint64_clamped(1, events[next].at.block).bind_int64(2, events[next].at.log_index);
      bind_quota(set_close, 3, *closed);
      if (auto status = set_close.run(); !status) return status;
    }
    return {};
  };
  auto status = for_each_row(uses, [&](const Statement& row) -> Status {
    const Opened at = position_of(row, 0);
    if (auto replayed = replay_before(at); !replayed) return replayed;
    CSD_TRY(id, (row.column_bytes<32, Hash32Tag>(2)));
    CSD_TRY(user, consumer_of(raw, at));
    const std::int64_t units = row.column_int64(3);
    const std::int64_t time = row.column_int64(4);
    auto* reservation = replay.find(user, id);
    insert.bind_uint64_clamped(1, at.block).bind_int64(2, at.log_index);
    if (reservation != nullptr) {
      insert.bind_uint64_clamped(3, reservation->first.block).bind_int64(4, reservation->first.log_index);
      bind_quota(insert, 9, reservation->second.quota);
      store_derive::add_quota_use(reservation->second.quota, time, static_cast<std::uint64_t>(units));
    } else {
      insert.bind_int64(3, -1).bind_int64(4, -1);
      bind_quota(insert, 9, QuotaUse{});
    }
    insert.bind_bytes_static(5, id).bind_bytes_static(6, user).bind_int64(7, units).bind_int64(8, time);
    return insert.run();
  });
  if (!status) return status;
  if (auto replayed = replay_before(Opened{UINT64_MAX, UINT32_MAX}); !replayed) return replayed;
  if (auto given = give_open_reservations_their_quota(txn, replay); !given) return given;
  return txn.exec("DROP TABLE tst_quota_use_v6;");
}

}  // namespace csd
