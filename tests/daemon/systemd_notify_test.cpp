// The systemd notify protocol (sd_notify(3); SPEC 6; issue 7): the test owns
// the AF_UNIX datagram socket systemd would listen on, points a notifier (or
// the real chainsyncd binary, through NOTIFY_SOCKET) at it, and checks the
// exact datagrams.
#include "daemon/systemd_notify.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/temp_dir.hpp"

extern char** environ;  // NOLINT: POSIX; read-only here (copied for the child)

namespace csd::daemon {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing_support::TempDir;

// Generous: the machine running the tests may be loaded (ASan, 2 cores).
constexpr milliseconds kReceiveTimeout = seconds(60);

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

// The socket systemd listens on: a bound AF_UNIX datagram socket, at a path
// or ('@' first) in the abstract namespace.
class Listener {
 public:
  explicit Listener(std::string address) : address_(std::move(address)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (address_.size() >= sizeof(addr.sun_path)) throw std::runtime_error("address too long");
    std::memcpy(addr.sun_path, address_.data(), address_.size());
    const bool abstract = address_.front() == '@';
    if (abstract) addr.sun_path[0] = '\0';
    const auto length = offsetof(sockaddr_un, sun_path) + address_.size() + (abstract ? 0 : 1);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), static_cast<socklen_t>(length)) !=
        0) {  // NOLINT
      throw std::runtime_error("bind " + address_ + ": " + std::strerror(errno));
    }
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener() { ::close(fd_); }

  [[nodiscard]] const std::string& address() const { return address_; }

  // The next datagram, or nullopt after `timeout` without one.
  [[nodiscard]] std::optional<std::string> receive(milliseconds timeout = kReceiveTimeout) const {
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
    std::array<char, 4096> buffer{};
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer.data(), static_cast<std::size_t>(n));
  }
  // Whether a datagram is waiting. Sends are synchronous, so anything a
  // notifier sent before this call is already queued.
  [[nodiscard]] bool has_pending() const {
    pollfd pfd{fd_, POLLIN, 0};
    return ::poll(&pfd, 1, 0) > 0;
  }

 private:
  std::string address_;
  int fd_ = -1;
};

std::string unique_abstract_name() {
  std::random_device random;
  return "@chainsyncd-notify-test-" + std::to_string(::getpid()) + "-" + std::to_string(random());
}

TEST(SystemdNotifier, SendsTheExactProtocolMessages) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const SystemdNotifier notifier(listener.address());
  ASSERT_TRUE(notifier.enabled());

  notifier.ready();
  EXPECT_EQ(listener.receive(), "READY=1");
  notifier.status("bsc: indexed 120 of 130 (lag 10)");
  EXPECT_EQ(listener.receive(), "STATUS=bsc: indexed 120 of 130 (lag 10)");
  notifier.watchdog();
  EXPECT_EQ(listener.receive(), "WATCHDOG=1");
  notifier.stopping();
  EXPECT_EQ(listener.receive(), "STOPPING=1");
  EXPECT_FALSE(listener.has_pending());
}

TEST(SystemdNotifier, ReachesAnAbstractNamespaceSocket) {
  const Listener listener(unique_abstract_name());
  const SystemdNotifier notifier(listener.address());
  notifier.ready();
  EXPECT_EQ(listener.receive(), "READY=1");
}

TEST(SystemdNotifier, StatusTextCannotInjectAnotherAssignment) {
  // sd_notify(3): one assignment per line — a newline in the text would
  // otherwise smuggle in READY=1.
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const SystemdNotifier notifier(listener.address());
  notifier.status("line one\nREADY=1\r\n");
  EXPECT_EQ(listener.receive(), "STATUS=line one READY=1  ");
}

TEST(SystemdNotifier, NotifySendsARawMultiAssignmentMessage) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const SystemdNotifier notifier(listener.address());
  ASSERT_TRUE(notifier.notify("READY=1\nSTATUS=serving"));
  EXPECT_EQ(listener.receive(), "READY=1\nSTATUS=serving");
}

TEST(SystemdNotifier, WithoutNotifySocketNothingIsSent) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const auto notifier = SystemdNotifier::from_environment(env_of({{"WATCHDOG_USEC", "30000000"}}));
  EXPECT_FALSE(notifier.enabled());
  notifier.ready();
  notifier.status("x");
  notifier.watchdog();
  notifier.stopping();
  EXPECT_TRUE(notifier.notify("READY=1"));  // a no-op is a success
  EXPECT_FALSE(listener.has_pending());
  EXPECT_EQ(notifier.watchdog_interval(), std::nullopt);  // no one to ping

  const SystemdNotifier empty;
  EXPECT_FALSE(empty.enabled());
  EXPECT_TRUE(empty.notify("READY=1"));
  EXPECT_FALSE(listener.has_pending());
}

TEST(SystemdNotifier, FromEnvironmentReadsTheSocket) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const auto notifier = SystemdNotifier::from_environment(env_of({{"NOTIFY_SOCKET", listener.address()}}));
  ASSERT_TRUE(notifier.enabled());
  notifier.watchdog();
  EXPECT_EQ(listener.receive(), "WATCHDOG=1");
  EXPECT_EQ(notifier.watchdog_interval(), std::nullopt);  // WATCHDOG_USEC unset
}

TEST(SystemdNotifier, WatchdogIntervalIsHalfOfWatchdogUsec) {
  // sd_watchdog_enabled(3): ping at half the timeout.
  const std::string socket = "/run/unused.sock";
  const std::string self = std::to_string(::getpid());
  const std::string other = std::to_string(::getpid() + 1);
  using std::chrono::microseconds;
  EXPECT_EQ(
      SystemdNotifier::from_environment(env_of({{"NOTIFY_SOCKET", socket}, {"WATCHDOG_USEC", "30000000"}}))
          .watchdog_interval(),
      microseconds(15'000'000));
  EXPECT_EQ(SystemdNotifier::from_environment(
                env_of({{"NOTIFY_SOCKET", socket}, {"WATCHDOG_USEC", "3"}, {"WATCHDOG_PID", self}}))
                .watchdog_interval(),
            microseconds(1));
  // Another process's watchdog (inherited WATCHDOG_PID) is not ours.
  EXPECT_EQ(SystemdNotifier::from_environment(
                env_of({{"NOTIFY_SOCKET", socket}, {"WATCHDOG_USEC", "30000000"}, {"WATCHDOG_PID", other}}))
                .watchdog_interval(),
            std::nullopt);
  // Unusable values disable the watchdog rather than guess.
  for (const char* bad : {"", "0", "-5", "12abc", " 10", "99999999999999999999999"}) {
    EXPECT_EQ(SystemdNotifier::from_environment(env_of({{"NOTIFY_SOCKET", socket}, {"WATCHDOG_USEC", bad}}))
                  .watchdog_interval(),
              std::nullopt)
        << bad;
  }
  EXPECT_EQ(SystemdNotifier(socket, microseconds(8)).watchdog_interval(), microseconds(4));
}

TEST(SystemdNotifier, ReportsAnUnreachableSocket) {
  TempDir dir;
  const SystemdNotifier missing(dir.file("nobody-listens.sock").string());
  const Status sent = missing.notify("READY=1");
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(sent.error().message.find("nobody-listens.sock"), std::string::npos) << sent.error().message;
  missing.ready();  // best effort: no crash, no exception

  const Status relative = SystemdNotifier("relative/path.sock").notify("READY=1");
  ASSERT_FALSE(relative);
  EXPECT_EQ(relative.error().code, ErrorCode::kUnsupported);

  const Status too_long = SystemdNotifier("/" + std::string(200, 'x')).notify("READY=1");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kUnsupported);
}

TEST(SystemdNotifier, MovedFromNotifierSendsNothing) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  SystemdNotifier first(listener.address());
  SystemdNotifier second(std::move(first));
  first.ready();  // NOLINT(bugprone-use-after-move): moved-from is documented as disabled
  EXPECT_FALSE(listener.has_pending());
  second.ready();
  EXPECT_EQ(listener.receive(), "READY=1");
}

TEST(SystemdNotifier, ConcurrentSendersKeepEveryMessageWhole) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const SystemdNotifier notifier(listener.address());
  // 8 datagrams in all: the kernel queues at most net.unix.max_dgram_qlen
  // (default 10) unread datagrams per socket, and this test reads after the
  // senders finish.
  constexpr int kThreads = 4;
  constexpr int kEach = 2;
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&notifier, t] {
        for (int i = 0; i < kEach; ++i)
          notifier.status("thread " + std::to_string(t) + " message " + std::to_string(i));
      });
    }
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < kThreads * kEach; ++i) {
    const auto message = listener.receive();
    ASSERT_TRUE(message) << "only " << i << " messages arrived";
    ++seen[*message];
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      EXPECT_EQ(seen["STATUS=thread " + std::to_string(t) + " message " + std::to_string(i)], 1);
    }
  }
}

// --- end to end: the real daemon under a simulated systemd ---------------

// The chainsyncd binary with a chosen environment, stdout and stderr to a
// log file; killed if the test ends early.
class Daemon {
 public:
  Daemon(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
         const std::filesystem::path& log)
      : log_(log) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('='));
      if (name == "NOTIFY_SOCKET" || name.rfind("WATCHDOG_", 0) == 0 || name.rfind("CHAINSYNCD_", 0) == 0)
        continue;
      env.push_back(entry);
    }
    for (const auto& [name, value] : extra_env) env.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (std::string& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);
    std::vector<std::string> args_copy = argv;
    std::vector<char*> args;
    for (std::string& arg : args_copy) args.push_back(arg.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int failed = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(failed));
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon() {
    if (!exit_code_) {
      ::kill(pid_, SIGKILL);
      int raw = 0;
      (void)::waitpid(pid_, &raw, 0);
    }
  }

  void signal(int number) const { ::kill(pid_, number); }

  // The exit code (-signal when killed) once the process has ended, polling
  // until `timeout`; nullopt while it still runs.
  std::optional<int> wait_for(milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      int raw = 0;
      if (::waitpid(pid_, &raw, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
        break;
      }
      std::this_thread::sleep_for(milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return exit_code_;
  }

  [[nodiscard]] std::string log() const {
    std::ifstream in(log_);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

// Every chain section absent, so the daemon syncs nothing (SPEC 7: an
// absent section is a disabled chain); port 0 so no fixed port is needed.
std::filesystem::path write_idle_config(const TempDir& dir) {
  const auto path = dir.file("chainsyncd.toml");
  std::ofstream out(path);
  out << "[daemon]\n"
      << "database = \"" << dir.file("chainsyncd.db").string() << "\"\n"
      << "log_level = \"debug\"\n"
      << "[api]\n"
      << "listen = \"127.0.0.1:0\"\n";
  return path;
}

TEST(SystemdNotifierEndToEnd, DaemonSendsReadyStatusWatchdogAndStopping) {
  TempDir dir;
  const Listener listener(dir.file("notify.sock").string());
  const auto config = write_idle_config(dir);
  Daemon daemon({CHAINSYNCD_BINARY, "run", "--config", config.string()},
                {{"NOTIFY_SOCKET", listener.address()}, {"WATCHDOG_USEC", "2000000"}},
                dir.file("daemon.log"));

  // SPEC 6: READY=1 once the database is open; then STATUS= with sync
  // progress and WATCHDOG=1 pings (WATCHDOG_USEC is set) from the main loop.
  bool ready = false;
  bool database_open_at_ready = false;
  bool status_after_ready = false;
  bool watchdog_after_ready = false;
  int ready_count = 0;
  while (!(ready && status_after_ready && watchdog_after_ready)) {
    const auto message = listener.receive();
    ASSERT_TRUE(message) << "ready=" << ready << " status=" << status_after_ready
                         << " watchdog=" << watchdog_after_ready << "; daemon log:\n"
                         << daemon.log();
    std::istringstream lines(*message);
    for (std::string line; std::getline(lines, line);) {
      if (line == "READY=1") {
        ++ready_count;
        ready = true;
        database_open_at_ready = std::filesystem::exists(dir.file("chainsyncd.db"));
      } else if (line.rfind("STATUS=", 0) == 0) {
        EXPECT_GT(line.size(), 7U) << "an empty STATUS";
        status_after_ready = status_after_ready || ready;
      } else if (line == "WATCHDOG=1") {
        watchdog_after_ready = watchdog_after_ready || ready;
      } else {
        // Other assignments (EXTEND_TIMEOUT_USEC=, MAINPID=, …) are valid
        // protocol; but a daemon that is still starting never says it stops.
        EXPECT_NE(line, "STOPPING=1");
      }
    }
  }
  EXPECT_TRUE(database_open_at_ready);
  EXPECT_EQ(ready_count, 1);

  // SPEC 6 / issue 7: SIGTERM → STOPPING=1, exit 0 within 5 s.
  daemon.signal(SIGTERM);
  const auto signalled = std::chrono::steady_clock::now();
  bool stopping = false;
  while (!stopping) {
    const auto message = listener.receive();
    ASSERT_TRUE(message) << "no STOPPING=1 after SIGTERM; daemon log:\n" << daemon.log();
    std::istringstream lines(*message);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_NE(line, "READY=1");
      stopping = stopping || line == "STOPPING=1";
    }
  }
  const auto budget = seconds(5) - (std::chrono::steady_clock::now() - signalled);
  const auto exit_code = daemon.wait_for(std::chrono::duration_cast<milliseconds>(budget));
  ASSERT_TRUE(exit_code) << "still running 5 s after SIGTERM; daemon log:\n" << daemon.log();
  EXPECT_EQ(*exit_code, 0) << daemon.log();
}

}  // namespace
}  // namespace csd::daemon
