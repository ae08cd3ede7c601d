// StoreWriterThread: the store's one writer (SPEC 4) on a thread of its own.
// Every chain's sync loop hands it work — batches, rollbacks, status rows —
// and it runs them in submission order. The queue is bounded, so a fetcher
// that runs ahead of the disk blocks in `submit` (bounded memory), while the
// fetcher's next RPC requests overlap with the previous batch's commit
// (pipelining, issue 5).
//
// Thread safety: submit/run may be called from any thread. The Writer is only
// ever touched by the writer thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

#include "store/writer.hpp"

namespace csd {

class StoreWriterThread {
 public:
  // `max_queued`: tasks waiting (not counting the one running) before submit blocks.
  explicit StoreWriterThread(Writer writer, std::size_t max_queued = 4);
  StoreWriterThread(const StoreWriterThread&) = delete;
  StoreWriterThread& operator=(const StoreWriterThread&) = delete;
  // Runs what is queued, then joins.
  ~StoreWriterThread();

  // Queues `task(writer)` and returns its result's future. Blocks while the
  // queue is full. After stop(), the future holds a kCancelled error.
  template <class F>
  auto run(F task) -> std::future<std::invoke_result_t<F, Writer&>> {
    using R = std::invoke_result_t<F, Writer&>;
    auto packaged = std::make_shared<std::packaged_task<R(Writer&)>>(std::move(task));
    std::future<R> future = packaged->get_future();
    if (!enqueue([packaged](Writer& writer) { (*packaged)(writer); })) {
      std::promise<R> refused;
      refused.set_value(make_error(ErrorCode::kCancelled, "store writer stopped"));
      return refused.get_future();
    }
    return future;
  }

  // Runs what is queued and stops the thread; later submissions are refused. Idempotent.
  void stop();

  // The writer's counters as of its last finished task (for /metrics).
  [[nodiscard]] WriterCounters counters() const;

 private:
  using Task = std::function<void(Writer&)>;
  [[nodiscard]] bool enqueue(Task task);
  void loop();

  Writer writer_;
  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  WriterCounters counters_;  // guarded by mutex_
  std::condition_variable changed_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after every other member is built
};

}  // namespace csd
