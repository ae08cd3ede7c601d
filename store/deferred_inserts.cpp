#include "store/deferred_inserts.hpp"

#include <utility>

namespace csd {

DeferredInserts& DeferredInserts::row(Statement& statement) {
  rows_.push_back(Row{&statement, values_.size()});
  return *this;
}

DeferredInserts& DeferredInserts::add(Value value) {
  values_.push_back(value);
  return *this;
}

DeferredInserts& DeferredInserts::bind_int64(int index, std::int64_t value) {
  return add(Value{index, Kind::kInt64, static_cast<std::uint64_t>(value), 0, 0});
}

DeferredInserts& DeferredInserts::bind_uint64_clamped(int index, std::uint64_t value) {
  return add(Value{index, Kind::kUint64Clamped, value, 0, 0});
}

DeferredInserts& DeferredInserts::bind_text(int index, std::string_view text) {
  const std::size_t offset = bytes_.size();
  bytes_.insert(bytes_.end(), text.begin(), text.end());
  return add(Value{index, Kind::kText, 0, offset, text.size()});
}

DeferredInserts& DeferredInserts::bind_blob_static(int index, ByteSpan blob) {
  const std::size_t offset = bytes_.size();
  bytes_.insert(bytes_.end(), blob.begin(), blob.end());
  return add(Value{index, Kind::kBlob, 0, offset, blob.size()});
}

DeferredInserts& DeferredInserts::bind_null(int index) {
  return add(Value{index, Kind::kNull, 0, 0, 0});
}

Status DeferredInserts::run() {
  Status status;
  for (std::size_t r = 0; r < rows_.size() && status; ++r) {
    Statement& st = *rows_[r].statement;
    const std::size_t end = r + 1 < rows_.size() ? rows_[r + 1].first_value : values_.size();
    for (std::size_t v = rows_[r].first_value; v < end; ++v) {
      const Value& value = values_[v];
      const ByteSpan bytes = ByteSpan(bytes_).subspan(value.offset, value.size);
      switch (value.kind) {
        case Kind::kInt64:
          st.bind_int64(value.index, static_cast<std::int64_t>(value.number));
          break;
        case Kind::kUint64Clamped:
          st.bind_uint64_clamped(value.index, value.number);
          break;
        case Kind::kText:
          st.bind_text(value.index,
                       std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
          break;
        case Kind::kBlob:
          st.bind_blob_static(value.index, bytes);  // bytes_ outlives the run
          break;
        case Kind::kNull:
          st.bind_null(value.index);
          break;
      }
    }
    status = st.run();
  }
  rows_.clear();
  values_.clear();
  bytes_.clear();
  return status;
}

void DeferredInsertQueue::push(DeferredInserts rows) {
  {
    const std::lock_guard lock(mutex_);
    pending_.push_back(std::move(rows));
  }
  ready_.notify_one();
}

void DeferredInsertQueue::close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_one();
}

Status DeferredInsertQueue::run_until_closed(Status so_far) {
  Status result = std::move(so_far);
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [this] { return closed_ || !pending_.empty(); });
    if (pending_.empty()) return result;  // closed, and nothing left
    DeferredInserts rows = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    if (result) result = rows.run();  // after a failure, only taken
    lock.lock();
  }
}

}  // namespace csd
