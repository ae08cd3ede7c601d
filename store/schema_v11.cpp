// Schema version 11 (a step of schema.cpp's migrations): the object
// histories as rowid tables keyed by the log's position, block · 2^24 +
// log_index (docs/store.md "Histories keyed by position"). They were WITHOUT
// ROWID tables with PRIMARY KEY(block, log_index): every row an insert into an
// index b-tree, compared column by column, whose pages an append splits half
// full. A rowid table appends at its right edge, comparing one integer, and
// fills its pages. The block and log_index columns stay, checked against the
// position, so every reader sees the same columns.
#include "store/schema_v11.hpp"

#include <string>

#include "store/database.hpp"

namespace csd {
namespace {

struct HistoryTable {
  std::string_view name;
  // The columns after block and log_index, each "name type constraints".
  std::initializer_list<std::string_view> columns;
};

// The tables as schemas 6–10 defined them (store/schema_v6.cpp, schema_v7.cpp).
const HistoryTable kTables[] = {
    {"tst_lock",
     {"tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32)",
      "lock_id BLOB NOT NULL CHECK(length(lock_id) = 32)", "user BLOB NOT NULL CHECK(length(user) = 20)",
      "amount BLOB NOT NULL CHECK(length(amount) = 32)", "locked_until INTEGER NOT NULL",
      "agreement_id TEXT NOT NULL", "time INTEGER NOT NULL"}},
    {"tst_lock_close",
     {"lock_block INTEGER NOT NULL", "lock_log_index INTEGER NOT NULL",
      "tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32)", "kind INTEGER NOT NULL CHECK(kind IN (1, 2))",
      "returned BLOB NOT NULL CHECK(length(returned) = 32)",
      "penalty BLOB CHECK(penalty IS NULL OR length(penalty) = 32)"}},
    {"tst_stake",
     {"tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32)",
      "stake_id BLOB NOT NULL CHECK(length(stake_id) = 32)", "user BLOB NOT NULL CHECK(length(user) = 20)",
      "tier INTEGER NOT NULL", "amount BLOB NOT NULL CHECK(length(amount) = 32)",
      "expires_at INTEGER NOT NULL", "time INTEGER NOT NULL"}},
    {"tst_stake_close",
     {"stake_block INTEGER NOT NULL", "stake_log_index INTEGER NOT NULL",
      "tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32)",
      "emergency INTEGER NOT NULL CHECK(emergency IN (0, 1))"}},
    {"tst_reservation",
     {"tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32)",
      "reservation_id BLOB NOT NULL CHECK(length(reservation_id) = 32)",
      "user BLOB NOT NULL CHECK(length(user) = 20)", "entity_type INTEGER NOT NULL",
      "amount BLOB NOT NULL CHECK(length(amount) = 32)", "quota_per_day INTEGER NOT NULL",
      "reserved_until INTEGER NOT NULL", "time INTEGER NOT NULL"}},
    {"tst_reservation_close",
     {"reservation_block INTEGER NOT NULL", "reservation_log_index INTEGER NOT NULL",
      "tx_hash BLOB NOT NULL CHECK(length(tx_hash) = 32)", "quota_day INTEGER NOT NULL DEFAULT 0",
      "quota_units INTEGER NOT NULL DEFAULT 0", "quota_units_day_before INTEGER NOT NULL DEFAULT 0"}},
    {"tst_quota_use",
     {"reservation_block INTEGER NOT NULL", "reservation_log_index INTEGER NOT NULL",
      "reservation_id BLOB NOT NULL CHECK(length(reservation_id) = 32)",
      "user BLOB NOT NULL CHECK(length(user) = 20)", "units INTEGER NOT NULL", "time INTEGER NOT NULL",
      "prior_day INTEGER NOT NULL", "prior_units INTEGER NOT NULL",
      "prior_units_day_before INTEGER NOT NULL"}},
};

// Rebuilds one table. Explicit column lists: a table that already has the
// position column (a test fixture taking a newer store back to an older
// schema) converts as well.
std::string rebuild_sql(const HistoryTable& table) {
  const std::string name(table.name);
  std::string definitions;
  std::string names = "block, log_index";
  for (std::string_view column : table.columns) {
    definitions += "  " + std::string(column) + ",\n";
    names += ", " + std::string(column.substr(0, column.find(' ')));
  }
  return "CREATE TABLE " + name + "_v11(\n  position INTEGER PRIMARY KEY,\n" +
         "  block INTEGER NOT NULL CHECK(block >= 0 AND block < 549755813888),\n" +
         "  log_index INTEGER NOT NULL CHECK(log_index >= 0 AND log_index < 16777216),\n" + definitions +
         "  CHECK(position = block * 16777216 + log_index)\n) STRICT;\n" + "INSERT INTO " + name +
         "_v11(position, " + names + ") SELECT block * 16777216 + log_index, " + names + " FROM " + name +
         " ORDER BY block, log_index;\nDROP TABLE " + name + ";\nALTER TABLE " + name + "_v11 RENAME TO " +
         name + ";\n";
}

}  // namespace

Status histories_by_position(WriteTxn& txn) {
  for (const HistoryTable& table : kTables) {
    if (auto status = txn.exec(rebuild_sql(table)); !status) return status;
  }
  return {};
}

}  // namespace csd
