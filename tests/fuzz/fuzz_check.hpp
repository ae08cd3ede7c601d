// The fuzz targets' invariant check: a violated invariant traps, which
// libFuzzer (and the corpus replay under ctest) reports as a crash.
#pragma once

namespace csd::fuzz {

inline void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace csd::fuzz
