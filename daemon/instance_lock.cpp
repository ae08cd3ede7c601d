#include "daemon/instance_lock.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace csd::daemon {

std::filesystem::path InstanceLock::lock_path(const std::filesystem::path& database) {
  return database.string() + ".lock";
}

Result<std::optional<InstanceLock>> InstanceLock::try_acquire(const std::filesystem::path& database) {
  const std::filesystem::path path = lock_path(database);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(ErrorCode::kIo, path.string() + ": cannot open the lock file: " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return std::optional<InstanceLock>{};
    return make_error(ErrorCode::kIo, path.string() + ": cannot lock: " + std::strerror(error));
  }
  return std::optional<InstanceLock>{InstanceLock(fd)};
}

InstanceLock::~InstanceLock() {
  if (fd_ >= 0) ::close(fd_);  // closing drops the flock
}

}  // namespace csd::daemon
