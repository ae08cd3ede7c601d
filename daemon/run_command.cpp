#include "daemon/run_command.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>
#include <signal.h>

#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "chains/bsc/bsc_sync.hpp"
#include "chains/sync/writer_thread.hpp"
#include "daemon/chain_metrics_export.hpp"
#include "daemon/chain_runner.hpp"
#include "daemon/config.hpp"
#include "daemon/instance_lock.hpp"
#include "daemon/logging.hpp"
#include "daemon/reindex.hpp"
#include "daemon/store_setup.hpp"
#include "daemon/systemd_notify.hpp"
#include "store/reader_pool.hpp"
#include "store/unix_clock.hpp"
#include "store/writer.hpp"

namespace csd::daemon {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitConfig = 2;

BscSyncConfig bsc_sync_config(const Config& config) {
  const BscSection& section = config.bsc;
  BscSyncConfig out;
  out.chain_id = section.chain_id;
  out.rpc.urls = section.rpc_urls;
  out.ws_url = section.ws_url;
  out.start_block = section.start_block;
  out.confirmations = section.confirmations;
  out.max_reorg_depth = section.max_reorg_depth;
  out.getlogs_max_range = section.getlogs_max_range;
  out.poll_interval = std::chrono::milliseconds(section.poll_interval_ms);
  out.contracts = section.contracts;
  out.progress_interval = std::chrono::seconds(config.daemon.progress_interval_s);
  return out;
}

constexpr std::size_t kReaderConnections = 4;

RouterConfig router_config(const Config& config) {
  RouterConfig out;
  out.query.solid_confirmations = config.tron.solid_confirmations;
  out.query.discounts.token_decimals = static_cast<unsigned>(config.solana.token_decimals);
  out.chains[static_cast<std::size_t>(ChainId::kBsc) - 1].enabled = config.bsc.enabled;
  // Solana and TRON sync are not in this version: /health must not wait for them.
  out.chains[static_cast<std::size_t>(ChainId::kSolana) - 1].enabled = false;
  out.chains[static_cast<std::size_t>(ChainId::kTron) - 1].enabled = false;
  out.auth.mode = config.api.auth == "signature" ? AuthConfig::Mode::kSignature : AuthConfig::Mode::kNone;
  out.auth.bearer_tokens = config.api.bearer_tokens;
  return out;
}

// The STATUS= line systemd shows (SPEC 6: sync progress).
std::string sync_progress(const Config& config, const ChainMetrics& bsc) {
  std::string out;
  if (config.bsc.enabled) {
    out = "bsc: indexed " + std::to_string(bsc.indexed.load()) + ", head " + std::to_string(bsc.head.load()) +
          ", lag " + std::to_string(bsc.lag()) + (bsc.syncing.load() ? " (backfilling)" : "");
  }
  return out.empty() ? "idle: no chain enabled" : out;
}

// How often STATUS= is refreshed.
constexpr auto kStatusPeriod = std::chrono::seconds(5);

sigset_t daemon_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);  // a chain thread ended on its own
  return set;
}

// A reindex request the running daemon picked up (daemon/reindex.hpp):
// pause the chain, rebuild on the writer thread, answer, resume.
void serve_reindex_request(const Config& config, StoreWriterThread& writer, ChainRunner* bsc,
                           const Logger& logger) {
  const std::filesystem::path& database = config.daemon.database;
  auto request = take_reindex_request(database);
  if (!request) {
    logger.log(LogLevel::kWarn, "reindex: " + request.error().message);
    write_reindex_result(database, "error: " + request.error().message);
    return;
  }
  if (!*request) return;
  if ((*request)->chain != ChainId::kBsc || bsc == nullptr) {
    write_reindex_result(
        database, "error: " + std::string(chain_name((*request)->chain)) + " is not synced by this daemon");
    return;
  }
  logger.log(LogLevel::kInfo,
             "reindex: pausing bsc to reindex from block " + std::to_string((*request)->from));
  bsc->stop();  // commits what it fetched; the writer is then ours alone
  auto summary = perform_reindex(writer, **request, config.bsc.start_block);
  bsc->start();
  if (!summary) {
    logger.log(LogLevel::kError, "reindex: " + summary.error().message);
    write_reindex_result(database, "error: " + summary.error().message);
    return;
  }
  logger.log(LogLevel::kInfo, "reindex: " + *summary + "; bsc resumed");
  write_reindex_result(database, "ok: " + *summary);
}

}  // namespace

int run_daemon(const std::filesystem::path& config_path) {
  auto config = load_config(config_path, process_env());
  if (!config) {
    std::cerr << "config error: " << config.error().message << "\n";
    return kExitConfig;
  }
  const bool journald =
      std::getenv("JOURNAL_STREAM") != nullptr;  // NOLINT(concurrency-mt-unsafe): before threads
  auto created_logger = Logger::create(
      LoggingOptions{config->daemon.log_level, config->daemon.log_format, config->daemon.log_file, journald});
  if (!created_logger) {
    std::cerr << "chainsyncd: " << created_logger.error().message << "\n";
    return kExitRuntime;
  }
  const std::shared_ptr<const Logger> logger = std::move(*created_logger);
  const LogSink sink = log_sink(logger);
  const SystemdNotifier notifier = SystemdNotifier::from_environment(process_env());

  // Signals are taken synchronously by the main thread (sigtimedwait); every
  // thread started below inherits the mask, so no handler ever runs.
  const sigset_t signals = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto lock = InstanceLock::try_acquire(config->daemon.database);
  if (!lock) {
    logger->log(LogLevel::kError, "daemon.database: " + lock.error().message);
    return kExitRuntime;
  }
  if (!*lock) {
    logger->log(LogLevel::kError, "daemon.database: another chainsyncd is running on " +
                                      config->daemon.database.string() + " (it holds " +
                                      InstanceLock::lock_path(config->daemon.database).string() + ")");
    return kExitRuntime;
  }
  auto writer =
      Writer::open(config->daemon.database, store_contracts(*config), unix_now, writer_options(*config));
  if (!writer) {
    logger->log(LogLevel::kError,
                "daemon.database: " + config->daemon.database.string() + ": " + writer.error().message);
    return kExitRuntime;
  }
  logger->log(LogLevel::kInfo, "store open: " + config->daemon.database.string());
  StoreWriterThread writer_thread(std::move(*writer));

  ChainMetrics bsc_metrics;
  std::unique_ptr<ChainRunner> bsc;
  if (config->bsc.enabled) {
    auto created = BscSync::create(bsc_sync_config(*config), writer_thread, bsc_metrics, sink);
    if (!created) {
      std::cerr << "config error: " << created.error().message << "\n";
      return kExitConfig;
    }
    bsc = std::make_unique<ChainRunner>(std::move(*created), bsc_metrics, pthread_self());
  }

  // The HTTP API reads through its own connections (SPEC 4) and runs on its
  // own threads, so queries never wait on chain sync.
  auto pool = ReaderPool::open(config->daemon.database, kReaderConnections);
  if (!pool) {
    logger->log(LogLevel::kError, "daemon.database: readers: " + pool.error().message);
    return kExitRuntime;
  }
  auto http_metrics = std::make_shared<HttpMetrics>();
  RouterConfig routes = router_config(*config);
  routes.render_metrics = [&] {
    MetricsText text;
    http_metrics->write(text);
    if (bsc) write_chain_metrics(text, "bsc", bsc->metrics(), bsc->rpc_stats());
    write_store_metrics(text, writer_thread.counters());
    return text.take();
  };
  const Router router(**pool, std::move(routes));
  ServerConfig server_config;
  server_config.listen = config->api.listen;
  server_config.max_connections = static_cast<std::size_t>(config->api.max_connections);
  server_config.log_error = [sink](std::string_view message) {
    sink(LogLevel::kError, "api: " + std::string(message));
  };
  auto server = HttpServer::start(std::move(server_config), router.handler(), http_metrics);
  if (!server) {
    logger->log(LogLevel::kError, "api.listen: " + config->api.listen + ": " + server.error().message);
    return kExitRuntime;
  }
  logger->log(LogLevel::kInfo, "HTTP API listening on " +
                                   config->api.listen.substr(0, config->api.listen.rfind(':')) + ":" +
                                   std::to_string((*server)->port()));

  if (bsc) bsc->start();
  if (config->solana.enabled)
    sink(LogLevel::kWarn, "solana: sync is not in this version yet; the chain is skipped");
  if (config->tron.enabled)
    sink(LogLevel::kWarn, "tron: sync is not in this version yet; the chain is skipped");
  logger->log(LogLevel::kInfo, "chainsyncd running");
  // SPEC 6: READY=1 once the database is open and HTTP is listening.
  notifier.ready();
  notifier.status(sync_progress(*config, bsc_metrics));
  auto last_status = std::chrono::steady_clock::now();

  int exit_code = kExitOk;
  for (;;) {
    const timespec tick{1, 0};
    const int signal = sigtimedwait(&signals, nullptr, &tick);
    // The loop wakes at least every second: ping the watchdog (WatchdogSec=)
    // and refresh STATUS= every kStatusPeriod.
    if (notifier.watchdog_interval()) notifier.watchdog();
    if (std::chrono::steady_clock::now() - last_status >= kStatusPeriod) {
      notifier.status(sync_progress(*config, bsc_metrics));
      last_status = std::chrono::steady_clock::now();
    }
    if (signal == SIGTERM || signal == SIGINT) {
      logger->log(LogLevel::kInfo, std::string("received ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT") +
                                       ": committing the batch in flight and stopping");
      break;
    }
    if (signal == SIGHUP) {
      // Issue 7: reopen the log file (logrotate renamed it); on stderr a flush.
      if (auto reopened = logger->reopen(); !reopened) {
        logger->log(LogLevel::kError, reopened.error().message + "; still writing to the previous file");
      } else if (!logger->file().empty()) {
        logger->log(LogLevel::kInfo, "SIGHUP: log file reopened: " + logger->file().string());
      }
      logger->flush();
      continue;
    }
    serve_reindex_request(*config, writer_thread, bsc.get(), *logger);
    if (!bsc) continue;
    if (auto outcome = bsc->take_outcome(); outcome && !*outcome) {
      const Error& error = outcome->error();
      if (error.code == ErrorCode::kInvalidArgument) {
        // A node on the wrong chain is a configuration error (issue 5: exit 2).
        std::cerr << "config error: " << error.message << "\n";
        exit_code = kExitConfig;
        break;
      }
      // A fatal condition of one chain (a reorg past max_reorg_depth) stops
      // that chain only; the others and the API keep serving (SPEC 3.4).
      logger->log(LogLevel::kError, "bsc: stopped: " + error.message);
    }
  }
  notifier.stopping();   // sd_notify(3): shutdown has begun
  (*server)->stop();     // no new queries; the reader pool outlives it
  if (bsc) bsc->stop();  // joins: the chain commits what it fetched
  writer_thread.stop();
  logger->log(LogLevel::kInfo, "chainsyncd stopped");
  logger->flush();
  return exit_code;
}

}  // namespace csd::daemon
