#include "store/row_inserter.hpp"

namespace csd {

std::string multi_row_insert_sql(std::string_view head, int columns, std::size_t rows) {
  std::string sql(head);
  sql += " VALUES";
  int parameter = 1;
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (int column = 0; column < columns; ++column) {
      if (column > 0) sql += ", ";
      sql += '?';
      sql += std::to_string(parameter++);
    }
    sql += ')';
  }
  return sql;
}

}  // namespace csd
