// Logging: the daemon's spdlog logger, built from [daemon] log_level,
// log_format and log_file (SPEC 7) — text for terminals, one JSON object per
// line for log shippers — and the LogSink adapter the chain layer writes
// through. Lines go to stderr, or appended to log_file when one is set.
// Under journald (JOURNAL_STREAM set) text on stderr drops its own timestamp,
// since the journal stamps every line already (issue 7). reopen() serves
// SIGHUP: after logrotate renamed the file, lines go to a new file at the
// configured path and the renamed one is left intact.
//
// Thread safety: log/flush/reopen may be called from any thread; the file
// sink swaps its descriptor under the same mutex its writes hold.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "chains/chain_log.hpp"
#include "decoders/result.hpp"

namespace spdlog {
class logger;
}

namespace csd::daemon {

struct LoggingOptions {
  std::string_view level = "info";   // trace debug info warn error
  std::string_view format = "text";  // text | json
  std::filesystem::path file;        // empty: stderr; else appended to, created 0640
  bool under_journald = false;
};

class ReopenableFileSink;  // logging.cpp

class Logger {
 public:
  // Fails (naming the path) when the log file cannot be opened.
  [[nodiscard]] static Result<std::shared_ptr<const Logger>> create(const LoggingOptions& options);

  // In JSON format the message is escaped into the "message" string.
  void log(LogLevel level, std::string_view message) const;
  void flush() const;
  // Opens the log file at its path again (SIGHUP); the old descriptor is
  // kept when that fails. Nothing to do when logging to stderr.
  [[nodiscard]] Status reopen() const;
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

  // Use create(); public for make_shared.
  Logger(const LoggingOptions& options, std::shared_ptr<ReopenableFileSink> file_sink);

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<ReopenableFileSink> file_sink_;  // null: stderr
  std::filesystem::path file_;
  bool json_;
};

// Writes chain-layer messages to `logger`.
[[nodiscard]] LogSink log_sink(std::shared_ptr<const Logger> logger);

}  // namespace csd::daemon
