#include "daemon/systemd_notify.hpp"

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

namespace csd::daemon {
namespace {

// A full receive queue at systemd must not hang the main loop for long; a
// ping delayed past this is one systemd reports anyway.
constexpr timeval kSendTimeout{1, 0};

constexpr std::string_view kStatusPrefix = "STATUS=";

// Parses a positive decimal integer, as systemd writes WATCHDOG_USEC and
// WATCHDOG_PID; anything else is nullopt (the watchdog is then ignored).
std::optional<std::uint64_t> parse_positive(std::string_view text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == 0) return std::nullopt;
  return value;
}

// Fills `out` for `address` (sd_notify(3): "/path", or "@name" in the
// abstract namespace) and returns the address length; kUnsupported for
// other forms (relative paths, vsock) and names too long for sun_path.
Result<socklen_t> socket_address(std::string_view address, sockaddr_un& out) {
  out = sockaddr_un{};
  out.sun_family = AF_UNIX;
  const bool abstract = address.front() == '@';
  if (!abstract && address.front() != '/') {
    return make_error(ErrorCode::kUnsupported,
                      "NOTIFY_SOCKET: not an absolute path or @name: " + std::string(address));
  }
  // A path needs its terminating NUL; an abstract name's leading '@' becomes NUL.
  if (address.size() + (abstract ? 0 : 1) > sizeof(out.sun_path)) {
    return make_error(ErrorCode::kUnsupported,
                      "NOTIFY_SOCKET: longer than sun_path: " + std::string(address));
  }
  std::memcpy(out.sun_path, address.data(), address.size());
  if (abstract) out.sun_path[0] = '\0';
  // The abstract name is exactly its bytes: no trailing NUL (unix(7)).
  const std::size_t length = offsetof(sockaddr_un, sun_path) + address.size() + (abstract ? 0 : 1);
  return static_cast<socklen_t>(length);
}

}  // namespace

SystemdNotifier::SystemdNotifier(std::string socket_address,
                                 std::optional<std::chrono::microseconds> watchdog_usec)
    : address_(std::move(socket_address)), watchdog_usec_(watchdog_usec) {
  if (address_.empty()) return;
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ >= 0) (void)::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &kSendTimeout, sizeof(kSendTimeout));
}

SystemdNotifier::SystemdNotifier(SystemdNotifier&& other) noexcept
    : address_(std::move(other.address_)),
      watchdog_usec_(other.watchdog_usec_),
      fd_(std::exchange(other.fd_, -1)) {
  other.address_.clear();
}

SystemdNotifier& SystemdNotifier::operator=(SystemdNotifier&& other) noexcept {
  if (this != &other) {
    close_socket();
    address_ = std::move(other.address_);
    other.address_.clear();
    watchdog_usec_ = other.watchdog_usec_;
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

SystemdNotifier::~SystemdNotifier() {
  close_socket();
}

void SystemdNotifier::close_socket() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

SystemdNotifier SystemdNotifier::from_environment(const EnvLookup& env) {
  std::string address = env("NOTIFY_SOCKET").value_or("");
  std::optional<std::chrono::microseconds> watchdog;
  if (const auto usec = env("WATCHDOG_USEC")) {
    const auto value = parse_positive(*usec);
    const auto pid = env("WATCHDOG_PID");
    // sd_watchdog_enabled(3): a WATCHDOG_PID naming another process (our
    // parent's watchdog, inherited) means the watchdog is not ours.
    const bool ours = !pid || parse_positive(*pid) == static_cast<std::uint64_t>(::getpid());
    if (value && ours && *value <= static_cast<std::uint64_t>(INT64_MAX)) {
      watchdog = std::chrono::microseconds(static_cast<std::int64_t>(*value));
    }
  }
  return SystemdNotifier(std::move(address), watchdog);
}

Status SystemdNotifier::notify(std::string_view message) const {
  if (!enabled()) return {};
  sockaddr_un address{};
  auto length = socket_address(address_, address);
  if (!length) return std::move(length).error();
  if (fd_ < 0) return make_error(ErrorCode::kUnavailable, "NOTIFY_SOCKET: cannot open a datagram socket");
  // MSG_NOSIGNAL: a vanished listener is an error value, not a SIGPIPE.
  const ssize_t sent =
      ::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address),
               *length);  // NOLINT: sockaddr API
  if (sent < 0) {
    // std::error_code rather than strerror(3), whose buffer is shared between threads.
    const std::error_code error(errno, std::generic_category());
    return make_error(ErrorCode::kUnavailable, "NOTIFY_SOCKET " + address_ + ": " + error.message());
  }
  return {};
}

void SystemdNotifier::ready() const {
  (void)notify("READY=1");
}

void SystemdNotifier::status(std::string_view text) const {
  // One assignment per line (sd_notify(3)): a newline would end STATUS early.
  std::string message(kStatusPrefix);
  for (const char c : text) message.push_back(c == '\n' || c == '\r' ? ' ' : c);
  (void)notify(message);
}

void SystemdNotifier::watchdog() const {
  (void)notify("WATCHDOG=1");
}

void SystemdNotifier::stopping() const {
  (void)notify("STOPPING=1");
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() const noexcept {
  if (!enabled() || !watchdog_usec_) return std::nullopt;  // no one to ping
  return *watchdog_usec_ / 2;
}

}  // namespace csd::daemon
