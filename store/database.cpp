#include "store/database.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <string>
#include <system_error>
#include <utility>

#include <sqlite3.h>

#include "store/schema.hpp"

namespace csd {

void SqliteCloser::operator()(sqlite3* db) const noexcept {
  // close_v2: a connection with an outstanding statement becomes a zombie
  // that SQLite frees with the last statement, instead of failing.
  sqlite3_close_v2(db);
}

void SqliteFinalizer::operator()(sqlite3_stmt* stmt) const noexcept {
  sqlite3_finalize(stmt);
}

namespace {

constexpr int kBusyTimeoutMs = 5000;  // docs/store.md: busy_timeout = 5000
constexpr std::size_t kU256Bytes = 32;

std::string sql_excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 60;
  std::string out(sql.substr(0, kMax));
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
  if (sql.size() > kMax) out += "...";
  return out;
}

// ---- u256_sum(blob): an exact aggregate over 32-byte big-endian amounts ----
// SQLite's SUM works on 64-bit integers and turns to REAL (or fails) beyond
// them; amounts are 256-bit (docs/store.md), so sums are exact here or fail.

struct U256SumState {
  std::uint8_t total[kU256Bytes];  // big-endian running sum
  int started;                     // zero-initialised by SQLite: 0 until the first row
};

void u256_sum_step(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  sqlite3_value* value = argv[0];
  if (sqlite3_value_type(value) == SQLITE_NULL) return;  // like SUM: NULLs are skipped
  const int size = sqlite3_value_bytes(value);
  if (sqlite3_value_type(value) != SQLITE_BLOB || size != static_cast<int>(kU256Bytes)) {
    sqlite3_result_error(context, "u256_sum: argument is not a 32-byte BLOB", -1);
    return;
  }
  auto* state = static_cast<U256SumState*>(sqlite3_aggregate_context(context, sizeof(U256SumState)));
  if (state == nullptr) {
    sqlite3_result_error_nomem(context);
    return;
  }
  const auto* blob = static_cast<const std::uint8_t*>(sqlite3_value_blob(value));
  std::array<std::uint8_t, kU256Bytes> addend{};
  std::memcpy(addend.data(), blob, kU256Bytes);
  std::array<std::uint8_t, kU256Bytes> current{};
  std::memcpy(current.data(), state->total, kU256Bytes);
  auto sum = checked_add(U256::from_be_bytes(current), U256::from_be_bytes(addend));
  if (!sum) {
    sqlite3_result_error(context, "u256_sum: sum exceeds 2^256-1", -1);
    return;
  }
  const auto out = sum->to_be_bytes();
  std::memcpy(state->total, out.data(), kU256Bytes);
  state->started = 1;
}

void u256_sum_final(sqlite3_context* context) {
  // Like TOTAL (not SUM): an empty group sums to zero, so callers need no NULL case.
  auto* state = static_cast<U256SumState*>(sqlite3_aggregate_context(context, 0));
  std::uint8_t zero[kU256Bytes] = {};
  const std::uint8_t* total = state != nullptr ? state->total : zero;
  sqlite3_result_blob(context, total, static_cast<int>(kU256Bytes), SQLITE_TRANSIENT);
}

}  // namespace

// ---- Statement ----

Statement::Statement(store_detail::Connection* connection, std::string sql, StatementPtr stmt) noexcept
    : connection_(connection), sql_(std::move(sql)), stmt_(std::move(stmt)) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)),
      sql_(std::move(other.sql_)),
      stmt_(std::move(other.stmt_)),
      bind_rc_(std::exchange(other.bind_rc_, 0)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Statement discarded(std::move(*this));  // returns the current statement to its cache
    connection_ = std::exchange(other.connection_, nullptr);
    sql_ = std::move(other.sql_);
    stmt_ = std::move(other.stmt_);
    bind_rc_ = std::exchange(other.bind_rc_, 0);
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_ == nullptr || connection_ == nullptr) return;
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  try {
    connection_->idle.emplace(std::move(sql_), std::move(stmt_));
  } catch (...) {  // out of memory while caching: the statement is simply finalized
    stmt_.reset();
  }
}

void Statement::note_bind(int rc) noexcept {
  if (rc != SQLITE_OK && bind_rc_ == 0) bind_rc_ = rc;
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::bind_uint64_clamped(int index, std::uint64_t value) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return bind_int64(index, static_cast<std::int64_t>(std::min(value, kMax)));
}

Statement& Statement::bind_text(int index, std::string_view text) {
  note_bind(sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_blob(int index, ByteSpan blob) {
  // A zero-length BLOB must stay a BLOB, not NULL: pass a non-null pointer.
  static constexpr std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  note_bind(sqlite3_bind_blob64(stmt_.get(), index, data, blob.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_blob_static(int index, ByteSpan blob) {
  static constexpr std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  note_bind(sqlite3_bind_blob64(stmt_.get(), index, data, blob.size(), SQLITE_STATIC));
  return *this;
}

Statement& Statement::bind_u256(int index, const U256& value) {
  const auto bytes = value.to_be_bytes();
  return bind_blob(index, bytes);
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_.get(), index));
  return *this;
}

Error Statement::sqlite_error(int rc) const {
  sqlite3* db = sqlite3_db_handle(stmt_.get());
  std::string message = "store " + connection_->path.string() + ": " + sql_excerpt(sql_) + ": ";
  message += (db != nullptr && sqlite3_extended_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const ErrorCode code = (rc & 0xff) == SQLITE_CONSTRAINT ? ErrorCode::kInvalidArgument : ErrorCode::kIo;
  return make_error(code, std::move(message));
}

Error Statement::size_error(int column, std::size_t want, std::size_t got) const {
  return make_error(ErrorCode::kMalformed, "store " + connection_->path.string() + ": " + sql_excerpt(sql_) +
                                               ": column " + std::to_string(column) + " holds " +
                                               std::to_string(got) + " bytes, expected " +
                                               std::to_string(want));
}

Result<bool> Statement::step() {
  if (bind_rc_ != 0) return sqlite_error(bind_rc_);
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = sqlite_error(rc);
  sqlite3_reset(stmt_.get());
  return error;
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return std::move(row).error();
    if (!*row) break;
  }
  sqlite3_reset(stmt_.get());
  return {};
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_.get());
}

int Statement::column_count() const noexcept {
  return sqlite3_column_count(stmt_.get());
}

Statement::ColumnType Statement::column_type(int column) const noexcept {
  switch (sqlite3_column_type(stmt_.get(), column)) {
    case SQLITE_INTEGER:
      return ColumnType::kInteger;
    case SQLITE_FLOAT:
      return ColumnType::kReal;
    case SQLITE_TEXT:
      return ColumnType::kText;
    case SQLITE_BLOB:
      return ColumnType::kBlob;
    default:
      return ColumnType::kNull;
  }
}

bool Statement::is_null(int column) const noexcept {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const noexcept {
  return sqlite3_column_int64(stmt_.get(), column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

ByteSpan Statement::column_blob(int column) const noexcept {
  const void* blob = sqlite3_column_blob(stmt_.get(), column);
  const int size = sqlite3_column_bytes(stmt_.get(), column);
  if (blob == nullptr || size <= 0) return {};
  return ByteSpan(static_cast<const std::uint8_t*>(blob), static_cast<std::size_t>(size));
}

Result<U256> Statement::column_u256(int column) const {
  const ByteSpan blob = column_blob(column);
  if (blob.size() != kU256Bytes) return size_error(column, kU256Bytes, blob.size());
  return U256::from_be_bytes(blob.first<kU256Bytes>());
}

// ---- Database ----

Database::Database(std::unique_ptr<store_detail::Connection> connection, bool read_only) noexcept
    : connection_(std::move(connection)), read_only_(read_only) {}

Error Database::error(ErrorCode code, std::string_view what) const {
  return make_error(code, "store " + connection_->path.string() + ": " + std::string(what));
}

namespace {

// Turns off SQLite's process-wide memory statistics, once, before the library
// initialises (after that sqlite3_config refuses, harmlessly). With them on,
// every allocation takes a global mutex and updates counters: ~5 % of ingest's
// instructions (docs/store.md "Ingest cost"). Nothing here reads them
// (sqlite3_memory_used, sqlite3_status). The function-local static makes
// concurrent first opens wait for the one call.
void configure_sqlite_once() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}

}  // namespace

std::uintmax_t store_bytes_on_disk(const std::filesystem::path& path) {
  std::uintmax_t total = 0;
  for (const auto& file : {path, std::filesystem::path(path.string() + "-wal")}) {
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (!error) total += size;
  }
  return total;
}

Result<Database> Database::open(const std::filesystem::path& path, bool read_only) {
  configure_sqlite_once();
  auto connection = std::make_unique<store_detail::Connection>();
  connection->path = path;
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (see the header).
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  connection->db.reset(raw);  // sqlite3_open_v2 allocates a handle even on failure
  if (rc != SQLITE_OK) {
    const char* why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return make_error(ErrorCode::kIo, "store " + path.string() + ": cannot open: " + why);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  if (sqlite3_create_function_v2(raw, "u256_sum", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, nullptr,
                                 u256_sum_step, u256_sum_final, nullptr) != SQLITE_OK) {
    return make_error(ErrorCode::kInternal,
                      "store " + path.string() + ": cannot register u256_sum: " + sqlite3_errmsg(raw));
  }
  Database db(std::move(connection), read_only);
  if (auto st = db.exec("PRAGMA foreign_keys = ON"); !st) return std::move(st).error();
  return db;
}

Status Database::configure_writer() {
  // 16 KiB pages for a new file (a no-op on an existing one): a batch writes
  // its rows in fewer WAL frames and write calls than with 4 KiB pages, and
  // ingest ran 15-25 % faster with the views as fast (docs/store.md, "Page
  // size"). Set before WAL mode, which fixes the page size.
  if (auto st = exec("PRAGMA page_size = " + std::to_string(kPageSize)); !st) return st;
  // WAL: readers keep their snapshot while the writer commits, and a commit is
  // one append to the log (SPEC 4).
  auto mode = prepare("PRAGMA journal_mode = WAL");
  if (!mode) return std::move(mode).error();
  auto row = mode->step();
  if (!row) return std::move(row).error();
  if (!*row || mode->column_text(0) != "wal")
    return error(ErrorCode::kIo, "cannot switch to WAL journal mode");
  mode->reset();
  // FULL until the Writer says otherwise per commit (set_commit_durability,
  // Writer::apply): the safe default for any other use of a writer connection.
  if (auto st = set_commit_durability(CommitDurability::kPowerLoss); !st) return st;
  // A batch touches pages all over the ledger index and the account table:
  // keep them cached between batches rather than reading them back (64 MiB;
  // docs/store.md "Ingest cost"). Sorts and temporary b-trees stay in memory.
  // A larger WAL before the automatic checkpoint lets a page rewritten by
  // several batches be copied to the database file once.
  // secure_delete off: Debian builds SQLite with it on, which zeroes every
  // freed cell and page (and logs the zeroes to the WAL). The store holds
  // public chain data, and a batch frees many cells as it rewrites pages and
  // chunks (docs/store.md "Ingest cost").
  return exec(
      "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA secure_delete = OFF; "
      "PRAGMA wal_autocheckpoint = " +
      std::to_string(kAutocheckpointFrames));
}

Status Database::set_commit_durability(CommitDurability durability) {
  const int level = durability == CommitDurability::kPowerLoss ? 2 : 1;  // FULL : NORMAL
  if (connection_->synchronous == level) return {};
  if (auto st = exec(level == 2 ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"); !st)
    return st;
  connection_->synchronous = level;
  return {};
}

Status Database::configure_reader() {
  // mmap: a view reads pages straight from the OS page cache instead of
  // copying each into the connection's own cache (the payouts-by-recipient
  // page touches ~60 scattered pages). Address space only, shared by readers.
  return exec("PRAGMA query_only = ON; PRAGMA mmap_size = 268435456");
}

Result<Database> Database::open_writer(const std::filesystem::path& path) {
  auto db = open(path, false);
  if (!db) return db;
  const std::int64_t latest = latest_schema_version();
  // Decide before writing anything: a refused file must stay byte-identical.
  if (auto version = check_schema(*db, latest); !version) return std::move(version).error();
  if (auto st = db->configure_writer(); !st) return std::move(st).error();
  if (auto st = migrate(*db, schema_migrations()); !st) return std::move(st).error();
  return db;
}

Result<Database> Database::open_checkpointer(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return make_error(ErrorCode::kIo, "store " + path.string() + ": no such file");
  }
  return open(path, false);
}

Result<WalCheckpointResult> Database::checkpoint_passive() {
  // A connection that has not read the file since it opened does not know the
  // file is in WAL mode, and SQLite 3.40 then checkpoints nothing and reports
  // success (newer versions run a read first, as here). A read transaction of
  // one page opens the WAL; it ends before the checkpoint starts.
  if (auto st = exec("SELECT 1 FROM sqlite_schema LIMIT 1"); !st) return std::move(st).error();
  WalCheckpointResult out;
  const int rc = sqlite3_wal_checkpoint_v2(connection_->db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &out.log_frames, &out.checkpointed_frames);
  if (rc == SQLITE_BUSY) {  // another connection's checkpoint runs (the writer's backstop): not a fault
    out.busy = true;
    return out;
  }
  if (rc != SQLITE_OK) {
    return error(ErrorCode::kIo, std::string("WAL checkpoint: ") + sqlite3_errmsg(connection_->db.get()));
  }
  return out;
}

namespace {

int run_wal_commit_hook(void* connection, sqlite3* db, const char* schema, int frames) {
  auto* owner = static_cast<store_detail::Connection*>(connection);
  if (owner->wal_commit_hook && owner->wal_commit_hook(frames)) {
    // As SQLite's own automatic checkpoint does; a failure here is retried
    // with the next commit and does not undo the commit that just happened.
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

}  // namespace

void Database::set_wal_commit_hook(std::function<bool(int)> hook) {
  sqlite3* db = connection_->db.get();
  if (!hook) {
    connection_->wal_commit_hook = nullptr;
    sqlite3_wal_autocheckpoint(db, kAutocheckpointFrames);  // replaces the hook
    return;
  }
  connection_->wal_commit_hook = std::move(hook);
  sqlite3_wal_hook(db, run_wal_commit_hook, connection_.get());
}

Result<Database> Database::open_reader(const std::filesystem::path& path) {
  auto db = open(path, true);
  if (!db) return db;
  if (auto st = db->configure_reader(); !st) return std::move(st).error();
  const std::int64_t latest = latest_schema_version();
  auto version = check_schema(*db, latest);
  if (!version) return std::move(version).error();
  if (*version != latest) {
    return db->error(ErrorCode::kUnsupported, "schema " + std::to_string(*version) +
                                                  ", this binary expects " + std::to_string(latest) +
                                                  " (open it for writing first)");
  }
  return db;
}

Result<Statement> Database::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = connection_->idle.find(key); it != connection_->idle.end()) {
    StatementPtr stmt = std::move(it->second);
    connection_->idle.erase(it);
    return Statement(connection_.get(), std::move(key), std::move(stmt));
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(connection_->db.get(), key.data(), static_cast<int>(key.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) {
    return error(ErrorCode::kInternal, sql_excerpt(sql) + ": " + sqlite3_errmsg(connection_->db.get()));
  }
  if (stmt == nullptr) return error(ErrorCode::kInternal, sql_excerpt(sql) + ": empty statement");
  const std::string_view rest(tail, static_cast<std::size_t>(key.data() + key.size() - tail));
  if (!std::all_of(rest.begin(), rest.end(),
                   [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    return error(ErrorCode::kInternal, sql_excerpt(sql) + ": more than one statement");
  }
  return Statement(connection_.get(), std::move(key), std::move(stmt));
}

Status Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(connection_->db.get(), text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string why = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  const ErrorCode code = (rc & 0xff) == SQLITE_NOTADB ? ErrorCode::kUnsupported : ErrorCode::kIo;
  return error(code, sql_excerpt(sql) + ": " + why);
}

Result<std::int64_t> Database::query_int64(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return std::move(stmt).error();
  auto row = stmt->step();
  if (!row) return std::move(row).error();
  if (!*row) return error(ErrorCode::kNotFound, sql_excerpt(sql) + ": no row");
  return stmt->column_int64(0);
}

std::int64_t Database::changes() const noexcept {
  return sqlite3_changes64(connection_->db.get());
}

Result<WriteTxn> Database::begin_write() {
  if (auto st = exec("BEGIN IMMEDIATE"); !st) return std::move(st).error();
  return WriteTxn(this);
}

Result<ReadTxn> Database::begin_read() {
  if (auto st = exec("BEGIN"); !st) return std::move(st).error();
  return ReadTxn(this);
}

// ---- transactions ----

WriteTxn::WriteTxn(WriteTxn&& other) noexcept : db_(other.db_), open_(std::exchange(other.open_, false)) {}

WriteTxn::~WriteTxn() {
  if (open_) (void)db_->exec("ROLLBACK");
}

Status WriteTxn::commit() {
  open_ = false;
  auto st = db_->exec("COMMIT");
  if (!st) (void)db_->exec("ROLLBACK");  // a failed COMMIT may leave the transaction open
  return st;
}

ReadTxn::ReadTxn(ReadTxn&& other) noexcept : db_(other.db_), open_(std::exchange(other.open_, false)) {}

ReadTxn::~ReadTxn() {
  if (open_) (void)db_->exec("ROLLBACK");  // nothing was written: ending it releases the snapshot
}

}  // namespace csd
