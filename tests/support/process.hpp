// Child processes for the end-to-end tests: run a command to completion with
// its output captured (the devnet's node scripts), or keep one running and
// kill it (anvil, the daemon under a crash test). posix_spawn keeps this
// safe in a multi-threaded test binary (no fork of a threaded parent).
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX; read-only here (handed to posix_spawnp)

namespace csd::testing_support {

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or timed out
  std::string out;     // stdout and stderr, interleaved
};

class ChildProcess {
 public:
  // Starts argv[0] (searched in PATH) with stdout and stderr appended to `log`.
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const int failed = posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) throw std::runtime_error("cannot start " + argv[0]);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      (void)wait();
    }
  }

  [[nodiscard]] pid_t pid() const { return pid_; }
  void kill(int signal) { ::kill(pid_, signal); }

  // Waits for the exit; returns the exit code, or -signal when killed.
  int wait() {
    if (exited_) return status_;
    int raw = 0;
    while (waitpid(pid_, &raw, 0) < 0) {
    }
    exited_ = true;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
    return status_;
  }
  // Like wait(), but gives up after `timeout` (nullopt-like: returns false).
  bool wait_for(std::chrono::milliseconds timeout, int& code) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int raw = 0;
      const pid_t done = waitpid(pid_, &raw, WNOHANG);
      if (done == pid_) {
        exited_ = true;
        status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : -WTERMSIG(raw);
        code = status_;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs a command to completion and captures its output (through a file in
// `scratch`, which must exist).
inline ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& scratch) {
  std::string pattern = (scratch / "process-XXXXXX").string();
  const int fd = mkstemp(pattern.data());
  if (fd < 0) throw std::runtime_error("mkstemp in " + scratch.string());
  ::close(fd);
  const std::filesystem::path log = pattern;
  ProcessResult result;
  {
    ChildProcess child(argv, log);
    result.exit_code = child.wait();
  }
  result.out = read_file(log);
  std::filesystem::remove(log);
  return result;
}

}  // namespace csd::testing_support
