// ChainRunner: one chain's sync loop on its own thread, as `run` owns it —
// started, stopped (the loop commits what it fetched), restarted around a
// reindex, and watched for ending on its own (a fatal condition for that
// chain). The main thread learns of such an end through SIGUSR1, which it
// takes in its sigtimedwait loop.
//
// Thread safety: start/stop/take_outcome from the owning (main) thread;
// metrics() and rpc_stats() from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <pthread.h>

#include "chains/bsc/bsc_sync.hpp"

namespace csd::daemon {

class ChainRunner {
 public:
  // REQUIRES: sync outlives nothing it borrows (the writer thread outlives the runner).
  ChainRunner(std::unique_ptr<BscSync> sync, ChainMetrics& metrics, pthread_t owner) noexcept
      : sync_(std::move(sync)), metrics_(&metrics), owner_(owner) {}
  ChainRunner(const ChainRunner&) = delete;
  ChainRunner& operator=(const ChainRunner&) = delete;
  ~ChainRunner() { stop(); }

  void start();
  // Asks the loop to stop and joins it. Idempotent.
  void stop();

  // Set once the loop returned on its own: its result (an error for a fatal
  // condition). nullopt while it runs or after a requested stop.
  [[nodiscard]] std::optional<Status> take_outcome();

  [[nodiscard]] const ChainMetrics& metrics() const noexcept { return *metrics_; }
  [[nodiscard]] RpcStatsSnapshot rpc_stats() const { return sync_->rpc_stats().snapshot(); }

 private:
  std::unique_ptr<BscSync> sync_;
  ChainMetrics* metrics_;
  pthread_t owner_;
  std::mutex mutex_;
  std::optional<Status> outcome_;  // guarded by mutex_
  std::jthread thread_;
};

}  // namespace csd::daemon
