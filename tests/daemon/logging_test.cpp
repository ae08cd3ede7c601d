// The daemon's logs as an operator sees them (SPEC 7 log_format, issue 7):
// the real `chainsyncd run` with log_file set appends there and, on SIGHUP
// after a rename (logrotate), continues in a new file and leaves the old one
// intact; log_format = "json" prints one JSON object per line; under journald
// (JOURNAL_STREAM set) text lines carry no timestamp of their own.
#include "daemon/logging.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace csd::daemon {
namespace {

using testing_support::ChildProcess;
using testing_support::read_file;
using testing_support::TempDir;

// Generous: the machine may be loaded (ASan, 2 cores).
constexpr std::chrono::seconds kTimeout{120};

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// (No std::regex below: GCC 12 warns inside it at -O1, and warnings are errors.)
bool digits_at(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// "2026-11-24T01:02:03.456Z": RFC 3339 UTC with milliseconds.
bool is_time_ms(std::string_view text) {
  return text.size() == 24 && digits_at(text, 0, 4) && text[4] == '-' && digits_at(text, 5, 2) &&
         text[7] == '-' && digits_at(text, 8, 2) && text[10] == 'T' && digits_at(text, 11, 2) &&
         text[13] == ':' && digits_at(text, 14, 2) && text[16] == ':' && digits_at(text, 17, 2) &&
         text[19] == '.' && digits_at(text, 20, 3) && text[23] == 'Z';
}

// Whether a YYYY-MM-DD date appears anywhere in `text`.
bool has_date(std::string_view text) {
  for (std::size_t at = 0; at + 10 <= text.size(); ++at) {
    if (digits_at(text, at, 4) && text[at + 4] == '-' && digits_at(text, at + 5, 2) && text[at + 7] == '-' &&
        digits_at(text, at + 8, 2))
      return true;
  }
  return false;
}

// "<level><separator><message>" with one of the levels the daemon logs at.
bool starts_with_level(std::string_view text, std::string_view separator) {
  for (const std::string_view level : {"info", "warning", "error"}) {
    const std::string prefix = std::string(level) + std::string(separator);
    if (text.size() > prefix.size() && text.starts_with(prefix)) return true;
  }
  return false;
}

// A TOML basic string (TOML 1.0 §String): quotes and backslashes escaped.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A config with no chain (only the store and the API run), or with BSC
// pointed at `bsc_rpc` (a port nobody listens on: warnings every retry).
void write_config(const std::filesystem::path& path, const std::filesystem::path& database,
                  const std::vector<std::string>& daemon_lines, const std::string& bsc_rpc = {}) {
  std::ofstream out(path);
  out << "[daemon]\ndatabase = " << toml_string(database.string()) << "\n";
  for (const std::string& line : daemon_lines) out << line << "\n";
  out << "[api]\nlisten = \"127.0.0.1:0\"\n";
  if (!bsc_rpc.empty()) {
    // Addresses: the EIP-55 specification's examples.
    out << "[bsc]\nrpc_urls = [\"" << bsc_rpc << "\"]\npoll_interval_ms = 50\n[bsc.contracts]\n"
        << "tst = \"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"\n"
        << "escrow = \"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359\"\n"
        << "staking = \"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB\"\n"
        << "compute_reserve = \"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb\"\n";
  }
}

// SIGTERM and the exit code (SPEC 6: 0).
int stop(ChildProcess& daemon) {
  daemon.kill(SIGTERM);
  int code = -1;
  if (!daemon.wait_for(std::chrono::seconds(60), code)) return -1000;
  return code;
}

// `chainsyncd run` under `env` (so a test sets or clears JOURNAL_STREAM for
// the child only).
std::vector<std::string> daemon_argv(const std::filesystem::path& config, std::vector<std::string> env_args) {
  std::vector<std::string> argv{"env"};
  argv.insert(argv.end(), env_args.begin(), env_args.end());
  argv.insert(argv.end(), {CHAINSYNCD_BINARY, "run", "--config", config.string()});
  return argv;
}

TEST(Logging, LogFileIsAppendedToAndReopenedOnSighupAfterARename) {
  TempDir dir;
  const auto log_file = dir.file("chainsyncd.log");
  const auto rotated = dir.file("chainsyncd.log.1");
  const auto output = dir.file("output.txt");  // the child's stdout and stderr
  const auto config = dir.file("chainsyncd.toml");
  write_config(config, dir.file("c.db"), {"log_file = " + toml_string(log_file.string())});
  {
    std::ofstream earlier(log_file);
    earlier << "a line from an earlier run\n";
  }

  ChildProcess daemon(daemon_argv(config, {"-u", "JOURNAL_STREAM"}), output);
  ASSERT_TRUE(eventually([&] { return contains(read_file(log_file), "chainsyncd running"); }))
      << read_file(log_file) << read_file(output);
  const std::string before_rotation = read_file(log_file);
  EXPECT_EQ(before_rotation.rfind("a line from an earlier run\n", 0), 0u) << "appends, never truncates";

  // logrotate: rename, then SIGHUP (contrib/logrotate/chainsyncd).
  std::filesystem::rename(log_file, rotated);
  daemon.kill(SIGHUP);
  ASSERT_TRUE(eventually([&] { return contains(read_file(log_file), "log file reopened"); }))
      << read_file(rotated) << read_file(output);
  // Created by the daemon: mode 0640, less what the umask takes.
  const mode_t umask_now = ::umask(0);
  ::umask(umask_now);
  struct stat info {};
  ASSERT_EQ(::stat(log_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640 & ~umask_now);

  ASSERT_EQ(stop(daemon), 0) << read_file(log_file) << read_file(output);
  const std::string after = read_file(log_file);
  EXPECT_TRUE(contains(after, "chainsyncd stopped")) << after;
  EXPECT_FALSE(contains(after, "chainsyncd running")) << after;
  EXPECT_EQ(read_file(rotated), before_rotation) << "the renamed file must be left as it was";
  EXPECT_EQ(read_file(output), "") << "with log_file set, stderr stays quiet";
}

TEST(Logging, AnUnopenableLogFileIsARuntimeErrorNamingTheKey) {
  TempDir dir;
  const auto config = dir.file("chainsyncd.toml");
  write_config(config, dir.file("c.db"),
               {"log_file = " + toml_string(dir.file("no-such-dir/chainsyncd.log").string())});
  const auto result = testing_support::run_process(daemon_argv(config, {}), dir.path());
  EXPECT_EQ(result.exit_code, 1) << result.out;  // SPEC 6: a runtime failure
  EXPECT_TRUE(contains(result.out, "daemon.log_file: ")) << result.out;
  EXPECT_TRUE(contains(result.out, "no-such-dir/chainsyncd.log")) << result.out;
}

TEST(Logging, JsonFormatIsOneObjectPerLine) {
  TempDir dir;
  const auto output = dir.file("output.txt");
  const auto config = dir.file("chainsyncd.toml");
  // A database path with a quote and a backslash, logged in "store open: …",
  // must come back intact through the JSON escaping.
  const auto database = dir.file("odd \"name\\ .db");
  write_config(config, database, {"log_format = \"json\"", "log_level = \"debug\""}, "http://127.0.0.1:1");
  ChildProcess daemon(daemon_argv(config, {"-u", "JOURNAL_STREAM"}), output);
  // The unreachable node adds warnings (retries) to the info lines.
  ASSERT_TRUE(eventually([&] {
    const std::string text = read_file(output);
    return contains(text, "chainsyncd running") && contains(text, "eth_chainId");
  })) << read_file(output);
  ASSERT_EQ(stop(daemon), 0) << read_file(output);

  const auto lines = lines_of(read_file(output));
  ASSERT_GE(lines.size(), 4u);
  bool saw_store_open = false;
  bool saw_warning = false;
  for (const std::string& line : lines) {
    const auto object = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(object.is_object()) << "not a JSON object: " << line;
    ASSERT_TRUE(object["time"].is_string()) << line;
    EXPECT_TRUE(is_time_ms(object["time"].get<std::string>())) << line;
    ASSERT_TRUE(object["level"].is_string()) << line;
    const std::string level = object["level"].get<std::string>();
    EXPECT_TRUE(level == "trace" || level == "debug" || level == "info" || level == "warning" ||
                level == "error" || level == "critical")
        << line;
    ASSERT_TRUE(object["message"].is_string()) << line;
    EXPECT_EQ(object.size(), 3u) << line;
    const std::string message = object["message"].get<std::string>();
    saw_store_open = saw_store_open || message == "store open: " + database.string();
    saw_warning = saw_warning || (level == "warning" && contains(message, "127.0.0.1:1"));
  }
  EXPECT_TRUE(saw_store_open) << "the odd path did not round-trip";
  EXPECT_TRUE(saw_warning);
}

TEST(Logging, TextUnderJournaldCarriesNoTimestampOfItsOwn) {
  TempDir dir;
  const auto config = dir.file("chainsyncd.toml");
  write_config(config, dir.file("c.db"), {});

  // journald sets JOURNAL_STREAM for a service whose stderr is the journal
  // (systemd.exec(5)); the value is "device:inode".
  for (const bool under_journald : {true, false}) {
    const auto output = dir.file(under_journald ? "journald.txt" : "terminal.txt");
    ChildProcess daemon(
        daemon_argv(config, under_journald ? std::vector<std::string>{"JOURNAL_STREAM=8:12345"}
                                           : std::vector<std::string>{"-u", "JOURNAL_STREAM"}),
        output);
    ASSERT_TRUE(eventually([&] { return contains(read_file(output), "chainsyncd running"); }))
        << read_file(output);
    ASSERT_EQ(stop(daemon), 0) << read_file(output);
    const auto lines = lines_of(read_file(output));
    ASSERT_GE(lines.size(), 3u);
    for (const std::string& line : lines) {
      if (under_journald) {
        EXPECT_TRUE(starts_with_level(line, ": ")) << line;
        EXPECT_FALSE(has_date(line)) << "a timestamp under journald: " << line;
      } else {
        EXPECT_TRUE(line.size() > 25 && is_time_ms(std::string_view(line).substr(0, 24)) && line[24] == ' ' &&
                    starts_with_level(std::string_view(line).substr(25), " "))
            << line;
      }
    }
  }
}

}  // namespace
}  // namespace csd::daemon
