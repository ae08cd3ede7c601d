// Logging: the daemon's spdlog logger, built from [daemon] log_level and
// log_format (SPEC 7) — text for terminals, one JSON object per line for log
// shippers — and the LogSink adapter the chain layer writes through. Under
// journald (JOURNAL_STREAM set) the text format drops its own timestamp,
// since the journal stamps every line already (issue 7).
//
// Thread safety: the logger is spdlog's thread-safe (_mt) kind; the sink may
// be called from any thread.
#pragma once

#include <memory>
#include <string_view>

#include "chains/chain_log.hpp"

namespace spdlog {
class logger;
}

namespace csd::daemon {

struct LoggingOptions {
  std::string_view level = "info";   // trace debug info warn error
  std::string_view format = "text";  // text | json
  bool under_journald = false;
};

class Logger {
 public:
  explicit Logger(const LoggingOptions& options);
  // In JSON format the message is escaped into the "msg" string.
  void log(LogLevel level, std::string_view message) const;
  void flush() const;

 private:
  std::shared_ptr<spdlog::logger> logger_;
  bool json_;
};

// Writes chain-layer messages to `logger`.
[[nodiscard]] LogSink log_sink(std::shared_ptr<const Logger> logger);

}  // namespace csd::daemon
