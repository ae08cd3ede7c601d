// InstanceLock: one daemon per database (SPEC 4: one writer). `run` holds an
// exclusive flock on "<database>.lock" for its whole life; a second `run` on
// the same database refuses to start, and `reindex` uses the lock to tell
// whether a daemon is running (then it hands the request over instead of
// writing itself). The kernel drops the lock when the process dies, even by
// SIGKILL, so a crash never leaves a stale lock behind.
//
// Thread safety: a plain RAII value.
#pragma once

#include <filesystem>
#include <optional>

#include "decoders/result.hpp"

namespace csd::daemon {

class InstanceLock {
 public:
  // nullopt: another process holds it. An error: the lock file cannot be opened.
  [[nodiscard]] static Result<std::optional<InstanceLock>> try_acquire(const std::filesystem::path& database);

  InstanceLock(InstanceLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  InstanceLock& operator=(InstanceLock&&) = delete;
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;
  ~InstanceLock();

  [[nodiscard]] static std::filesystem::path lock_path(const std::filesystem::path& database);

 private:
  explicit InstanceLock(int fd) noexcept : fd_(fd) {}
  int fd_;
};

}  // namespace csd::daemon
