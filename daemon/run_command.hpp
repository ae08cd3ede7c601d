// `chainsyncd run` (SPEC 6): opens the store, starts one sync thread per
// enabled chain and the store's writer thread, and runs until SIGTERM or
// SIGINT — then every chain finishes and commits the batch in flight, and the
// process exits 0. Thread ownership: the main thread waits for signals and
// owns every other thread; each chain has one sync thread; the store has one
// writer thread (SPEC 4: one writer).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace csd::daemon {

// Returns the process exit code: 0 after a clean stop, 2 for a configuration
// error (printed as "config error: <key>: <problem>"), 1 for a runtime failure.
[[nodiscard]] int run_daemon(const std::filesystem::path& config_path);

// `chainsyncd reindex --chain C --from H` (daemon/reindex.hpp).
[[nodiscard]] int reindex_chain(const std::filesystem::path& config_path, const std::string& chain,
                                std::uint64_t from);

// `chainsyncd status [--json]`: each chain's checkpoint, head seen, lag, last
// error and the database size, read from the database alone.
[[nodiscard]] int print_status(const std::filesystem::path& config_path, bool json);

}  // namespace csd::daemon
