// ReaderPool: a fixed set of read-only connections to the store (SPEC 4: HTTP
// readers use their own connections and are never blocked by the writer),
// lent out one at a time. A Lease gives its holder exclusive use of one
// connection and returns it when destroyed, so a connection and its cached
// statements are only ever used by one thread at a time.
//
// Thread safety: acquire/try_acquire and the Lease destructor may be called
// from any thread. The connections are opened at construction and constant
// afterwards; which of them are free is guarded by mutex_.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "decoders/result.hpp"
#include "store/database.hpp"

namespace csd {

class ReaderPool {
 public:
  // Exclusive use of one reader connection until destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), db_(other.db_) { other.pool_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    [[nodiscard]] Database& db() const noexcept { return *db_; }
    Database* operator->() const noexcept { return db_; }
    Database& operator*() const noexcept { return *db_; }

   private:
    friend class ReaderPool;
    Lease(ReaderPool* pool, Database* db) noexcept : pool_(pool), db_(db) {}
    ReaderPool* pool_;  // nullptr once moved from
    Database* db_;
  };

  // Opens `size` (≥ 1) reader connections to an existing, current-schema store.
  [[nodiscard]] static Result<std::unique_ptr<ReaderPool>> open(const std::filesystem::path& path,
                                                                std::size_t size);

  // Construction goes through open(); the tag keeps the constructor private in effect.
  class OpenTag {
    friend class ReaderPool;
    explicit OpenTag() = default;
  };
  ReaderPool(OpenTag, std::vector<std::unique_ptr<Database>> connections);
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;
  // REQUIRES: every Lease has been destroyed.
  ~ReaderPool() = default;

  // Waits until a connection is free.
  [[nodiscard]] Lease acquire();
  // nullopt when none becomes free within `timeout`.
  [[nodiscard]] std::optional<Lease> try_acquire(std::chrono::milliseconds timeout);

  [[nodiscard]] std::size_t size() const noexcept { return connections_.size(); }
  [[nodiscard]] std::size_t available() const;

 private:
  void release(Database* db) noexcept;

  // Constant after construction.
  const std::vector<std::unique_ptr<Database>> connections_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;  // signalled when free_ grows
  std::vector<Database*> free_;    // guarded by mutex_
};

}  // namespace csd
