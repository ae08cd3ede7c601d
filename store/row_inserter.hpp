// Inserts rows of one table through multi-row statements
// ("INSERT INTO t(a, b) VALUES (?1, ?2), (?3, ?4), …"). For a small row,
// SQLite's work per statement run — opening the table's and its indexes'
// cursors, seeking from the root, halting and freeing — costs more than the
// row itself (docs/store.md "Ingest cost"); kRowsPerStatement rows share it.
// Rows are held until a statement's worth has been added or flush() runs
// them, so a Row holds (or points to, for data that outlives the flush) its
// values; they stay in place until the statement has run, so BindRow may bind
// them without a copy (bind_blob_static).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

// "INSERT INTO t(a, b) VALUES (?1, ?2), (?3, ?4)" for `rows` rows of `columns`
// values after `head` ("INSERT INTO t(a, b)").
[[nodiscard]] std::string multi_row_insert_sql(std::string_view head, int columns, std::size_t rows);

// `BindRow` binds a row's values: bind(Statement&, int first_parameter, const Row&).
template <class Row, class BindRow>
class RowInserter {
 public:
  static constexpr std::size_t kRowsPerStatement = 32;

  RowInserter(WriteTxn& txn, std::string head, int columns, BindRow bind)
      : txn_(&txn),
        head_(std::move(head)),
        full_sql_(multi_row_insert_sql(head_, columns, kRowsPerStatement)),
        columns_(columns),
        bind_(std::move(bind)) {
    rows_.reserve(kRowsPerStatement);
  }

  [[nodiscard]] Status add(Row row) {
    rows_.push_back(std::move(row));
    return rows_.size() == kRowsPerStatement ? flush() : Status{};
  }

  // Inserts the rows added since the last statement. REQUIRES: called before
  // the rows are needed (and before the owner goes away).
  [[nodiscard]] Status flush() {
    if (rows_.empty()) return {};
    auto st = rows_.size() == kRowsPerStatement
                  ? txn_->prepare(full_sql_)
                  : txn_->prepare(multi_row_insert_sql(head_, columns_, rows_.size()));
    if (!st) return std::move(st).error();
    for (std::size_t i = 0; i < rows_.size(); ++i) bind_(*st, static_cast<int>(i) * columns_ + 1, rows_[i]);
    auto status = st->run();  // before the rows go: their values may be bound without a copy
    rows_.clear();
    return status;
  }

  [[nodiscard]] std::size_t pending() const noexcept { return rows_.size(); }

 private:
  WriteTxn* txn_;
  std::string head_;
  std::string full_sql_;
  int columns_;
  BindRow bind_;
  std::vector<Row> rows_;
};

template <class Row, class BindRow>
[[nodiscard]] RowInserter<Row, BindRow> make_row_inserter(WriteTxn& txn, std::string head, int columns,
                                                          BindRow bind) {
  return RowInserter<Row, BindRow>(txn, std::move(head), columns, std::move(bind));
}

}  // namespace csd
