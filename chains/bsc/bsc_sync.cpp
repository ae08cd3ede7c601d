#include "chains/bsc/bsc_sync.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "chains/rpc/json_rpc.hpp"
#include "chains/rpc/ws_subscription.hpp"
#include "chains/sync/writer_thread.hpp"
#include "decoders/hex.hpp"
#include "store/unix_clock.hpp"
#include "store/writer.hpp"

namespace csd {
namespace {

constexpr ChainId kChain = ChainId::kBsc;
constexpr std::chrono::seconds kMaxErrorBackoff{30};
constexpr std::chrono::seconds kStatusEvery{2};
constexpr std::chrono::seconds kFinalizedEvery{5};
// A node that refused the "finalized" tag is asked again this often: failover
// may have moved to another node, or the node may have been upgraded.
constexpr std::chrono::minutes kFinalizedReprobe{10};
// With a live newHeads subscription, polling is only the safety net that
// closes gaps left by missed messages.
constexpr int kPollStretchWithSubscription = 5;

bool is_zero(const Hash32& hash) {
  return std::all_of(hash.bytes.begin(), hash.bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string short_hash(const Hash32& hash) {
  return to_hex(hash.span()).substr(0, 18);
}

}  // namespace

Result<std::unique_ptr<BscSync>> BscSync::create(BscSyncConfig config, StoreWriterThread& writer,
                                                 ChainMetrics& metrics, LogSink log) {
  if (config.getlogs_max_range == 0)
    return make_error(ErrorCode::kInvalidArgument, "bsc.getlogs_max_range: must be >= 1");
  if (config.max_reorg_depth == 0)
    return make_error(ErrorCode::kInvalidArgument, "bsc.max_reorg_depth: must be >= 1");
  auto transport = HttpTransport::create(config.rpc);
  if (!transport) return with_context(transport.error(), "bsc.rpc_urls");
  return std::make_unique<BscSync>(CreateTag{}, std::move(config), std::move(*transport), writer, metrics,
                                   std::move(log));
}

BscSync::BscSync(CreateTag, BscSyncConfig config, std::unique_ptr<HttpTransport> transport,
                 StoreWriterThread& writer, ChainMetrics& metrics, LogSink log)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      client_(std::make_unique<JsonRpcClient>(*transport_)),
      rpc_(*client_),
      writer_(&writer),
      metrics_(&metrics),
      log_(std::move(log)),
      range_(config_.getlogs_max_range) {
  const TstEventDecoder decoder(config_.contracts);
  filter_.addresses = {config_.contracts.tst, config_.contracts.escrow, config_.contracts.staking,
                       config_.contracts.compute_reserve};
  filter_.topic0s.assign(decoder.topic0s().begin(), decoder.topic0s().end());
}

BscSync::~BscSync() {
  if (subscription_) subscription_->stop();
}

const RpcStats& BscSync::rpc_stats() const noexcept {
  return transport_->stats();
}

void BscSync::log(LogLevel level, const std::string& message) const {
  if (log_) log_(level, message);
}

Status BscSync::run(std::stop_token stop) {
  if (auto checked = check_chain_id(stop); !checked) return checked;
  if (stop.stop_requested()) return {};
  if (auto loaded = load_cursor(); !loaded) return loaded;
  metrics_->ready.store(true, std::memory_order_relaxed);
  start_head_subscription();

  std::chrono::milliseconds backoff = config_.poll_interval;
  while (!stop.stop_requested()) {
    auto stepped = step(stop);
    if (!stepped) {
      if (stepped.error().code == ErrorCode::kCancelled || stop.stop_requested()) break;
      if (stepped.error().code == ErrorCode::kInternal) {  // fatal for this chain (SPEC 3.4)
        log(LogLevel::kError, "bsc: " + stepped.error().message);
        note_error(stepped.error());
        (void)drain();
        record_status(true);
        return stepped.error();
      }
      note_error(stepped.error());
      log(LogLevel::kWarn,
          "bsc: " + stepped.error().message + " (retrying in " + std::to_string(backoff.count()) + " ms)");
      record_status(true);
      wait_for_head(stop, backoff);
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxErrorBackoff);
      continue;
    }
    backoff = config_.poll_interval;
    if (!last_error_.empty()) {
      last_error_.clear();
      record_status(true);
    }
    // Reaching the head is news for /v1/status at once; otherwise the row is
    // refreshed every kStatusEvery.
    const bool at_head = *stepped == Step::kIdle;
    record_status(at_head && !at_head_);
    at_head_ = at_head;
    if (*stepped == Step::kIdle) {
      bool subscribed = false;
      {
        const std::lock_guard lock(wake_mutex_);
        subscribed = ws_connected_;
      }
      wait_for_head(
          stop, subscribed ? config_.poll_interval * kPollStretchWithSubscription : config_.poll_interval);
    }
  }
  // SIGTERM/SIGINT: what was fetched is committed before we return (SPEC 6).
  auto drained = drain();
  if (subscription_) subscription_->stop();
  record_status(true);
  return drained;
}

Status BscSync::check_chain_id(std::stop_token stop) {
  std::chrono::milliseconds backoff = config_.poll_interval;
  while (!stop.stop_requested()) {
    auto id = rpc_.chain_id(stop);
    if (id) {
      if (*id != config_.chain_id) {
        return make_error(ErrorCode::kInvalidArgument,
                          "bsc.chain_id: the node at " + transport_->current_endpoint() + " is on chain id " +
                              std::to_string(*id) + ", the config says " + std::to_string(config_.chain_id));
      }
      return {};
    }
    if (id.error().code == ErrorCode::kCancelled) break;
    note_error(id.error());
    record_status(true);
    log(LogLevel::kWarn, "bsc: eth_chainId: " + id.error().message);
    wait_for_head(stop, backoff);
    backoff = std::min<std::chrono::milliseconds>(backoff * 2, kMaxErrorBackoff);
  }
  return {};
}

Status BscSync::load_cursor() {
  auto checkpoint = writer_->run([](Writer& writer) { return writer.checkpoint(kChain); }).get();
  if (!checkpoint) return with_context(checkpoint.error(), "bsc: reading the checkpoint");
  if (*checkpoint) {
    cursor_ = Cursor{(*checkpoint)->height, (*checkpoint)->hash};
    metrics_->indexed.store((*checkpoint)->height, std::memory_order_relaxed);
    log(LogLevel::kInfo, "bsc: resuming after block " + std::to_string((*checkpoint)->height));
  } else if (config_.start_block > 0) {
    cursor_ = Cursor{config_.start_block - 1, Hash32{}};
    log(LogLevel::kInfo, "bsc: starting at block " + std::to_string(config_.start_block));
  } else {
    cursor_.reset();
    log(LogLevel::kInfo, "bsc: starting at genesis");
  }
  return {};
}

Result<std::uint64_t> BscSync::finalized_height(std::uint64_t head, std::stop_token stop) {
  const std::uint64_t by_confirmations = head > config_.confirmations ? head - config_.confirmations : 0;
  const auto now = std::chrono::steady_clock::now();
  const bool tag_supported = now >= finalized_tag_unsupported_until_;
  if (tag_supported && (!finalized_ || now - finalized_checked_ >= kFinalizedEvery)) {
    auto header = rpc_.header_at_tag("finalized", stop);
    if (!header) {
      if (header.error().code != ErrorCode::kRpcError) return header.error();
      // An old node: fall back to confirmations (SPEC 7) until the next probe.
      finalized_tag_unsupported_until_ = now + kFinalizedReprobe;
      finalized_ = by_confirmations;
      log(LogLevel::kInfo, "bsc: the node has no \"finalized\" tag (" + header.error().message +
                               "); finality = head - " + std::to_string(config_.confirmations) +
                               ", asked again in 10 minutes");
      return by_confirmations;
    }
    if (*header) {
      finalized_ = std::min((*header)->height, head);
      finalized_checked_ = now;
    } else {
      finalized_ = by_confirmations;
      finalized_checked_ = now;
    }
  }
  if (!tag_supported) finalized_ = by_confirmations;
  return finalized_.value_or(by_confirmations);
}

Result<BscSync::Step> BscSync::step(std::stop_token stop) {
  if (auto finished = collect_finished(); !finished) return finished.error();
  auto head = rpc_.block_number(stop);
  if (!head) return head.error();
  head_ = *head;
  metrics_->head.store(head_, std::memory_order_relaxed);
  auto finalized = finalized_height(head_, stop);
  if (!finalized) return finalized.error();
  metrics_->finalized.store(*finalized, std::memory_order_relaxed);

  const std::uint64_t next = cursor_ ? cursor_->height + 1 : config_.start_block;
  if (next > head_) {
    metrics_->syncing.store(false, std::memory_order_relaxed);
    record_finalized(*finalized);
    return verify_tip(stop);
  }
  const std::uint64_t to = std::min(head_, next + range_.span() - 1);
  auto logs = rpc_.logs(next, to, filter_, stop);
  if (!logs) {
    if (is_range_too_large(logs.error()) && !range_.at_minimum()) {
      range_.shrink();
      metrics_->range_splits.fetch_add(1, std::memory_order_relaxed);
      log(LogLevel::kDebug, "bsc: eth_getLogs " + std::to_string(next) + ".." + std::to_string(to) + ": " +
                                logs.error().message + "; range now " + std::to_string(range_.span()));
      return Step::kProgress;
    }
    return logs.error();
  }
  range_.succeeded();

  // Headers: every block that carries a log (the views need its time), the
  // range's last block (the checkpoint), and every block within
  // max_reorg_depth of the head (reorg detection needs the whole chain of
  // parent hashes there, SPEC 3.4).
  std::set<std::uint64_t> wanted{to};
  for (const EvmLog& log_entry : *logs) wanted.insert(log_entry.log.block);
  const std::uint64_t window_start =
      head_ >= config_.max_reorg_depth ? head_ - config_.max_reorg_depth + 1 : 0;
  for (std::uint64_t h = std::max(next, window_start); h <= to; ++h) wanted.insert(h);
  const std::vector<std::uint64_t> heights(wanted.begin(), wanted.end());
  auto headers = rpc_.headers(heights, stop);
  if (!headers) return headers.error();

  std::map<std::uint64_t, const BlockHeader*> by_height;
  for (const BlockHeader& header : *headers) by_height.emplace(header.height, &header);
  for (const EvmLog& entry : *logs) {
    if (entry.removed || by_height.at(entry.log.block)->hash != entry.block_hash) {
      return make_error(ErrorCode::kUnavailable,
                        "bsc: block " + std::to_string(entry.log.block) +
                            " changed while it was read (a reorg under way); rereading");
    }
  }
  for (auto it = by_height.begin(); it != by_height.end(); ++it) {
    const auto following = std::next(it);
    if (following != by_height.end() && following->first == it->first + 1 &&
        following->second->parent_hash != it->second->hash) {
      return make_error(ErrorCode::kUnavailable, "bsc: blocks " + std::to_string(it->first) + " and " +
                                                     std::to_string(following->first) +
                                                     " do not chain (a reorg under way); rereading");
    }
  }
  // The first new block must sit on our checkpoint; otherwise the chain we
  // stored was orphaned (SPEC 3.4).
  if (cursor_ && !is_zero(cursor_->hash) && by_height.count(next) != 0 &&
      by_height.at(next)->parent_hash != cursor_->hash) {
    log(LogLevel::kWarn, "bsc: block " + std::to_string(next) + " does not extend stored block " +
                             std::to_string(cursor_->height) + " " + short_hash(cursor_->hash) + ": reorg");
    if (auto handled = handle_reorg(stop); !handled) return handled.error();
    return Step::kProgress;
  }

  Batch batch;
  batch.blocks = std::move(*headers);
  batch.logs.reserve(logs->size());
  for (EvmLog& entry : *logs) batch.logs.push_back(std::move(entry.log));
  batch.checkpoint = *by_height.at(to);
  batch.finalized_height = *finalized;
  finalized_recorded_ = *finalized;
  const std::uint64_t log_count = batch.logs.size();
  const Hash32 to_hash = batch.checkpoint.hash;
  if (auto submitted = submit(std::move(batch), log_count); !submitted) return submitted.error();
  cursor_ = Cursor{to, to_hash};
  metrics_->syncing.store(head_ - to > config_.max_reorg_depth, std::memory_order_relaxed);
  log_progress(head_);
  return Step::kProgress;
}

Result<BscSync::Step> BscSync::verify_tip(std::stop_token stop) {
  // At the head: check that the block we stored last is still the node's,
  // so a reorg that replaced our tip is seen even before a new block comes.
  // A node behind our checkpoint (a lagging replica) is not a reorg: wait.
  if (!cursor_ || is_zero(cursor_->hash) || cursor_->height > head_) return Step::kIdle;
  const std::uint64_t height = cursor_->height;
  auto headers = rpc_.headers(std::span<const std::uint64_t>(&height, 1), stop);
  if (!headers) return headers.error();
  if (headers->front().hash == cursor_->hash) return Step::kIdle;
  log(LogLevel::kWarn, "bsc: stored block " + std::to_string(height) + " " + short_hash(cursor_->hash) +
                           " is no longer the node's (" + short_hash(headers->front().hash) + "): reorg");
  if (auto handled = handle_reorg(stop); !handled) return handled.error();
  return Step::kProgress;
}

Status BscSync::handle_reorg(std::stop_token stop) {
  if (auto drained = drain(); !drained) return drained;
  const std::uint64_t tip = cursor_ ? cursor_->height : 0;
  auto recent = writer_
                    ->run([depth = config_.max_reorg_depth + 1](Writer& writer) {
                      return writer.recent_blocks(kChain, static_cast<std::size_t>(depth));
                    })
                    .get();
  if (!recent) return with_context(recent.error(), "bsc: reading recent blocks");
  std::vector<std::uint64_t> heights;
  for (const BlockHeader& stored : *recent) {
    if (stored.height + config_.max_reorg_depth < tip) break;
    heights.push_back(stored.height);
  }
  std::optional<BlockHeader> ancestor;
  if (!heights.empty()) {
    auto node_headers = rpc_.headers(heights, stop);
    if (!node_headers) return node_headers.error();
    for (std::size_t i = 0; i < heights.size(); ++i) {  // newest first
      if ((*node_headers)[i].hash == (*recent)[i].hash) {
        ancestor = (*recent)[i];
        break;
      }
    }
  }
  if (!ancestor) {
    return make_error(ErrorCode::kInternal,
                      "reorg deeper than max_reorg_depth (" + std::to_string(config_.max_reorg_depth) +
                          "): no stored block within that depth of " + std::to_string(tip) +
                          " is on the node's chain; stopping this chain (reindex to recover)");
  }
  auto rolled =
      writer_->run([height = ancestor->height](Writer& writer) { return writer.rollback(kChain, height); })
          .get();
  if (!rolled) return with_context(rolled.error(), "bsc: rollback");
  metrics_->reorgs.fetch_add(1, std::memory_order_relaxed);
  metrics_->reorged_blocks.fetch_add(tip - ancestor->height, std::memory_order_relaxed);
  metrics_->indexed.store(ancestor->height, std::memory_order_relaxed);
  cursor_ = Cursor{ancestor->height, ancestor->hash};
  finalized_recorded_.reset();  // the rollback lowered the stored finalized height
  log(LogLevel::kWarn, "bsc: reorg: rolled back " + std::to_string(tip - ancestor->height) + " block(s) to " +
                           std::to_string(ancestor->height) + " " + short_hash(ancestor->hash));
  return {};
}

Status BscSync::submit(Batch batch, std::uint64_t log_count) {
  while (in_flight_.size() >= std::max<std::size_t>(1, config_.max_batches_in_flight)) {
    Status done = in_flight_.front().get();
    in_flight_.pop_front();
    if (!done) {
      (void)drain();
      (void)load_cursor();
      return with_context(done.error(), "bsc: storing a batch");
    }
  }
  in_flight_.push_back(
      writer_->run([batch = std::move(batch), log_count, metrics = metrics_](Writer& writer) {
        Status applied = writer.apply(kChain, batch);
        if (applied) {
          metrics->indexed.store(batch.checkpoint.height, std::memory_order_relaxed);
          metrics->logs_stored.fetch_add(log_count, std::memory_order_relaxed);
          metrics->blocks_stored.fetch_add(batch.blocks.size(), std::memory_order_relaxed);
          metrics->batches_stored.fetch_add(1, std::memory_order_relaxed);
        }
        return applied;
      }));
  return {};
}

Status BscSync::collect_finished() {
  while (!in_flight_.empty() &&
         in_flight_.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    Status done = in_flight_.front().get();
    in_flight_.pop_front();
    if (!done) {
      (void)drain();
      (void)load_cursor();  // continue from what the store really holds
      return with_context(done.error(), "bsc: storing a batch");
    }
  }
  return {};
}

Status BscSync::drain() {
  Status first;
  while (!in_flight_.empty()) {
    Status done = in_flight_.front().get();
    in_flight_.pop_front();
    if (!done && first) first = done;
  }
  return first;
}

void BscSync::start_head_subscription() {
  if (config_.ws_url.empty()) return;
  WsSubscriptionConfig ws;
  ws.url = config_.ws_url;
  ws.subscribe_request = R"({"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]})";
  ws.ca_file = config_.rpc.ca_file;
  auto started = WsSubscription::start(
      std::move(ws),
      [this](std::string_view) {
        {
          const std::lock_guard lock(wake_mutex_);
          woken_ = true;
        }
        wake_.notify_all();
      },
      [this](bool connected, std::string_view reason) {
        {
          const std::lock_guard lock(wake_mutex_);
          ws_connected_ = connected;
          woken_ = true;  // poll now: closes any gap while the subscription was down
        }
        wake_.notify_all();
        log(connected ? LogLevel::kInfo : LogLevel::kWarn,
            connected ? "bsc: newHeads subscription live"
                      : "bsc: newHeads subscription lost: " + std::string(reason));
      });
  if (!started) {
    log(LogLevel::kWarn, "bsc.ws_url: " + started.error().message + "; following the head by polling");
    return;
  }
  subscription_ = std::move(*started);
}

void BscSync::wait_for_head(std::stop_token stop, std::chrono::milliseconds timeout) {
  std::unique_lock lock(wake_mutex_);
  wake_.wait_for(lock, stop, timeout, [this] { return woken_; });
  woken_ = false;
}

void BscSync::note_error(const Error& error) {
  last_error_ = error.message;
  last_error_at_ = unix_now();
}

void BscSync::record_status(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - status_recorded_ < kStatusEvery) return;
  status_recorded_ = now;
  SyncStatus status;
  if (head_ > 0) status.head = head_;
  status.rpc_endpoint = transport_->current_endpoint();
  status.last_error = last_error_;
  status.last_error_at = last_error_at_;
  status.syncing = metrics_->syncing.load(std::memory_order_relaxed);
  // Fire and forget: the status row is advisory and must not stall the sync.
  (void)writer_->run(
      [status = std::move(status)](Writer& writer) { return writer.record_sync_status(kChain, status); });
}

void BscSync::record_finalized(std::uint64_t finalized) {
  if (finalized_recorded_ && *finalized_recorded_ >= finalized) return;
  finalized_recorded_ = finalized;
  // Fire and forget, like the status row: queued behind any batch in flight,
  // and the next batch carries the value anyway.
  (void)writer_->run([finalized](Writer& writer) { return writer.record_finalized(kChain, finalized); });
}

void BscSync::log_progress(std::uint64_t head) {
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t indexed = cursor_ ? cursor_->height : 0;
  const std::uint64_t logs = metrics_->logs_stored.load(std::memory_order_relaxed);
  if (progress_logged_ == std::chrono::steady_clock::time_point{}) {
    progress_logged_ = now;
    progress_height_ = indexed;
    progress_logs_ = logs;
    return;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - progress_logged_);
  if (elapsed < config_.progress_interval || !metrics_->syncing.load(std::memory_order_relaxed)) return;
  const auto ms = static_cast<std::uint64_t>(std::max<std::int64_t>(1, elapsed.count()));
  const std::uint64_t blocks_per_s = (indexed - std::min(indexed, progress_height_)) * 1000 / ms;
  const std::uint64_t logs_per_s = (logs - std::min(logs, progress_logs_)) * 1000 / ms;
  const std::uint64_t remaining = head > indexed ? head - indexed : 0;
  std::string eta = blocks_per_s > 0 ? std::to_string(remaining / blocks_per_s) + " s" : "unknown";
  log(LogLevel::kInfo, "bsc: backfill at block " + std::to_string(indexed) + " of " + std::to_string(head) +
                           ", " + std::to_string(blocks_per_s) + " blocks/s, " + std::to_string(logs_per_s) +
                           " logs/s, ETA " + eta);
  progress_logged_ = now;
  progress_height_ = indexed;
  progress_logs_ = logs;
}

}  // namespace csd
