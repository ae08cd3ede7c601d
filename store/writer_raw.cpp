// Writer::apply's raw inputs: block headers, raw_block rows (a block's hash,
// time and packed logs), TRON receipts and Solana account versions.
#include "store/derive.hpp"
#include "store/raw_pack.hpp"
#include "store/row_inserter.hpp"

namespace csd::store_derive {
namespace {

// Headers below `skip_below` are left out (BSC and Solana: below the new
// reorg window, where a raw_block row keeps the hash and time of a block with logs).
Status insert_headers(WriteTxn& txn, ChainId chain, const Batch& batch, bool store_checkpoint_header,
                      std::uint64_t skip_below) {
  // Rows point into `batch`, which outlives the flush.
  auto headers = make_row_inserter<const BlockHeader*>(
      txn, "INSERT INTO block(chain, height, hash, parent_hash, time)", 5,
      [chain](Statement& st, int at, const BlockHeader* header) {
        st.bind_int64(at, static_cast<std::int64_t>(chain)).bind_uint64_clamped(at + 1, header->height);
        st.bind_bytes_static(at + 2, header->hash).bind_bytes_static(at + 3, header->parent_hash);
        st.bind_int64(at + 4, header->time);
      });
  for (const BlockHeader& header : batch.blocks) {
    if (header.height < skip_below) continue;
    if (auto status = headers.add(&header); !status) return status;
  }
  if (store_checkpoint_header) {
    if (auto status = headers.add(&batch.checkpoint); !status) return status;
  }
  return headers.flush();
}

// One row per block: the block's logs packed (store/raw_pack.hpp).
Status insert_raw_blocks(WriteTxn& txn, ChainId chain, const Batch& batch) {
  struct PackedBlock {
    const BlockHeader* header;  // into `batch`, which outlives the flush
    Bytes logs;
  };
  auto blocks = make_row_inserter<PackedBlock>(
      txn, "INSERT INTO raw_block(id, chain, height, hash, time, logs)", 6,
      [chain](Statement& st, int at, const PackedBlock& block) {
        const BlockHeader& header = *block.header;
        st.bind_int64(at, raw_block_id(chain, header.height))
            .bind_int64(at + 1, static_cast<std::int64_t>(chain));
        st.bind_int64(at + 2, static_cast<std::int64_t>(header.height))
            .bind_bytes_static(at + 3, header.hash);
        st.bind_int64(at + 4, header.time).bind_blob_static(at + 5, block.logs);
      });
  const std::span<const RawLog> logs(batch.logs);
  auto header = batch.blocks.begin();  // both ascend; every log's block is there (validate_batch)
  for (std::size_t first = 0; first < logs.size();) {
    std::size_t end = first + 1;
    while (end < logs.size() && logs[end].block == logs[first].block) ++end;
    while (header->height < logs[first].block) ++header;
    PackedBlock block{&*header, {}};
    pack_block_logs(logs.subspan(first, end - first), block.logs);
    if (auto status = blocks.add(std::move(block)); !status) return status;
    first = end;
  }
  return blocks.flush();
}

}  // namespace

Status insert_raw(WriteTxn& txn, ChainId chain, const Batch& batch, bool store_checkpoint_header,
                  std::uint64_t skip_headers_below) {
  if (auto status = insert_headers(txn, chain, batch, store_checkpoint_header, skip_headers_below); !status)
    return status;
  if (auto status = insert_raw_blocks(txn, chain, batch); !status) return status;
  if (!batch.tron_txs.empty()) {
    auto tx = txn.prepare(
        "INSERT OR REPLACE INTO tron_tx(tx_hash, block, success, result, fee_sun) VALUES(?1, ?2, ?3, ?4, "
        "?5)");
    if (!tx) return std::move(tx).error();
    for (const TronTxInfo& info : batch.tron_txs) {
      tx->bind_bytes(1, info.tx_hash).bind_uint64_clamped(2, info.block).bind_int64(3, info.success ? 1 : 0);
      tx->bind_text(4, info.result).bind_int64(5, info.fee_sun);
      if (auto status = tx->run(); !status) return status;
    }
  }
  if (!batch.accounts.empty()) {
    auto account =
        txn.prepare("INSERT OR REPLACE INTO solana_account(account, slot, data) VALUES(?1, ?2, ?3)");
    if (!account) return std::move(account).error();
    for (const SolanaAccountVersion& version : batch.accounts) {
      account->bind_bytes(1, version.account).bind_uint64_clamped(2, version.slot);
      if (version.data) {
        account->bind_blob(3, *version.data);
      } else {
        account->bind_null(3);
      }
      if (auto status = account->run(); !status) return status;
    }
  }
  return {};
}

}  // namespace csd::store_derive
