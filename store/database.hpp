// Database: one SQLite connection of chainsyncd's store (docs/store.md), with
// its per-connection prepared-statement cache, and the two transaction types
// that run on it. A writer connection (open_writer) checks, initialises and
// migrates the file; a reader connection (open_reader) is read-only. Every
// connection has the exact `u256_sum(blob)` aggregate registered.
//
// Thread safety: a Database and everything obtained from it (Statement,
// ReadTxn, WriteTxn) belong to one thread at a time. Each thread that reads
// uses its own reader connection (SQLite's WAL gives each its own snapshot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "decoders/u256.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace csd {

struct SqliteCloser {
  void operator()(sqlite3* db) const noexcept;
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept;
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

namespace store_detail {
// The connection and its idle prepared statements, keyed by SQL text. Lives
// behind a unique_ptr so a Database can move while Statements point here.
struct Connection {
  SqlitePtr db;  // declared first: destroyed after the cached statements
  std::unordered_multimap<std::string, StatementPtr> idle;
  std::filesystem::path path;
  std::function<bool(int)> wal_commit_hook;  // Database::set_wal_commit_hook
  int synchronous = -1;                      // the PRAGMA value last set; -1 before the first
};
}  // namespace store_detail

// A prepared statement borrowed from its connection's cache; the destructor
// resets it, clears its bindings and returns it to the cache. Bind indexes
// are 1-based (SQL `?1`), column indexes 0-based, as in SQLite's C API.
// A bind failure is remembered and reported by the next step()/run().
// REQUIRES: the Database outlives its Statements.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind_int64(int index, std::int64_t value);
  // A uint64 height/time; values above INT64_MAX are stored as INT64_MAX
  // ("forever", docs/store.md).
  Statement& bind_uint64_clamped(int index, std::uint64_t value);
  Statement& bind_text(int index, std::string_view text);
  Statement& bind_blob(int index, ByteSpan blob);
  // Binds without copying. REQUIRES: `blob` stays valid and unchanged until
  // the statement is next reset (run() resets it).
  Statement& bind_blob_static(int index, ByteSpan blob);
  Statement& bind_u256(int index, const U256& value);  // 32-byte big-endian BLOB
  Statement& bind_null(int index);
  // bind_blob_static for a hash or an address (a temporary does not compile).
  template <std::size_t N, class Tag>
  Statement& bind_bytes_static(int index, const FixedBytes<N, Tag>& value) {
    return bind_blob_static(index, ByteSpan(value.data(), N));
  }
  template <std::size_t N, class Tag>
  Statement& bind_bytes_static(int index, const FixedBytes<N, Tag>&& value) = delete;
  template <std::size_t N, class Tag>
  Statement& bind_bytes(int index, const FixedBytes<N, Tag>& value) {
    return bind_blob(index, ByteSpan(value.data(), N));
  }

  // Runs one step: true when a row is available, false when done.
  [[nodiscard]] Result<bool> step();
  // Steps to completion (INSERT/UPDATE/DELETE), then resets for reuse.
  [[nodiscard]] Status run();
  // Ready to run again; bindings are kept (rebind what changes).
  void reset() noexcept;

  // Columns of the current row (after step() returned true).
  enum class ColumnType { kInteger, kReal, kText, kBlob, kNull };
  [[nodiscard]] int column_count() const noexcept;
  [[nodiscard]] ColumnType column_type(int column) const noexcept;
  [[nodiscard]] bool is_null(int column) const noexcept;
  [[nodiscard]] std::int64_t column_int64(int column) const noexcept;
  [[nodiscard]] std::string column_text(int column) const;
  // Valid until the next step(), reset() or destruction.
  [[nodiscard]] ByteSpan column_blob(int column) const noexcept;
  // Errors (kMalformed) unless the column is a BLOB of exactly 32 bytes.
  [[nodiscard]] Result<U256> column_u256(int column) const;
  template <std::size_t N, class Tag>
  [[nodiscard]] Result<FixedBytes<N, Tag>> column_bytes(int column) const {
    const ByteSpan blob = column_blob(column);
    if (blob.size() != N) return size_error(column, N, blob.size());
    return FixedBytes<N, Tag>::from(blob.first<N>());
  }

  [[nodiscard]] std::string_view sql() const noexcept { return sql_; }

 private:
  friend class Database;
  Statement(store_detail::Connection* connection, std::string sql, StatementPtr stmt) noexcept;
  [[nodiscard]] Error size_error(int column, std::size_t want, std::size_t got) const;
  [[nodiscard]] Error sqlite_error(int rc) const;
  void note_bind(int rc) noexcept;

  store_detail::Connection* connection_ = nullptr;
  std::string sql_;
  StatementPtr stmt_;
  int bind_rc_ = 0;  // the first failed bind's result code, 0 when none
};

// The bytes the store at `path` takes on disk: the database file plus its WAL
// (a missing file counts 0). For `chainsyncd status` and the benchmarks.
[[nodiscard]] std::uintmax_t store_bytes_on_disk(const std::filesystem::path& path);

// Steps `st` to its end, calling `visit(st)` (returning Status) on each row;
// stops at the first error, of the step or of `visit`.
template <class Visit>
[[nodiscard]] Status for_each_row(Statement& st, Visit&& visit) {
  for (;;) {
    auto row = st.step();
    if (!row) return std::move(row).error();
    if (!*row) return {};
    if (auto status = visit(st); !status) return status;
  }
}

class WriteTxn;
class ReadTxn;

// What a WAL checkpoint did: the frames in the log, and how many of them are
// now in the database file.
struct WalCheckpointResult {
  int log_frames = 0;
  int checkpointed_frames = 0;
  bool busy = false;  // another checkpoint was running: this one did nothing
};

// How much of a commit survives what (SQLite's `synchronous` in WAL mode).
// Either way a commit is atomic and the file consistent: a batch is there
// whole, with its checkpoint, or not at all.
enum class CommitDurability {
  // synchronous = FULL: the WAL is on disk before COMMIT returns; a power cut
  // or OS crash keeps every returned commit.
  kPowerLoss,
  // synchronous = NORMAL: no fsync per commit (the WAL is synced before each
  // checkpoint). A killed process keeps every commit; a power cut or OS crash
  // may undo the last few, whole, and the next FULL commit makes them durable.
  kProcessCrash,
};

class Database {
 public:
  // Opens (creating if absent) the store file for writing: refuses, without
  // modifying it, a file that is not a chainsyncd database or that a newer
  // chainsyncd wrote; otherwise sets WAL mode and migrates it forward.
  [[nodiscard]] static Result<Database> open_writer(const std::filesystem::path& path);
  // Opens an existing, current-schema store read-only (query_only).
  [[nodiscard]] static Result<Database> open_reader(const std::filesystem::path& path);
  // Opens a store that a writer connection has already opened, read-write,
  // for WAL checkpoints only (WalCheckpointer): no schema work.
  [[nodiscard]] static Result<Database> open_checkpointer(const std::filesystem::path& path);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;
  ~Database() = default;

  // A cached statement for one SQL statement (trailing text is an error).
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  // Runs SQL text of one or more statements without results (DDL, pragmas).
  [[nodiscard]] Status exec(std::string_view sql);
  // One integer from a single-row query (a pragma, a count).
  [[nodiscard]] Result<std::int64_t> query_int64(std::string_view sql);

  // BEGIN IMMEDIATE: takes the write lock now, so a busy file fails here
  // (after busy_timeout) and not halfway through a batch.
  [[nodiscard]] Result<WriteTxn> begin_write();
  // BEGIN (deferred): the snapshot is taken at the first read and held until
  // the ReadTxn ends, so every query in it sees the same committed state.
  [[nodiscard]] Result<ReadTxn> begin_read();

  // A PASSIVE WAL checkpoint: copies the frames no reader still needs into
  // the database file; never waits for readers or the writer. Another
  // connection's checkpoint in progress is not an error: the result says busy.
  [[nodiscard]] Result<WalCheckpointResult> checkpoint_passive();
  // Replaces SQLite's automatic checkpoint on this connection: after each
  // commit, hook(frames in the WAL) runs on the committing thread, and when it
  // returns true a PASSIVE checkpoint runs there and then. An empty hook
  // restores the automatic checkpoint (every kAutocheckpointFrames).
  void set_wal_commit_hook(std::function<bool(int)> hook);
  // The page size of a store this binary creates; an existing file keeps its own.
  static constexpr int kPageSize = 16384;
  // The writer's automatic checkpoint interval, in WAL frames (64 MiB of kPageSize pages).
  static constexpr int kAutocheckpointFrames = 4096;

  // Sets the durability of this connection's next commits; no statement runs
  // when it is already set. Outside a transaction.
  [[nodiscard]] Status set_commit_durability(CommitDurability durability);

  // Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  [[nodiscard]] std::int64_t changes() const noexcept;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return connection_->path; }
  [[nodiscard]] bool read_only() const noexcept { return read_only_; }

  // "store /x/y.db: <what>": the prefix of every error about this file.
  [[nodiscard]] Error error(ErrorCode code, std::string_view what) const;

 private:
  Database(std::unique_ptr<store_detail::Connection> connection, bool read_only) noexcept;
  [[nodiscard]] static Result<Database> open(const std::filesystem::path& path, bool read_only);
  [[nodiscard]] Status configure_writer();
  [[nodiscard]] Status configure_reader();

  std::unique_ptr<store_detail::Connection> connection_;
  bool read_only_ = false;
};

// A write transaction: BEGIN IMMEDIATE … COMMIT. Rolled back by the destructor
// unless committed. REQUIRES: its Database is not moved or destroyed meanwhile. Functions that write take a
// WriteTxn&, so whatever they write commits together with the checkpoint (STYLE: Store).
class WriteTxn {
 public:
  WriteTxn(WriteTxn&& other) noexcept;
  WriteTxn& operator=(WriteTxn&&) = delete;
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  ~WriteTxn();

  [[nodiscard]] Result<Statement> prepare(std::string_view sql) { return db_->prepare(sql); }
  [[nodiscard]] Status exec(std::string_view sql) { return db_->exec(sql); }
  [[nodiscard]] Result<std::int64_t> query_int64(std::string_view sql) { return db_->query_int64(sql); }
  [[nodiscard]] std::int64_t changes() const noexcept { return db_->changes(); }
  // REQUIRES: not yet committed. After an error the transaction is rolled back.
  [[nodiscard]] Status commit();

 private:
  friend class Database;
  explicit WriteTxn(Database* db) noexcept : db_(db) {}
  Database* db_;
  bool open_ = true;
};

// A read transaction on one consistent snapshot; ended by the destructor.
// REQUIRES: its Database is not moved or destroyed meanwhile.
class ReadTxn {
 public:
  ReadTxn(ReadTxn&& other) noexcept;
  ReadTxn& operator=(ReadTxn&&) = delete;
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;
  ~ReadTxn();

  [[nodiscard]] Result<Statement> prepare(std::string_view sql) { return db_->prepare(sql); }
  [[nodiscard]] Result<std::int64_t> query_int64(std::string_view sql) { return db_->query_int64(sql); }

 private:
  friend class Database;
  explicit ReadTxn(Database* db) noexcept : db_(db) {}
  Database* db_;
  bool open_ = true;
};

}  // namespace csd
