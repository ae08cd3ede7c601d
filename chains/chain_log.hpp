// LogSink: how the chain layer reports what it does. The daemon adapts it to
// its logger (spdlog, text or JSON); tests collect lines. Keeping the chain
// layer free of a logging library keeps its headers light and its tests
// able to assert on what was logged.
//
// Thread safety: a sink may be called from any chain thread at once; the
// daemon's adapter is thread-safe.
#pragma once

#include <functional>
#include <string_view>

namespace csd {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

using LogSink = std::function<void(LogLevel level, std::string_view message)>;

}  // namespace csd
