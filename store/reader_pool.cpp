#include "store/reader_pool.hpp"

#include <string>
#include <utility>

namespace csd {

ReaderPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->release(db_);
}

ReaderPool::ReaderPool(OpenTag /*tag*/, std::vector<std::unique_ptr<Database>> connections)
    : connections_(std::move(connections)) {
  free_.reserve(connections_.size());
  for (const auto& db : connections_) free_.push_back(db.get());
}

Result<std::unique_ptr<ReaderPool>> ReaderPool::open(const std::filesystem::path& path, std::size_t size) {
  if (size == 0) return make_error(ErrorCode::kInvalidArgument, "reader pool: size must be at least 1");
  std::vector<std::unique_ptr<Database>> connections;
  connections.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    auto db = Database::open_reader(path);
    if (!db) return with_context(std::move(db).error(), "reader pool connection " + std::to_string(i + 1));
    connections.push_back(std::make_unique<Database>(std::move(*db)));
  }
  return std::make_unique<ReaderPool>(OpenTag(), std::move(connections));
}

ReaderPool::Lease ReaderPool::acquire() {
  std::unique_lock lock(mutex_);
  freed_.wait(lock, [this] { return !free_.empty(); });
  Database* db = free_.back();
  free_.pop_back();
  return Lease(this, db);
}

std::optional<ReaderPool::Lease> ReaderPool::try_acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, timeout, [this] { return !free_.empty(); })) return std::nullopt;
  Database* db = free_.back();
  free_.pop_back();
  return Lease(this, db);
}

std::size_t ReaderPool::available() const {
  std::lock_guard lock(mutex_);
  return free_.size();
}

void ReaderPool::release(Database* db) noexcept {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(db);  // capacity reserved for every connection: no allocation, no throw
  }
  freed_.notify_one();
}

}  // namespace csd
