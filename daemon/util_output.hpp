// One-line JSON output shared by the util subcommands.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace csd::daemon {

// Compact, one line. Invalid UTF-8 (an ABI string may hold any bytes) is
// replaced with U+FFFD rather than aborting the dump.
inline std::string dump_json_line(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace csd::daemon
