// RetryPolicy: how a transport spaces its retries (SPEC 3.4: exponential
// backoff with jitter, failover across rpc_urls), and the two pure helpers
// that compute a delay: full-jitter backoff and HTTP Retry-After.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace csd {

struct RetryPolicy {
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{30'000};
  unsigned max_attempts = 6;  // per call, across endpoints; then the last error is returned
  std::chrono::milliseconds endpoint_cooldown{30'000};  // a failing endpoint is skipped this long
};

// "Full jitter": uniform in [0, min(max_backoff, initial_backoff * 2^(failures-1))],
// drawn from `random` (any 64-bit value). failures >= 1.
[[nodiscard]] std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, unsigned failures,
                                                      std::uint64_t random) noexcept;

// RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date (IMF-fixdate,
// and the obsolete RFC 850 and asctime forms, §5.6.7), relative to now.
// A date in the past is zero; unparseable is nullopt.
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                    std::int64_t now_unix_seconds) noexcept;

}  // namespace csd
