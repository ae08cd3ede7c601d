// CSD_TRY(var, expr): evaluates a Result expression; on error returns the
// error from the enclosing function, else binds `var` to the value. For the
// store's .cpp files only (a macro: it must return from its caller).
#pragma once

#define CSD_TRY(var, expr)                                   \
  auto var##_result = (expr);                                \
  if (!var##_result) return std::move(var##_result).error(); \
  auto& var = *var##_result
