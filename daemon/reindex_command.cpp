// `chainsyncd reindex --chain C --from H` (SPEC 6): rebuild a chain's state
// from a height, with the daemon stopped (done here) or running (handed to
// it: daemon/reindex.hpp). Prints what it did; exit 0, 2 for a usage or
// configuration error, 1 for a runtime failure.
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>
#include <thread>

#include "chains/sync/writer_thread.hpp"
#include "daemon/config.hpp"
#include "daemon/instance_lock.hpp"
#include "daemon/reindex.hpp"
#include "daemon/run_command.hpp"
#include "daemon/store_setup.hpp"
#include "store/unix_clock.hpp"
#include "store/writer.hpp"

namespace csd::daemon {
namespace {

constexpr auto kDaemonAnswerTimeout = std::chrono::minutes(30);

int reindex_here(const Config& config, const ReindexRequest& request) {
  auto writer =
      Writer::open(config.daemon.database, store_contracts(config), unix_now, writer_options(config));
  if (!writer) {
    std::cerr << "reindex: " << config.daemon.database.string() << ": " << writer.error().message << "\n";
    return 1;
  }
  StoreWriterThread writer_thread(std::move(*writer));
  std::cout << "reindex: the daemon is not running; reindexing " << chain_name(request.chain)
            << " from block " << request.from << " here" << std::endl;
  auto summary = perform_reindex(writer_thread, request, config.bsc.start_block);
  if (!summary) {
    std::cerr << "reindex: " << summary.error().message << "\n";
    return 1;
  }
  std::cout << "reindex: " << *summary << "\n";
  return 0;
}

int reindex_through_daemon(const Config& config, const ReindexRequest& request) {
  const auto& database = config.daemon.database;
  std::error_code ignored;
  std::filesystem::remove(reindex_result_path(database), ignored);
  if (auto written = write_reindex_request(database, request); !written) {
    std::cerr << "reindex: " << written.error().message << "\n";
    return 1;
  }
  std::cout << "reindex: the daemon is running; handed it the request ("
            << reindex_request_path(database).string() << "), waiting for its answer" << std::endl;
  const auto deadline = std::chrono::steady_clock::now() + kDaemonAnswerTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(reindex_result_path(database));
    std::string line;
    if (in && std::getline(in, line)) {
      in.close();
      std::filesystem::remove(reindex_result_path(database), ignored);
      std::cout << "reindex: " << line << "\n";
      return line.rfind("ok:", 0) == 0 ? 0 : 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::cerr << "reindex: no answer from the daemon; the request stays pending in "
            << reindex_request_path(database).string() << "\n";
  return 1;
}

}  // namespace

int reindex_chain(const std::filesystem::path& config_path, const std::string& chain_text,
                  std::uint64_t from) {
  auto config = load_config(config_path, process_env());
  if (!config) {
    std::cerr << "config error: " << config.error().message << "\n";
    return 2;
  }
  const auto chain = parse_chain_name(chain_text);
  if (!chain) {
    std::cerr << "error: --chain: must be bsc, solana or tron, got \"" << chain_text << "\"\n";
    return 2;
  }
  if (*chain != ChainId::kBsc) {
    std::cerr << "error: --chain: " << chain_text << " sync is not in this version\n";
    return 2;
  }
  if (!config->bsc.enabled) {
    std::cerr << "config error: bsc: the chain is not enabled in " << config_path.string() << "\n";
    return 2;
  }
  if (!std::filesystem::exists(config->daemon.database)) {
    std::cerr << "reindex: " << config->daemon.database.string() << ": no database yet (nothing indexed)\n";
    return 1;
  }
  const ReindexRequest request{*chain, from};
  auto lock = InstanceLock::try_acquire(config->daemon.database);
  if (!lock) {
    std::cerr << "reindex: " << lock.error().message << "\n";
    return 1;
  }
  if (*lock) return reindex_here(*config, request);  // we hold the lock: no daemon can start meanwhile
  return reindex_through_daemon(*config, request);
}

}  // namespace csd::daemon
