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

WalCheckpointer::Action WalCheckpointer::after_commit(int wal_frames, int threshold_frames,
                                                      ThreadReport report) noexcept {
  if (wal_frames < threshold_frames) return Action::kNone;
  // A report of a longer WAL than this one is of a WAL restarted since.
  const int backfilled = report.wal_frames <= wal_frames ? report.backfilled : 0;
  // Nearly all of the WAL is in the database file: copy the rest here, so
  // that the next write starts the WAL again from its beginning instead of
  // growing it to the backstop while the thread never quite catches up with
  // the writer (a PASSIVE checkpoint copies what was committed when it began).
  const int rest =
      threshold_frames / (wal_frames >= 2 * threshold_frames ? kLateCatchUpDivisor : kCatchUpDivisor);
  if (wal_frames - backfilled <= rest) return Action::kCheckpointHere;
  if (wal_frames >= threshold_frames * kBackstopFactor) return Action::kCheckpointHere;
  return Action::kSignalThread;
}

bool WalCheckpointer::on_commit(int wal_frames) {
  // Fewer frames than last time: the writer restarted the WAL, and what the
  // thread last reported is of the old one.
  if (wal_frames < writer_wal_frames_) last_report_.store(0);
  writer_wal_frames_ = wal_frames;
  const std::uint64_t packed = last_report_.load();
  const ThreadReport report{static_cast<int>(packed >> 32), static_cast<int>(packed & 0xffffffffU)};
  switch (after_commit(wal_frames, threshold_frames_, report)) {
    case Action::kNone:
      return false;
    case Action::kCheckpointHere:
      return true;
    case Action::kSignalThread:
      break;
  }
  {
    const std::lock_guard lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
  return false;
}

void WalCheckpointer::report(int wal_frames, int backfilled) {
  const std::uint64_t previous = last_report_.exchange(static_cast<std::uint64_t>(wal_frames) << 32 |
                                                       static_cast<std::uint32_t>(backfilled));
  // `backfilled` counts from the start of the WAL; a smaller figure than last
  // time (or a report the writer cleared) means the WAL restarted meanwhile.
  const auto before = static_cast<int>(previous & 0xffffffffU);
  const int copied = backfilled >= before ? backfilled - before : backfilled;
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
    if (result && !result->busy && result->log_frames >= 0 && result->checkpointed_frames >= 0) {
      report(result->log_frames, result->checkpointed_frames);
    }
    lock.lock();
    last_error_ = result ? std::string() : result.error().message;
    completed_.fetch_add(1);
  }
}

}  // namespace csd
