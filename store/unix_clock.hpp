// unix_now: the wall clock in unix seconds. The daemon passes it to the store
// as the Writer::Clock (store/writer.hpp: updated_at, last_error_at) and the
// chain sync loops stamp their errors with it; one definition serves every
// layer above decoders/ (which reads no clock, STYLE §3).
//
// Thread safety: stateless; call from any thread.
#pragma once

#include <chrono>
#include <cstdint>

namespace csd {

[[nodiscard]] inline std::int64_t unix_now() noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace csd
