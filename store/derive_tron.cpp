// SPEC 3.3 derived state: payouts (executed, failed) and settled batches of the
// configured TRON payout routers. A payout's status also depends on its
// transaction's receipt (tron_tx) and the solidified head, which the views
// combine at query time.
#include <utility>

#include "decoders/tron_address.hpp"
#include "store/derive.hpp"

namespace csd::store_derive {

TronDeriver::TronDeriver(Statement payout, Statement batch, const PayoutEventDecoder& decoder,
                         AnomalyRecorder& anomalies) noexcept
    : payout_(std::move(payout)), batch_(std::move(batch)), decoder_(&decoder), anomalies_(&anomalies) {}

Result<TronDeriver> TronDeriver::create(WriteTxn& txn, const PayoutEventDecoder& decoder,
                                        AnomalyRecorder& anomalies) {
  auto payout = txn.prepare(
      "INSERT INTO payout(block, log_index, tx_hash, payout_id, kind, router_type, router_address, "
      "recipient, "
      "amount, batch_id, reason, error, block_time) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13)");
  if (!payout) return std::move(payout).error();
  auto batch = txn.prepare(
      "INSERT INTO payout_batch(block, log_index, tx_hash, batch_id, count, total_amount, time) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!batch) return std::move(batch).error();
  return TronDeriver(std::move(*payout), std::move(*batch), decoder, anomalies);
}

Status TronDeriver::derive(const RawLog& log, std::int64_t time) {
  auto decoded = decoder_->decode(log.address, log.topics, log.data);
  if (!decoded) {
    return anomalies_->record(log.block, log.log_index, AnomalyKind::kUndecodableLog,
                              decoded.error().message);
  }
  if (!decoded->has_value()) return {};  // not one of ours: kept raw only
  const DecodedPayout& payout = **decoded;

  if (const auto* settled = std::get_if<BatchSettledEvent>(&payout.event)) {
    batch_.bind_uint64_clamped(1, log.block).bind_int64(2, log.log_index).bind_bytes(3, log.tx_hash);
    batch_.bind_bytes(4, settled->batch_id).bind_u256(5, settled->count).bind_u256(6, settled->total_amount);
    batch_.bind_int64(7, time);
    return batch_.run();
  }

  payout_.bind_uint64_clamped(1, log.block).bind_int64(2, log.log_index).bind_bytes(3, log.tx_hash);
  payout_.bind_int64(6, static_cast<std::int64_t>(payout.router.type));
  payout_.bind_bytes(7, tron_address_from_evm20(payout.router.address));
  payout_.bind_int64(13, time);
  if (const auto* executed = std::get_if<PayoutExecutedEvent>(&payout.event)) {
    payout_.bind_bytes(4, executed->payout_id)
        .bind_int64(5, static_cast<std::int64_t>(PayoutKind::kExecuted));
    payout_.bind_bytes(8, tron_address_from_evm20(executed->recipient)).bind_u256(9, executed->amount);
    payout_.bind_bytes(10, executed->batch_id).bind_text(11, executed->reason).bind_null(12);
  } else {
    const auto& failed = std::get<PayoutFailedEvent>(payout.event);
    payout_.bind_bytes(4, failed.payout_id).bind_int64(5, static_cast<std::int64_t>(PayoutKind::kFailed));
    payout_.bind_bytes(8, tron_address_from_evm20(failed.recipient)).bind_u256(9, failed.amount);
    payout_.bind_null(10).bind_null(11).bind_text(12, failed.error);
  }
  return payout_.run();
}

Status unwind_tron(WriteTxn& txn, std::uint64_t height) {
  static constexpr std::string_view kSteps[] = {"DELETE FROM payout WHERE block > ?1",
                                                "DELETE FROM payout_batch WHERE block > ?1"};
  return run_each_above(txn, kSteps, height);
}

}  // namespace csd::store_derive
