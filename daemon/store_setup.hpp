// How the daemon's configuration opens the store: which contracts it derives
// state from and how deep it keeps block headers for reorg detection. Shared
// by `run` and `reindex`, which must open the store the same way.
#pragma once

#include <algorithm>

#include "daemon/config.hpp"
#include "store/writer.hpp"

namespace csd::daemon {

[[nodiscard]] inline StoreContracts store_contracts(const Config& config) {
  StoreContracts out;
  out.bsc = config.bsc.contracts;
  out.tron_routers = config.tron.routers;
  out.solana_program_id = config.solana.program_id;
  out.solana_pool = config.solana.pool;
  return out;
}

[[nodiscard]] inline WriterOptions writer_options(const Config& config) {
  WriterOptions out;
  // The store keeps headers for the deepest reorg any chain may walk back.
  out.max_reorg_depth = std::max(config.bsc.max_reorg_depth, config.tron.max_reorg_depth);
  out.tron_solid_confirmations = config.tron.solid_confirmations;
  return out;
}

}  // namespace csd::daemon
