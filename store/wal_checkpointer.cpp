#include "store/wal_checkpointer.hpp"

#include <utility>

namespace csd {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(Database& writer, int threshold_frames) {
  auto own = Database::open_checkpointer(writer.path());
  if (!own) return std::move(own).error();
  auto checkpointer = std::make_unique<WalCheckpointer>(Key(), std::move(*own), threshold_frames);
  WalCheckpointer* self = checkpointer.get();  // outlives the hook (unhook first)
  writer.set_wal_commit_hook([self](int frames) { return self->on_commit(frames); });
  return checkpointer;
}

WalCheckpointer::WalCheckpointer(Key /*unused*/, Database own, int threshold_frames)
    : own_(std::move(own)), threshold_frames_(threshold_frames), thread_([this] { run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WalCheckpointer::unhook(Database& writer) {
  writer.set_wal_commit_hook({});
}

std::string WalCheckpointer::last_error() const {
  const std::lock_guard lock(mutex_);
  return last_error_;
}

bool WalCheckpointer::on_commit(int wal_frames) {
  if (wal_frames < threshold_frames_) return false;
  {
    const std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
  return wal_frames >= threshold_frames_ * kBackstopFactor;
}

void WalCheckpointer::count_copied(int backfilled) {
  // `backfilled` counts from the start of the WAL; a smaller figure than last
  // time means the writer restarted the WAL from its beginning meanwhile.
  if (backfilled < 0) return;
  const int copied = backfilled >= copied_in_wal_ ? backfilled - copied_in_wal_ : backfilled;
  copied_in_wal_ = backfilled;
  copied_frames_.fetch_add(static_cast<std::uint64_t>(copied));
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    auto result = own_.checkpoint_passive();
    if (result && !result->busy) count_copied(result->checkpointed_frames);
    lock.lock();
    last_error_ = result ? std::string() : result.error().message;
    completed_.fetch_add(1);
  }
}

}  // namespace csd
