#include "daemon/logging.hpp"

#include <string>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace csd::daemon {
namespace {

spdlog::level::level_enum parse_level(std::string_view level) {
  if (level == "trace") return spdlog::level::trace;
  if (level == "debug") return spdlog::level::debug;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  return spdlog::level::info;
}

// JSON string escaping for the message field (RFC 8259 §7).
std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
          out += kHex[static_cast<unsigned char>(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

Logger::Logger(const LoggingOptions& options)
    : logger_(
          std::make_shared<spdlog::logger>("chainsyncd", std::make_shared<spdlog::sinks::stderr_sink_mt>())),
      json_(options.format == "json") {
  // stderr: stdout carries command output (status, util).
  if (json_) {
    logger_->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%v"})",
                         spdlog::pattern_time_type::utc);
  } else if (options.under_journald) {
    logger_->set_pattern("%l: %v");
  } else {
    logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  logger_->set_level(parse_level(options.level));
  logger_->flush_on(spdlog::level::info);
}

void Logger::log(LogLevel level, std::string_view message) const {
  spdlog::level::level_enum spd = spdlog::level::info;
  switch (level) {
    case LogLevel::kTrace:
      spd = spdlog::level::trace;
      break;
    case LogLevel::kDebug:
      spd = spdlog::level::debug;
      break;
    case LogLevel::kInfo:
      spd = spdlog::level::info;
      break;
    case LogLevel::kWarn:
      spd = spdlog::level::warn;
      break;
    case LogLevel::kError:
      spd = spdlog::level::err;
      break;
  }
  if (!logger_->should_log(spd)) return;
  if (json_) {
    logger_->log(spd, "{}", json_escape(message));
  } else {
    logger_->log(spd, "{}", message);
  }
}

void Logger::flush() const {
  logger_->flush();
}

LogSink log_sink(std::shared_ptr<const Logger> logger) {
  return
      [logger = std::move(logger)](LogLevel level, std::string_view message) { logger->log(level, message); };
}

}  // namespace csd::daemon
