// Copies the writer's WAL into the database file on a thread of its own, so
// the writer does not stop for checkpoints (docs/store.md "Checkpoints").
// SQLite's automatic checkpoint runs inside the commit that crosses the
// threshold: the writer then waits while tens of MiB are copied and synced.
// Here the writer's commit only signals; this thread runs a PASSIVE checkpoint
// through a connection of its own, concurrently with the next batches. If the
// WAL still grows to kBackstopFactor times the threshold (the thread is slow,
// or readers hold old snapshots), the writer checkpoints itself as before.
// Once the thread has copied all but the last few batches' frames, the writer
// copies those itself, so that its next write restarts the WAL.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

class WalCheckpointer {
 public:
  static constexpr int kBackstopFactor = 4;
  // Past the threshold, the writer copies the last frames itself once no more
  // than threshold / kCatchUpDivisor are left to copy, and so restarts the
  // WAL: a couple of batches' frames, whose copy and syncs are short. Once the
  // WAL has grown to twice the threshold, up to threshold / kLateCatchUpDivisor,
  // so that it stops growing even when the thread never gets that close.
  static constexpr int kCatchUpDivisor = 16;
  static constexpr int kLateCatchUpDivisor = 4;

  // Opens a connection of its own to the writer's file and hooks into the
  // writer's commits (Database::set_wal_commit_hook; the hook stays with the
  // connection, so `writer` may move). REQUIRES: `writer` was opened with
  // open_writer; unhook(writer) before this checkpointer is destroyed.
  [[nodiscard]] static Result<std::unique_ptr<WalCheckpointer>> start(Database& writer, int threshold_frames);
  struct Key {  // start() is the way to make one
   private:
    Key() = default;
    friend class WalCheckpointer;
  };
  WalCheckpointer(Key, Database own, int threshold_frames);
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  ~WalCheckpointer();  // stops and joins the thread

  // Gives the writer back SQLite's automatic checkpoint.
  static void unhook(Database& writer);

  // What the writer does after a commit that left `wal_frames` frames in the
  // WAL, given the thread's last report (pure; on_commit acts on it).
  struct ThreadReport {
    int wal_frames = 0;  // in the WAL when the thread's last checkpoint ran
    int backfilled = 0;  // of them in the database file after it
  };
  enum class Action { kNone, kSignalThread, kCheckpointHere };
  [[nodiscard]] static Action after_commit(int wal_frames, int threshold_frames,
                                           ThreadReport report) noexcept;

  // Checkpoints the thread has run, the WAL frames they copied into the
  // database file, and the last one's error (empty: none).
  [[nodiscard]] std::uint64_t completed() const noexcept { return completed_.load(); }
  [[nodiscard]] std::uint64_t copied_frames() const noexcept { return copied_frames_.load(); }
  [[nodiscard]] std::string last_error() const;

 private:
  // On the writer's thread after each commit: true runs a checkpoint there.
  bool on_commit(int wal_frames);
  void run();
  // Publishes a checkpoint's result (last_report_) and counts the frames it copied.
  void report(int wal_frames, int backfilled);

  Database own_;  // used by thread_ only
  const int threshold_frames_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;  // guarded by mutex_
  bool stopping_ = false;   // guarded by mutex_
  std::string last_error_;  // guarded by mutex_
  std::atomic<std::uint64_t> completed_{0};
  std::atomic<std::uint64_t> copied_frames_{0};
  // The thread's last report (ThreadReport): wal_frames in the high 32 bits,
  // backfilled in the low 32; zero after the writer restarted the WAL.
  std::atomic<std::uint64_t> last_report_{0};
  int writer_wal_frames_ = 0;  // the WAL's frames at the writer's last commit; used by on_commit only
  std::thread thread_;         // last: starts once everything above exists
};

}  // namespace csd
