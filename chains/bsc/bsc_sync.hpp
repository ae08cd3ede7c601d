// BscSync: follows a BSC (any EVM) node into the store — SPEC 3.1 and 3.4,
// issue 5. Backfills from the checkpoint with adaptive eth_getLogs ranges,
// then follows the head (newHeads over WebSocket when configured, polling
// always as the safety net), detects reorgs by parent hashes and rolls back
// to the common ancestor, and keeps the next range's requests going while
// the store writes the previous one (StoreWriterThread's bounded queue).
//
// Thread safety: run() on one thread (the chain's); metrics and rpc_stats()
// may be read from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "chains/bsc/evm_rpc.hpp"
#include "chains/bsc/log_range.hpp"
#include "chains/chain_log.hpp"
#include "chains/chain_metrics.hpp"
#include "chains/rpc/http_transport.hpp"
#include "decoders/evm_events.hpp"
#include "store/batch.hpp"

namespace csd {

class JsonRpcClient;
class StoreWriterThread;
class WsSubscription;

// SPEC 7 [bsc].
struct BscSyncConfig {
  std::uint64_t chain_id = 56;
  HttpTransportConfig rpc;  // rpc_urls and transport limits
  std::string ws_url;       // empty: poll only
  std::uint64_t start_block = 0;
  std::uint64_t confirmations = 15;  // finality when the node has no "finalized" tag
  std::uint64_t max_reorg_depth = 64;
  std::uint64_t getlogs_max_range = 5000;
  std::chrono::milliseconds poll_interval{1000};
  TstContracts contracts;
  std::size_t max_batches_in_flight = 2;       // fetched ranges handed to the writer but not yet committed
  std::chrono::seconds progress_interval{10};  // backfill progress log lines at most this often (issue 7)
};

class BscSync {
 public:
  [[nodiscard]] static Result<std::unique_ptr<BscSync>> create(BscSyncConfig config,
                                                               StoreWriterThread& writer,
                                                               ChainMetrics& metrics, LogSink log);
  ~BscSync();
  BscSync(const BscSync&) = delete;
  BscSync& operator=(const BscSync&) = delete;

  // Syncs until `stop` is requested (then commits what was fetched and
  // returns OK) or a fatal condition for this chain: a node on another chain
  // id (kInvalidArgument), a reorg deeper than max_reorg_depth (kInternal).
  // Node faults are retried with backoff forever, never fatal.
  [[nodiscard]] Status run(std::stop_token stop);

  [[nodiscard]] const RpcStats& rpc_stats() const noexcept;

  struct Cursor {
    std::uint64_t height = 0;
    Hash32 hash;  // all zero: unknown
  };

  // Construction goes through create(); the tag keeps the constructor private in effect.
  class CreateTag {
    friend class BscSync;
    explicit CreateTag() = default;
  };
  BscSync(CreateTag, BscSyncConfig config, std::unique_ptr<HttpTransport> transport,
          StoreWriterThread& writer, ChainMetrics& metrics, LogSink log);

 private:
  enum class Step { kProgress, kIdle };

  [[nodiscard]] Status check_chain_id(std::stop_token stop);
  [[nodiscard]] Status load_cursor();
  [[nodiscard]] Result<Step> step(std::stop_token stop);
  [[nodiscard]] Result<std::uint64_t> finalized_height(std::uint64_t head, std::stop_token stop);
  [[nodiscard]] Result<Step> verify_tip(std::stop_token stop);
  [[nodiscard]] Status handle_reorg(std::stop_token stop);
  [[nodiscard]] Status submit(Batch batch, std::uint64_t log_count);
  [[nodiscard]] Status drain();
  [[nodiscard]] Status collect_finished();
  void start_head_subscription();
  void wait_for_head(std::stop_token stop, std::chrono::milliseconds timeout);
  void note_error(const Error& error);
  void record_status(bool force);
  // At the head no batch carries the node's finality: write it on its own.
  void record_finalized(std::uint64_t finalized);
  void log_progress(std::uint64_t head);
  void log(LogLevel level, const std::string& message) const;

  BscSyncConfig config_;
  std::unique_ptr<HttpTransport> transport_;
  std::unique_ptr<JsonRpcClient> client_;
  EvmRpc rpc_;
  StoreWriterThread* writer_;
  ChainMetrics* metrics_;
  LogSink log_;
  LogFilter filter_;
  AdaptiveRange range_;

  std::optional<Cursor> cursor_;  // last block handed to the writer; nullopt: nothing yet
  std::deque<std::future<Status>> in_flight_;
  std::uint64_t head_ = 0;
  std::optional<std::uint64_t> finalized_;
  // Until then the node is taken to have no "finalized" tag (it answered an error).
  std::chrono::steady_clock::time_point finalized_tag_unsupported_until_{};
  bool at_head_ = false;  // the last step found nothing new
  std::chrono::steady_clock::time_point finalized_checked_{};
  std::optional<std::uint64_t> finalized_recorded_;  // the finalized height the store was last given

  std::string last_error_;
  std::int64_t last_error_at_ = 0;
  std::chrono::steady_clock::time_point status_recorded_{};
  std::chrono::steady_clock::time_point progress_logged_{};
  std::uint64_t progress_height_ = 0;
  std::uint64_t progress_logs_ = 0;

  std::unique_ptr<WsSubscription> subscription_;
  std::mutex wake_mutex_;
  std::condition_variable_any wake_;
  bool woken_ = false;
  bool ws_connected_ = false;  // guarded by wake_mutex_
};

}  // namespace csd
