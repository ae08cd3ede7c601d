// SystemdNotifier: the daemon's side of systemd's notify protocol
// (sd_notify(3); SPEC 6: Type=notify — READY=1, WATCHDOG=1, STATUS=). Each
// message is one datagram of newline-separated VAR=value assignments sent to
// the AF_UNIX socket named by $NOTIFY_SOCKET (a leading '@' names the abstract
// namespace). Spoken here rather than through libsystemd so tests can point a
// notifier at their own socket without touching the process environment, and
// the binary needs no extra library. Without a socket every call is a no-op,
// so the daemon runs the same outside systemd.
//
// Thread safety: constant after construction; any thread may send (each
// message is one sendto(2) on a datagram socket, which the kernel keeps whole).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/config.hpp"  // EnvLookup
#include "decoders/result.hpp"

namespace csd::daemon {

class SystemdNotifier {
 public:
  // A notifier that sends nothing (no $NOTIFY_SOCKET).
  SystemdNotifier() = default;
  // Sends to `socket_address` ('/' path or '@' abstract name; empty: no-op).
  // `watchdog_usec` is systemd's WATCHDOG_USEC, the watchdog timeout.
  explicit SystemdNotifier(std::string socket_address,
                           std::optional<std::chrono::microseconds> watchdog_usec = std::nullopt);
  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;
  SystemdNotifier(SystemdNotifier&& other) noexcept;
  SystemdNotifier& operator=(SystemdNotifier&& other) noexcept;
  ~SystemdNotifier();

  // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID once. The watchdog
  // is ours only when WATCHDOG_PID is unset or names this process
  // (sd_watchdog_enabled(3)); an unusable value disables it.
  [[nodiscard]] static SystemdNotifier from_environment(const EnvLookup& env);

  // Whether messages go anywhere.
  [[nodiscard]] bool enabled() const noexcept { return !address_.empty(); }

  // Best effort, as sd_notify(3) callers do: a lost message is something
  // systemd itself reports (start timeout, watchdog timeout), and the daemon
  // has no better channel to report it on. notify() gives the outcome.
  void ready() const;                        // READY=1
  void status(std::string_view text) const;  // STATUS=<text> (newlines become spaces)
  void watchdog() const;                     // WATCHDOG=1
  void stopping() const;                     // STOPPING=1

  // Sends one raw message ("READY=1\nSTATUS=…"). Ok when sent, or when there
  // is no socket; kUnavailable (naming the socket and errno) when the send
  // failed.
  [[nodiscard]] Status notify(std::string_view message) const;

  // How often to send WATCHDOG=1: half of WATCHDOG_USEC, as sd_watchdog_enabled(3)
  // recommends; nullopt when systemd watches nothing.
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_interval() const noexcept;

 private:
  void close_socket() noexcept;

  std::string address_;  // as in $NOTIFY_SOCKET; empty: disabled
  std::optional<std::chrono::microseconds> watchdog_usec_;
  int fd_ = -1;  // AF_UNIX SOCK_DGRAM, opened in the constructor; -1 when disabled or unopenable
};

}  // namespace csd::daemon
