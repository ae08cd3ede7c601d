// Reindex (SPEC 6, issue 7): make a chain's state above a height what a fresh
// sync from that height gives. Where the stored raw inputs cover the range
// (the height is at or above where this database began indexing the chain,
// its `start_block`), the derived state is rebuilt from them with no node at
// all (Writer::rederive). Below that, nothing was ever fetched: everything
// above the height is rolled back and the chain's sync fetches it again.
//
// With the daemon stopped, `chainsyncd reindex` does the work itself. With
// the daemon running (it holds the database's InstanceLock), it hands a
// request file to the daemon, which pauses that chain, does the same work on
// its own writer thread (never a second writer) and answers in a result
// file; the command waits for it and prints it.
//
// Thread safety: free functions; the request/answer files are the protocol.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "decoders/result.hpp"
#include "store/chain_id.hpp"

namespace csd {
class StoreWriterThread;
}

namespace csd::daemon {

struct ReindexRequest {
  ChainId chain = ChainId::kBsc;
  std::uint64_t from = 0;
};

// "<database>.reindex-request" and "<database>.reindex-result".
[[nodiscard]] std::filesystem::path reindex_request_path(const std::filesystem::path& database);
[[nodiscard]] std::filesystem::path reindex_result_path(const std::filesystem::path& database);

// Writes the request atomically (temp file + rename).
[[nodiscard]] Status write_reindex_request(const std::filesystem::path& database,
                                           const ReindexRequest& request);
// Takes (reads and removes) a pending request; nullopt when there is none.
[[nodiscard]] Result<std::optional<ReindexRequest>> take_reindex_request(
    const std::filesystem::path& database);
// Writes the one-line answer atomically.
void write_reindex_result(const std::filesystem::path& database, const std::string& line);

// Does the reindex on the writer thread. `start_block`: where this database
// began indexing the chain (its config start_block). Returns a one-line
// summary ("re-derived bsc blocks 120..4711 from stored raw data (no RPC) in 85 ms").
[[nodiscard]] Result<std::string> perform_reindex(StoreWriterThread& writer, const ReindexRequest& request,
                                                  std::uint64_t start_block);

}  // namespace csd::daemon
