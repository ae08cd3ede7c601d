// INSERTs recorded now and run later, in the order recorded, on the
// connection their statements belong to. The BSC deriver records its history
// and anomaly rows this way, so that it can derive on a thread of its own
// while the writer's thread runs the rows it has recorded so far
// (store_derive::derive_beside, docs/store.md "Two threads per BSC batch").
// A row's values are copied when bound: what they came from need not outlive
// the call.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string_view>
#include <vector>

#include "decoders/bytes.hpp"
#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

class DeferredInserts {
 public:
  // Starts a row of `statement` (which must outlive run()); the bind_* calls
  // that follow set its parameters, with Statement's names and meanings.
  DeferredInserts& row(Statement& statement);
  DeferredInserts& bind_int64(int index, std::int64_t value);
  DeferredInserts& bind_uint64_clamped(int index, std::uint64_t value);
  DeferredInserts& bind_text(int index, std::string_view text);
  DeferredInserts& bind_blob_static(int index, ByteSpan blob);  // copied, unlike Statement's
  DeferredInserts& bind_null(int index);
  template <std::size_t N, class Tag>
  DeferredInserts& bind_bytes_static(int index, const FixedBytes<N, Tag>& value) {
    return bind_blob_static(index, ByteSpan(value.data(), N));
  }

  // Binds and runs each row in order, then forgets them all; stops at the
  // first failure (the caller's transaction is then rolled back).
  [[nodiscard]] Status run();
  [[nodiscard]] std::size_t size() const noexcept { return rows_.size(); }
  [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }

 private:
  enum class Kind : std::uint8_t { kInt64, kUint64Clamped, kText, kBlob, kNull };
  struct Value {
    int index;
    Kind kind;
    std::uint64_t number;  // kInt64 (its two's complement), kUint64Clamped
    std::size_t offset;    // kText, kBlob: in bytes_
    std::size_t size;
  };
  struct Row {
    Statement* statement;
    std::size_t first_value;
  };
  DeferredInserts& add(Value value);

  std::vector<Row> rows_;
  std::vector<Value> values_;
  Bytes bytes_;
};

// Hands DeferredInserts from the thread that records them to the one that
// runs them: push() from the producer, close() after its last push (also
// when it failed), run_until_closed() on the consumer. After a failure the
// consumer keeps taking what is pushed without running it, so the producer
// never waits.
class DeferredInsertQueue {
 public:
  void push(DeferredInserts rows);
  void close();
  // Runs each pushed DeferredInserts in order until close(); the first
  // failure. When `so_far` is a failure (of what the consumer did before),
  // runs nothing and returns it.
  [[nodiscard]] Status run_until_closed(Status so_far = {});

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<DeferredInserts> pending_;  // guarded by mutex_
  bool closed_ = false;                  // guarded by mutex_
};

}  // namespace csd
