// Result<T>: a value or an Error, returned by every fallible call at a module
// boundary. Member names follow std::expected (has_value, value, error,
// value_or) so moving to <expected> later is a rename; GCC 12 offers it only
// under -std=c++2b and Debian 12 has no tl-expected package.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace csd {

enum class ErrorCode {
  kInvalidArgument,  // malformed input: bad hex, bad signature text, ...
  kOutOfRange,       // a value does not fit its type or bound
  kMalformed,        // structurally broken encoded data (ABI, account bytes)
  kOverflow,         // arithmetic overflow
  kDivisionByZero,
  kNotFound,
  kUnsupported,
  kVerificationFailed,  // a signature or checksum that does not verify
  kIo,
  kInternal,
  // Node transport (chains/): what a caller decides on, not just a message.
  kTimeout,      // no (complete) answer within the deadline
  kUnavailable,  // connection refused/reset, TLS failure, HTTP 429/5xx, endpoint cooling down
  kRpcError,     // the node answered with a JSON-RPC error object (message carries code and text)
  kCancelled,    // the caller asked to stop (shutdown)
};

[[nodiscard]] const char* error_code_name(ErrorCode code) noexcept;

struct Error {
  ErrorCode code;
  std::string message;
};

[[nodiscard]] inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

// Prefixes context onto an error message: "abi: " + "TSTLocked.amount: ...".
[[nodiscard]] inline Error with_context(Error error, std::string_view context) {
  error.message.insert(0, std::string(context) + ": ");
  return error;
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error)
      : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  // REQUIRES: has_value(). Calling value() on an error is a bug and aborts.
  [[nodiscard]] T& value() & { return *checked(); }
  [[nodiscard]] const T& value() const& { return *checked(); }
  [[nodiscard]] T&& value() && { return std::move(*checked()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !has_value().
  [[nodiscard]] const Error& error() const& {
    if (has_value()) std::abort();
    return std::get<1>(state_);
  }
  [[nodiscard]] Error&& error() && {
    if (has_value()) std::abort();
    return std::move(std::get<1>(state_));
  }

  template <class U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  T* checked() {
    if (!has_value()) std::abort();
    return &std::get<0>(state_);
  }
  const T* checked() const {
    if (!has_value()) std::abort();
    return &std::get<0>(state_);
  }

  std::variant<T, Error> state_;
};

// Result<void> plays LevelDB's Status: success holds nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) std::abort();
  }
  [[nodiscard]] const Error& error() const& {
    if (ok_) std::abort();
    return error_;
  }
  [[nodiscard]] Error&& error() && {
    if (ok_) std::abort();
    return std::move(error_);
  }

 private:
  Error error_{ErrorCode::kInternal, {}};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace csd
