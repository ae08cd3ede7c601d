#!/usr/bin/env node
// The independent oracle: recomputes the SPEC 3.1 derived state of every
// address from the node's own logs (plain eth_getLogs, chunked) and block
// timestamps, from scratch, in JavaScript with BigInt amounts. It shares no
// code with chainsyncd; end-to-end tests compare the daemon's store (the
// `Queries::access` view, store/views.hpp AccessView) with this output.
//
// Usage: node contrib/devnet/oracle.mjs --rpc URL --deployment FILE --now UNIX [--to-block N]
// Output (stdout, one line, canonical: keys sorted, no spaces; README.md documents every field):
//   {"addresses":{"0x..":{...}},"block":N,"block_hash":"0x..","block_time":T,"now":NOW}

import { pathToFileURL } from 'node:url';
import {
  DevnetError, expectDevnet, hexQty, loadDeployment, parseArgs, require, Rpc, runMain, usageError,
} from './lib.mjs';

const { ethers } = require('ethers');
const kUsage = 'usage: node contrib/devnet/oracle.mjs --rpc URL --deployment FILE --now UNIX [--to-block N]';

const kTst = 10n ** 18n;
const kDay = 86_400n;
const kInt64Max = 2n ** 63n - 1n; // the store keeps times above INT64_MAX as INT64_MAX ("forever")

// SPEC 3.1, verbatim; topic0s are derived from this text, not from the build.
const kEvents = {
  tst: ['event Transfer(address indexed from, address indexed to, uint256 value)'],
  escrow: [
    'event TSTLocked(bytes32 indexed lockId, address indexed user, uint256 amount, uint64 lockedUntil, string agreementId)',
    'event TSTReleased(bytes32 indexed lockId, address indexed user, uint256 amount)',
    'event LockTerminatedEarly(bytes32 indexed lockId, address indexed user, uint256 returned, uint256 penalty)',
  ],
  staking: [
    'event TierStaked(bytes32 indexed stakeId, address indexed user, uint8 tier, uint256 amount, uint64 expiresAt)',
    'event TierUnstaked(bytes32 indexed stakeId, address indexed user, uint256 amount, bool emergency)',
  ],
  compute_reserve: [
    'event ComputeReserved(bytes32 indexed reservationId, address indexed user, uint8 entityType, uint256 amount, uint32 quotaPerDay, uint64 reservedUntil)',
    'event QuotaConsumed(bytes32 indexed reservationId, address indexed user, uint32 units)',
    'event ReservationReleased(bytes32 indexed reservationId, address indexed user)',
  ],
};

// SPEC 5 ledger kinds, in the store's LedgerKind order.
const kLedgerKinds = ['transfer_in', 'transfer_out', 'lock', 'release', 'terminate', 'stake', 'unstake', 'reserve',
  'consume', 'release_reservation'];

// ---- fetching ----

// All logs of the four contracts with the SPEC 3.1 topic0s in [from, to],
// in ranges that halve when the node refuses a range and grow back after.
// `roles` narrows the contracts (drive.mjs needs no Transfer logs).
export async function fetchLogs(rpc, deployment, from, to, { maxRange = 5000, roles = Object.keys(kEvents) } = {}) {
  const addresses = roles.map((role) => deployment.contracts[role]);
  const signatures = roles.flatMap((role) => kEvents[role]);
  const topics = [signatures.map((s) => ethers.id(ethers.EventFragment.from(s).format('sighash')))];
  const logs = [];
  let range = maxRange;
  for (let lo = from; lo <= to;) {
    const hi = Math.min(to, lo + range - 1);
    let part;
    try {
      part = await rpc.call('eth_getLogs', [{ fromBlock: hexQty(lo), toBlock: hexQty(hi), address: addresses, topics }]);
    } catch (err) {
      if (range === 1 || !(err instanceof DevnetError) || /unreachable/.test(err.message)) throw err;
      range = Math.max(1, Math.floor(range / 2)); // "too many results" and friends: split
      continue;
    }
    for (const log of part) logs.push(log); // not push(...part): a spread of 100 000 overflows the stack
    lo = hi + 1;
    range = Math.min(maxRange, range * 2);
  }
  return logs;
}

// Timestamps (BigInt) and hashes of the given block numbers, batched.
export async function fetchBlocks(rpc, numbers) {
  const blocks = await rpc.batch(numbers.map((n) => ['eth_getBlockByNumber', [hexQty(n), false]]), 100);
  const out = new Map();
  numbers.forEach((n, i) => {
    if (!blocks[i]) throw new DevnetError(`block ${n} vanished (chain changed during the oracle run?)`);
    out.set(n, { time: BigInt(blocks[i].timestamp), hash: blocks[i].hash });
  });
  return out;
}

// ---- derivation (SPEC 3.1, mirroring the store's rules of docs/store.md) ----

const clampTime = (t) => (t > kInt64Max ? kInt64Max : t);

// SPEC 3.1 lock tier: ≥ 250 TST → 3, ≥ 50 → 2, ≥ 10 → 1, else 0.
export function lockTier(amount) {
  if (amount >= 250n * kTst) return 3;
  if (amount >= 50n * kTst) return 2;
  if (amount >= 10n * kTst) return 1;
  return 0;
}

// Floor division (correct for negative times too).
function utcDay(now) {
  const start = now - (((now % kDay) + kDay) % kDay);
  return { start, end: start + kDay };
}

// Transfer is most of the logs (bulk runs): decoded by hand, strictly (three
// topics, zero address padding, one 32-byte word); anything else goes to ethers.
const kTransferTopic = ethers.id('Transfer(address,address,uint256)');
const kPadded = /^0x0{24}[0-9a-f]{40}$/;
function fastTransfer(log) {
  const t = log.topics.map((x) => x.toLowerCase());
  if (t.length !== 3 || t[0] !== kTransferTopic || !kPadded.test(t[1]) || !kPadded.test(t[2])) return null;
  if (!/^0x[0-9a-fA-F]{64}$/.test(log.data)) return null;
  return { name: 'Transfer', args: { from: '0x' + t[1].slice(26), to: '0x' + t[2].slice(26), value: BigInt(log.data) } };
}

// Replays decoded events in (block, log_index) order. Returns the raw state.
export function derive(deployment, logs, blockTimes) {
  const ifaces = {};
  const roleOf = new Map();
  for (const [role, sigs] of Object.entries(kEvents)) {
    ifaces[role] = new ethers.Interface(sigs);
    roleOf.set(deployment.contracts[role].toLowerCase(), role);
  }
  const accounts = new Map(); // address -> {received, sent, ledger: Map(kind -> n)}
  const account = (addr) => {
    let a = accounts.get(addr);
    if (!a) accounts.set(addr, (a = { received: 0n, sent: 0n, ledger: new Map() }));
    return a;
  };
  const ledger = (addr, kind) => {
    const l = account(addr).ledger;
    l.set(kind, (l.get(kind) || 0) + 1);
  };
  const locks = new Map();
  const stakes = new Map();
  const reservations = new Map();
  const quotaUses = []; // {id, units, time}
  const counts = {};

  const sorted = logs
    .map((l) => ({ ...l, block: Number(BigInt(l.blockNumber)), index: Number(BigInt(l.logIndex)) }))
    .sort((a, b) => a.block - b.block || a.index - b.index);
  for (const log of sorted) {
    const role = roleOf.get(log.address.toLowerCase());
    if (!role) continue;
    let ev = role === 'tst' ? fastTransfer(log) : null;
    if (!ev) {
      try {
        ev = ifaces[role].parseLog({ topics: log.topics, data: log.data });
      } catch {
        ev = null;
      }
    }
    if (!ev) continue; // undecodable: the store records an anomaly and ignores it
    counts[ev.name] = (counts[ev.name] || 0) + 1;
    const a = ev.args;
    const pos = { block: log.block, index: log.index, tx_hash: log.transactionHash.toLowerCase() };
    const time = blockTimes.get(log.block).time;
    const user = a.user !== undefined ? a.user.toLowerCase() : undefined;
    if (user) account(user);
    switch (ev.name) {
      case 'Transfer': {
        const from = a.from.toLowerCase();
        const to = a.to.toLowerCase();
        account(to).received += a.value;
        account(from).sent += a.value;
        ledger(to, 'transfer_in');
        ledger(from, 'transfer_out'); // a transfer to self is two entries
        break;
      }
      case 'TSTLocked': {
        const id = a.lockId.toLowerCase();
        if (locks.has(id)) break; // duplicate id: ignored (store anomaly)
        locks.set(id, {
          user, amount: a.amount, lockedUntil: clampTime(a.lockedUntil), agreementId: a.agreementId, ...pos, open: true,
        });
        ledger(user, 'lock');
        break;
      }
      case 'TSTReleased':
      case 'LockTerminatedEarly': {
        const l = locks.get(a.lockId.toLowerCase());
        if (!l || !l.open) break; // no open lock: ignored (store anomaly)
        l.open = false;
        ledger(user, ev.name === 'TSTReleased' ? 'release' : 'terminate');
        break;
      }
      case 'TierStaked': {
        const id = a.stakeId.toLowerCase();
        if (stakes.has(id)) break;
        stakes.set(id, {
          user, tier: Number(a.tier), amount: a.amount, expiresAt: clampTime(a.expiresAt), stakedAt: time, ...pos,
          open: true,
        });
        ledger(user, 'stake');
        break;
      }
      case 'TierUnstaked': {
        const s = stakes.get(a.stakeId.toLowerCase());
        if (!s || !s.open) break;
        s.open = false;
        ledger(user, 'unstake');
        break;
      }
      case 'ComputeReserved': {
        const id = a.reservationId.toLowerCase();
        if (reservations.has(id)) break;
        reservations.set(id, {
          user, entityType: Number(a.entityType), amount: a.amount, quotaPerDay: a.quotaPerDay,
          reservedUntil: clampTime(a.reservedUntil), ...pos, open: true,
        });
        ledger(user, 'reserve');
        break;
      }
      case 'QuotaConsumed': {
        const id = a.reservationId.toLowerCase();
        const r = reservations.get(id);
        if (!r || !r.open) break;
        quotaUses.push({ id, units: a.units, time });
        ledger(user, 'consume');
        break;
      }
      case 'ReservationReleased': {
        const r = reservations.get(a.reservationId.toLowerCase());
        if (!r || !r.open) break;
        r.open = false;
        ledger(user, 'release_reservation');
        break;
      }
      default:
        break;
    }
  }
  return { accounts, locks, stakes, reservations, quotaUses, counts };
}

const newestFirst = (x, y) => y.block - x.block || y.index - x.index;

// The per-address views at `now` (BigInt unix seconds), AccessView field names.
export function views(state, now) {
  const { accounts, locks, stakes, reservations, quotaUses } = state;
  const day = utcDay(now);
  const usedToday = new Map();
  for (const u of quotaUses) {
    if (u.time >= day.start && u.time < day.end) usedToday.set(u.id, (usedToday.get(u.id) || 0n) + u.units);
  }
  // Open objects by user: [id, object] pairs, newest first.
  const byUser = (objects, keep = () => true) => {
    const m = new Map();
    for (const entry of objects.entries()) {
      const x = entry[1];
      if (!x.open || !keep(x)) continue;
      if (!m.has(x.user)) m.set(x.user, []);
      m.get(x.user).push(entry);
    }
    for (const list of m.values()) list.sort(([, x], [, y]) => newestFirst(x, y));
    return m;
  };
  const openLocks = byUser(locks);
  const openStakes = byUser(stakes);
  // Active reservations, the longest-reserved first (ties: the newest).
  const activeReservations = byUser(reservations, (r) => now < r.reservedUntil);
  for (const list of activeReservations.values()) {
    list.sort(([, x], [, y]) => (y.reservedUntil > x.reservedUntil ? 1 : y.reservedUntil < x.reservedUntil ? -1 : 0));
  }
  const out = {};
  for (const [addr, acct] of [...accounts.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const balance = acct.received >= acct.sent ? acct.received - acct.sent : 0n; // clamped like the store
    const myLocks = openLocks.get(addr) || [];
    const myStakes = openStakes.get(addr) || [];
    const locked = myLocks.reduce((sum, [, l]) => sum + l.amount, 0n);
    const staked = myStakes.reduce((sum, [, s]) => sum + s.amount, 0n);

    let currentTier = 0;
    let tierUntil = null;
    for (const [, s] of myStakes) {
      if (!(now < s.expiresAt) || s.tier === 0) continue; // only active stakes
      if (s.tier > currentTier || (s.tier === currentTier && s.expiresAt > tierUntil)) {
        currentTier = s.tier;
        tierUntil = s.expiresAt;
      }
    }

    const quotas = { risk: null, strategy: null, memory: null };
    const names = [null, 'risk', 'strategy', 'memory'];
    for (const [id, r] of activeReservations.get(addr) || []) {
      const name = names[r.entityType];
      if (!name || quotas[name]) continue; // unknown type, or a longer reservation already chosen
      const used = usedToday.get(id) || 0n;
      quotas[name] = {
        reservation_id: id,
        total: r.quotaPerDay,
        used_today: used,
        available: used >= r.quotaPerDay ? 0n : r.quotaPerDay - used,
        reset_at: day.end,
        reserved_until: r.reservedUntil,
      };
    }

    const ledgerKinds = {};
    let ledgerCount = 0;
    for (const kind of kLedgerKinds) {
      const n = acct.ledger.get(kind) || 0;
      if (n > 0) ledgerKinds[kind] = n;
      ledgerCount += n;
    }

    out[addr] = {
      current_tier: currentTier,
      tier_active_until: tierUntil,
      tst_balance: String(balance),
      tst_staked: String(staked),
      tst_locked: String(locked),
      tst_available: String(balance),
      tst_total: String(balance + staked + locked),
      locks: myLocks.map(([id, l]) => ({
        lock_id: id,
        agreement_id: l.agreementId,
        amount: String(l.amount),
        tier: lockTier(l.amount),
        locked_until: l.lockedUntil,
        status: now < l.lockedUntil ? 'active' : 'unlockable',
        days_remaining: now < l.lockedUntil ? (l.lockedUntil - now + kDay - 1n) / kDay : 0n,
        tx_hash: l.tx_hash,
      })),
      stakes: myStakes.map(([id, s]) => ({
        stake_id: id,
        tier: s.tier,
        amount: String(s.amount),
        staked_at: s.stakedAt,
        expires_at: s.expiresAt,
        status: now < s.expiresAt ? 'active' : 'expired',
        tx_hash: s.tx_hash,
      })),
      entity_quotas: quotas,
      ledger_count: ledgerCount,
      ledger_kinds: ledgerKinds,
    };
  }
  return out;
}

// Canonical JSON: object keys sorted at every level, no whitespace, BigInt as a bare integer.
export function canonical(v) {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`canonical: ${v} is not a safe integer`);
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
}

// The whole oracle run: head pinned first, re-checked last (a reorg in between is an error).
export async function computeOracle(rpc, deployment, { toBlock, now }) {
  const head = await rpc.blockNumber();
  const to = toBlock === undefined ? head : toBlock;
  if (to > head) throw new DevnetError(`--to-block ${to} is above the node's head ${head}`);
  const target = await rpc.block(to);
  const from = Math.min(deployment.deploy_block || 0, to);
  const logs = await fetchLogs(rpc, deployment, from, to);
  const numbers = [...new Set(logs.map((l) => Number(BigInt(l.blockNumber))))].sort((x, y) => x - y);
  const blocks = await fetchBlocks(rpc, numbers);
  for (const l of logs) {
    if (l.removed) throw new DevnetError('node returned a removed log');
    if (blocks.get(Number(BigInt(l.blockNumber))).hash !== l.blockHash) {
      const n = Number(BigInt(l.blockNumber));
      throw new DevnetError(`log of block ${n} is not on the current chain (reorg during the oracle run?)`);
    }
  }
  const again = await rpc.block(to);
  if (again.hash !== target.hash) throw new DevnetError(`block ${to} changed during the oracle run (reorg?)`);
  const state = derive(deployment, logs, blocks);
  return {
    result: {
      block: to,
      block_hash: target.hash,
      block_time: BigInt(target.timestamp),
      now,
      addresses: views(state, now),
    },
    counts: state.counts,
    logCount: logs.length,
  };
}

async function main() {
  const args = parseArgs('oracle.mjs', process.argv.slice(2), {
    rpc: { type: 'string', required: true },
    deployment: { type: 'string', required: true },
    'to-block': { type: 'int' },
    now: { type: 'string', required: true },
  }, kUsage);
  if (!/^-?[0-9]+$/.test(args.now)) throw usageError(`--now: '${args.now}' is not unix seconds`);
  const deployment = loadDeployment(args.deployment);
  const rpc = new Rpc(args.rpc);
  await expectDevnet(rpc);
  const { result } = await computeOracle(rpc, deployment, { toBlock: args['to-block'], now: BigInt(args.now) });
  process.stdout.write(canonical(result) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) runMain('oracle.mjs', main);
