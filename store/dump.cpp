#include "store/dump.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "decoders/hex.hpp"
#include "store/account_states.hpp"
#include "store/ledger_fill.hpp"
#include "store/ledger_runs.hpp"
#include "store/try.hpp"

namespace csd {
namespace {

bool is_identifier(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<std::string>> physical_table_names(Database& db) {
  auto st = db.prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
      "AND name NOT IN ('sync_status', 'ledger_run', 'ledger_chunk', 'account_page', 'account_run') ORDER BY "
      "name");
  if (!st) return std::move(st).error();
  std::vector<std::string> names;
  for (;;) {
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    names.push_back(st->column_text(0));
  }
  return names;
}

void append_value(std::string& out, const Statement& st, int column) {
  switch (st.column_type(column)) {
    case Statement::ColumnType::kNull:
      out += "NULL";
      break;
    case Statement::ColumnType::kInteger:
      out += std::to_string(st.column_int64(column));
      break;
    case Statement::ColumnType::kText: {
      const std::string text = st.column_text(column);
      // Text as the hex of its bytes: unambiguous whatever it holds.
      out += "t'" + to_hex(ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), false) +
             '\'';
      break;
    }
    case Statement::ColumnType::kBlob:
    case Statement::ColumnType::kReal:  // the schema has no REAL columns; dump the bytes if one appears
      out += "x'" + to_hex(st.column_blob(column), false) + '\'';
      break;
  }
}

Result<std::string> dump_one(Database& db, const std::string& table) {
  auto columns = db.query_int64("SELECT count(*) FROM pragma_table_info('" + table + "')");
  if (!columns) return std::move(columns).error();
  if (*columns == 0) return db.error(ErrorCode::kNotFound, "dump: no table " + table);
  std::string order;
  for (std::int64_t i = 1; i <= *columns; ++i) order += (i > 1 ? ", " : "") + std::to_string(i);
  auto st = db.prepare("SELECT * FROM " + table + " ORDER BY " + order);
  if (!st) return std::move(st).error();
  std::string out = "== " + table + "\n";
  for (;;) {
    auto row = st->step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    for (int c = 0; c < st->column_count(); ++c) {
      if (c > 0) out += '|';
      append_value(out, *st, c);
    }
    out += '\n';
  }
  return out;
}

// The ledger's rows as the schema-2 table showed them (address, block,
// log_index, kind, amount, counterparty, tx_hash, time), in that column
// order: the same rows dump the same whichever runs hold them.
Result<std::string> dump_ledger(ReadTxn& txn) {
  auto rows = ledger_runs::rows_above(txn, -1);
  if (!rows) return std::move(rows).error();
  if (auto status = complete_ledger_rows(txn, std::span<LedgerRow>(*rows)); !status)
    return std::move(status).error();
  const auto key = [](const LedgerRow& r) {
    return std::tuple(r.address, r.entry.block, r.entry.log_index, r.entry.type, r.entry.amount.to_be_bytes(),
                      r.entry.counterparty.has_value(), r.entry.counterparty.value_or(EvmAddress{}));
  };
  std::sort(rows->begin(), rows->end(),
            [&](const LedgerRow& a, const LedgerRow& b) { return key(a) < key(b); });
  std::string out = "== tst_ledger\n";
  for (const LedgerRow& r : *rows) {
    const LedgerEntry& e = r.entry;
    out += "x'" + to_hex(r.address.span(), false) + "'|" + std::to_string(e.block) + '|' +
           std::to_string(e.log_index) + '|' + std::to_string(static_cast<int>(e.type)) + "|x'" +
           to_hex(e.amount.to_be_bytes(), false) + "'|" +
           (e.counterparty ? "x'" + to_hex(e.counterparty->span(), false) + '\'' : std::string("NULL")) +
           "|x'" + to_hex(e.tx_hash.span(), false) + "'|" + std::to_string(e.time) + '\n';
  }
  return out;
}

std::string hex_value(ByteSpan bytes) {
  return "x'" + to_hex(bytes, false) + '\'';
}
std::string hex_value(const U256& amount) {
  const auto bytes = amount.to_be_bytes();
  return hex_value(ByteSpan(bytes));
}

// The users' states (store/user_state.hpp) as rows: `tst_account` as the
// schema-3 table showed the totals (address, received, sent; none for zero
// totals), and one `tst_open_*` table per object kind, by (user, block, log_index).
Result<std::string> dump_user_states(ReadTxn& txn, std::string_view table) {
  CSD_TRY(states, account_states::read_all(txn));
  std::string out = "== " + std::string(table) + "\n";
  const auto position = [](const store_derive::Opened& o) {
    return std::to_string(o.block) + '|' + std::to_string(o.log_index);
  };
  for (const auto& [address, state] : states) {
    const std::string user = hex_value(address.span());
    if (table == "tst_account") {
      if (state.totals.received.is_zero() && state.totals.sent.is_zero()) continue;
      out += user + '|' + hex_value(state.totals.received) + '|' + hex_value(state.totals.sent) + '\n';
    } else if (table == "tst_open_lock") {
      for (const auto& l : state.locks) {
        out += user + '|' + position(l.opened) + '|' + hex_value(l.id.span()) + '|' +
               hex_value(l.tx_hash.span()) + '|' + hex_value(l.amount) + '|' +
               std::to_string(l.locked_until) + "|t'" +
               to_hex(ByteSpan(reinterpret_cast<const std::uint8_t*>(l.agreement_id.data()),
                               l.agreement_id.size()),
                      false) +
               "'\n";
      }
    } else if (table == "tst_open_stake") {
      for (const auto& k : state.stakes) {
        out += user + '|' + position(k.opened) + '|' + hex_value(k.id.span()) + '|' +
               hex_value(k.tx_hash.span()) + '|' + std::to_string(k.time) + '|' + std::to_string(k.tier) +
               '|' + hex_value(k.amount) + '|' + std::to_string(k.expires_at) + '\n';
      }
    } else {
      for (const auto& r : state.reservations) {
        out += user + '|' + position(r.opened) + '|' + hex_value(r.id.span()) + '|' +
               std::to_string(r.entity_type) + '|' + hex_value(r.amount) + '|' +
               std::to_string(r.quota_per_day) + '|' + std::to_string(r.reserved_until) + '|' +
               std::to_string(r.quota.day) + '|' + std::to_string(r.quota.units) + '|' +
               std::to_string(r.quota.units_day_before) + '\n';
      }
    }
  }
  return out;
}

constexpr std::string_view kUserStateTables[] = {"tst_account", "tst_open_lock", "tst_open_reservation",
                                                 "tst_open_stake"};

// Tables the dump shows as rows rebuilt from their packed form.
Result<std::string> dump_named(Database& db, ReadTxn& txn, const std::string& name) {
  if (name == "tst_ledger") return dump_ledger(txn);
  for (std::string_view table : kUserStateTables) {
    if (name == table) return dump_user_states(txn, table);
  }
  return dump_one(db, name);
}

}  // namespace

Result<std::vector<std::string>> dumped_tables(Database& db) {
  auto names = physical_table_names(db);
  if (!names) return names;
  names->push_back("tst_ledger");  // rows, not runs: see dump_ledger
  for (std::string_view table : kUserStateTables) names->emplace_back(table);  // rows, not pages
  std::sort(names->begin(), names->end());
  return names;
}

Result<std::string> dump_table(Database& db, std::string_view table) {
  if (!is_identifier(table)) return db.error(ErrorCode::kInvalidArgument, "dump: bad table name");
  auto txn = db.begin_read();
  if (!txn) return std::move(txn).error();
  return dump_named(db, *txn, std::string(table));
}

Result<std::string> dump_store(Database& db) {
  auto txn = db.begin_read();
  if (!txn) return std::move(txn).error();
  auto names = dumped_tables(db);
  if (!names) return std::move(names).error();
  std::string out;
  for (const std::string& name : *names) {
    auto table = dump_named(db, *txn, name);
    if (!table) return table;
    out += *table;
  }
  return out;
}

}  // namespace csd
