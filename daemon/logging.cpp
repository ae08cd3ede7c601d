#include "daemon/logging.hpp"

#include <cerrno>
#include <mutex>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace csd::daemon {
namespace {

// A log file created by the daemon: owner read-write, group read (issue 7;
// the umask may take more away).
constexpr mode_t kLogFileMode = 0640;

Result<int> open_log_file(const std::filesystem::path& path) {
  // O_APPEND: every write lands at the end even if another writer appends
  // (an operator's echo, a second process by mistake).
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, kLogFileMode);
  if (fd < 0) {
    return make_error(ErrorCode::kUnavailable, path.string() + ": cannot open for appending: " +
                                                   std::error_code(errno, std::generic_category()).message());
  }
  return fd;
}

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

// An spdlog sink appending to a file that SIGHUP can reopen at its path. Each
// line is one write(2), so nothing sits in a process buffer at a crash.
class ReopenableFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ReopenableFileSink(std::filesystem::path path, int fd) noexcept : path_(std::move(path)), fd_(fd) {}
  ReopenableFileSink(const ReopenableFileSink&) = delete;
  ReopenableFileSink& operator=(const ReopenableFileSink&) = delete;
  ~ReopenableFileSink() override { ::close(fd_); }

  Status reopen() {
    auto fd = open_log_file(path_);
    if (!fd) return fd.error();
    // base_sink::log() holds mutex_ around sink_it_(): no line is half
    // written to the old file or lost while the descriptor changes.
    const std::lock_guard lock(mutex_);
    ::close(fd_);
    fd_ = *fd;
    return {};
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    const char* data = formatted.data();
    std::size_t left = formatted.size();
    while (left > 0) {
      const ssize_t written = ::write(fd_, data, left);
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return;  // a full disk: the line is lost, the daemon goes on
      data += written;
      left -= static_cast<std::size_t>(written);
    }
  }
  void flush_() override {}  // nothing buffered (see above)

 private:
  const std::filesystem::path path_;
  int fd_;  // guarded by mutex_
};

Result<std::shared_ptr<const Logger>> Logger::create(const LoggingOptions& options) {
  std::shared_ptr<ReopenableFileSink> file_sink;
  if (!options.file.empty()) {
    auto fd = open_log_file(options.file);
    if (!fd) return with_context(fd.error(), "daemon.log_file");
    file_sink = std::make_shared<ReopenableFileSink>(options.file, *fd);
  }
  return std::make_shared<const Logger>(options, std::move(file_sink));
}

Logger::Logger(const LoggingOptions& options, std::shared_ptr<ReopenableFileSink> file_sink)
    : file_sink_(std::move(file_sink)), file_(options.file), json_(options.format == "json") {
  // stderr: stdout carries command output (status, util).
  spdlog::sink_ptr sink = file_sink_;
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  logger_ = std::make_shared<spdlog::logger>("chainsyncd", std::move(sink));
  if (json_) {
    logger_->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%v"})",
                         spdlog::pattern_time_type::utc);
  } else if (options.under_journald && !file_sink_) {
    logger_->set_pattern("%l: %v");  // the journal adds the time
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

Status Logger::reopen() const {
  if (!file_sink_) return {};
  logger_->flush();
  if (auto reopened = file_sink_->reopen(); !reopened)
    return with_context(reopened.error(), "daemon.log_file");
  return {};
}

LogSink log_sink(std::shared_ptr<const Logger> logger) {
  return
      [logger = std::move(logger)](LogLevel level, std::string_view message) { logger->log(level, message); };
}

}  // namespace csd::daemon
