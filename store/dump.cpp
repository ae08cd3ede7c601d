#include "store/dump.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "decoders/hex.hpp"
#include "store/account_pages.hpp"
#include "store/ledger_runs.hpp"

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
      "AND name NOT IN ('sync_status', 'ledger_run', 'ledger_chunk', 'account_page') ORDER BY name");
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

// The account totals as the schema-3 table showed them (address, received, sent).
Result<std::string> dump_accounts(ReadTxn& txn) {
  auto totals = account_pages::read_all(txn);
  if (!totals) return std::move(totals).error();
  std::string out = "== tst_account\n";
  for (const auto& [address, t] : *totals) {
    out += "x'" + to_hex(address.span(), false) + "'|x'" + to_hex(t.received.to_be_bytes(), false) + "'|x'" +
           to_hex(t.sent.to_be_bytes(), false) + "'\n";
  }
  return out;
}

// Tables the dump shows as rows rebuilt from their packed form.
Result<std::string> dump_named(Database& db, ReadTxn& txn, const std::string& name) {
  if (name == "tst_ledger") return dump_ledger(txn);
  if (name == "tst_account") return dump_accounts(txn);
  return dump_one(db, name);
}

}  // namespace

Result<std::vector<std::string>> dumped_tables(Database& db) {
  auto names = physical_table_names(db);
  if (!names) return names;
  names->push_back("tst_ledger");   // rows, not runs: see dump_ledger
  names->push_back("tst_account");  // rows, not pages: see dump_accounts
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
