#include "chains/sync/writer_thread.hpp"

namespace csd {

StoreWriterThread::StoreWriterThread(Writer writer, std::size_t max_queued)
    : writer_(std::move(writer)),
      max_queued_(max_queued == 0 ? 1 : max_queued),
      thread_([this] { loop(); }) {}

StoreWriterThread::~StoreWriterThread() {
  stop();
}

void StoreWriterThread::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool StoreWriterThread::enqueue(Task task) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return stopping_ || queue_.size() < max_queued_; });
  if (stopping_) return false;
  queue_.push_back(std::move(task));
  lock.unlock();
  changed_.notify_all();
  return true;
}

WriterCounters StoreWriterThread::counters() const {
  const std::lock_guard lock(mutex_);
  return counters_;
}

void StoreWriterThread::loop() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Drain before stopping: work that was accepted is always done (a
      // batch handed over before SIGTERM is committed).
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    task(writer_);
    const std::lock_guard lock(mutex_);
    counters_ = writer_.counters();
  }
}

}  // namespace csd
